package dev.taskqueue.beat.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import dev.taskqueue.beat.Schedule;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Next runs as the Java beat computes them, against the scores a real RedBeat wrote: a
 * score is RedBeat's due time computed a few microseconds after the run it follows, so it
 * is the next run minus those microseconds, floored ({@code score-timeline.json},
 * {@code encodings.json}).
 */
class ScheduleReplayTests {

	private static final ZoneId UTC = ZoneId.of("UTC");

	private final RedBeatJson codec = new RedBeatJson(JsonMapper.builder().build());

	@Test
	void everyFireOfTheCaptureIsFollowedByTheRunRedBeatScored() {
		JsonNode timeline = RedBeatVectors.read("score-timeline.json");
		int fires = 0;
		for (var key : timeline.get("fires_per_key").properties()) {
			Schedule schedule = schedule(timeline.get("writes_per_key").get(key.getKey()));
			if (schedule == null) {
				continue;
			}
			for (JsonNode fire : key.getValue()) {
				ZonedDateTime last = at(fire.get("last_run_at_epoch").asDouble());
				assertThat(redBeatScore(schedule.next(last))).as(key.getKey() + " after " + last)
					.isEqualTo(fire.get("score_written").asDouble());
				fires++;
			}
		}
		assertThat(fires).isGreaterThan(50);
	}

	@Test
	void crontabAndRruleEntriesRedBeatSavedAreScoredForTheSameNextRun() {
		int cases = 0;
		for (JsonNode each : RedBeatVectors.read("encodings.json").get("save_cases")) {
			String name = each.get("name").asString();
			if (!each.has("hash") || !(name.startsWith("crontab") || name.startsWith("rrule"))
					|| name.equals("rrule-monthly-first-monday")) {
				continue;
			}
			RedBeatJson.Definition definition = this.codec
				.readDefinition(each.get("hash").get("definition").get("raw").asString());
			// The capture's datetimes read 244 s behind its epoch clock (saved_at_epoch),
			// by
			// which RedBeat scored the save: the run it scored for follows the save time.
			ZonedDateTime last = at(each.get("saved_at_epoch").asDouble());
			assertThat(redBeatScore(definition.schedule().next(last))).as(name)
				.isEqualTo(each.get("zscore").asDouble());
			cases++;
		}
		assertThat(cases).isEqualTo(10);
	}

	@Test
	void aFirstMondayRuleLosesItsOrdinalAsRedBeatStoresItAndEndsAsRedBeatDecodesIt() {
		JsonNode each = null;
		for (JsonNode candidate : RedBeatVectors.read("encodings.json").get("save_cases")) {
			if (candidate.get("name").asString().equals("rrule-monthly-first-monday")) {
				each = candidate;
			}
		}
		RedBeatJson.Definition definition = this.codec
			.readDefinition(each.get("hash").get("definition").get("raw").asString());
		ZonedDateTime last = this.codec.readMeta(each.get("hash").get("meta").get("raw").asString()).lastRunAt();
		assertThat(definition.schedule().next(last)).isNull();
		assertThat(each.get("decoded_back").get("score").asInt()).isEqualTo(-1);
	}

	private @Nullable Schedule schedule(JsonNode writes) {
		for (JsonNode write : writes) {
			if ("HSET".equals(write.get("cmd").asString()) && "definition".equals(write.path("field").asString())) {
				return this.codec.readSchedule(RedBeatVectors.plain(write.get("value").get("schedule")));
			}
		}
		return null;
	}

	/** RedBeat's score of a next run, computed a microsecond after the previous one. */
	private static double redBeatScore(@Nullable ZonedDateTime next) {
		if (next == null) {
			return -1;
		}
		Instant instant = next.toInstant().minusNanos(1000);
		return instant.getEpochSecond();
	}

	private static ZonedDateTime at(double epochSeconds) {
		return Instant.ofEpochSecond(0, Math.round(epochSeconds * 1_000_000) * 1000).atZone(UTC);
	}

}
