package dev.taskqueue.beat.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.taskqueue.beat.Schedule;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * RedBeat's JSON, against the hashes a real RedBeat wrote ({@code encodings.json},
 * {@code keys-after-ticks.json}) and what it did with hand-written ones
 * ({@code unknown-fields.json}).
 */
class RedBeatJsonTests {

	private final RedBeatJson codec = new RedBeatJson(JsonMapper.builder().build());

	@Test
	void everyDefinitionRedBeatSavedIsReadAndWrittenBackByteForByte() {
		int cases = 0;
		for (JsonNode hash : savedHashes()) {
			String raw = hash.get("definition").get("raw").asString();
			RedBeatJson.Definition definition = this.codec.readDefinition(raw);
			assertThat(this.codec.writeDefinition(definition.name(), definition.task(), definition.args(),
					definition.kwargs(), definition.options(), definition.schedule(), definition.enabled()))
				.isEqualTo(raw);
			cases++;
		}
		assertThat(cases).isEqualTo(26 + 8);
	}

	@Test
	void everyMetaRedBeatWroteIsReadAndWrittenBackByteForByte() {
		for (JsonNode hash : savedHashes()) {
			String raw = hash.get("meta").get("raw").asString();
			RedBeatJson.Meta meta = this.codec.readMeta(raw);
			Long count = raw.contains("total_run_count") ? meta.totalRunCount() : null;
			assertThat(this.codec.writeMeta(meta.lastRunAt(), count)).isEqualTo(raw);
		}
	}

	@Test
	void datetimesKeepTheirZoneOrOffset() {
		Map<String, String> metas = Map.of("\"UTC\"", "UTC", "0.0", "Z", "7200.0", "+02:00", "-12600.0", "-03:30",
				"\"Europe/Berlin\"", "Europe/Berlin");
		metas.forEach((json, zone) -> {
			ZonedDateTime last = this.codec
				.readMeta("{\"last_run_at\": {\"__type__\": \"datetime\", \"year\": 2026, \"month\": 7, \"day\": 1, "
						+ "\"hour\": 14, \"minute\": 0, \"second\": 30, \"microsecond\": 0, \"timezone\": " + json
						+ "}}")
				.lastRunAt();
			assertThat(last.getZone()).isEqualTo(ZoneId.of(zone));
		});
	}

	@Test
	void decodeCasesAreAcceptedOrRefusedAsRedBeatDoes() {
		JsonNode cases = RedBeatVectors.read("encodings.json").get("decode_cases");
		for (String accepted : List.of("datetime-without-second", "datetime-without-timezone",
				"datetime-timezone-int-seconds", "datetime-timezone-iana")) {
			JsonNode each = cases.get(accepted);
			ZonedDateTime time = this.codec.readMeta("{\"last_run_at\": " + each.get("json").asString() + "}")
				.lastRunAt();
			Instant expected = Instant.ofEpochSecond(0, (long) (each.get("utc_epoch").asDouble() * 1_000_000) * 1000);
			assertThat(time.toInstant()).as(accepted).isEqualTo(expected);
		}
		for (String refused : List.of("datetime-timezone-offset-string", "datetime-extra-field")) {
			assertThatIllegalArgumentException().as(refused)
				.isThrownBy(() -> this.codec
					.readMeta("{\"last_run_at\": " + cases.get(refused).get("json").asString() + "}"));
		}
		assertThat(schedule(cases.get("interval-int-every")))
			.isEqualTo(Schedule.every(java.time.Duration.ofSeconds(10)));
		assertThat(schedule(cases.get("interval-extra-field")))
			.isEqualTo(Schedule.every(java.time.Duration.ofSeconds(10)));
		assertThatIllegalArgumentException().isThrownBy(() -> schedule(cases.get("interval-without-relative")));
		assertThatIllegalArgumentException().isThrownBy(() -> schedule(cases.get("crontab-extra-field")));
		assertThatIllegalArgumentException().isThrownBy(() -> schedule(cases.get("unknown-type")))
			.withMessageContaining("solar");
		assertThat(schedule(cases.get("rrule-minimal")).describe()).startsWith("rrule DAILY");
		assertThat(schedule(cases.get("rrule-freq-string")).describe()).startsWith("rrule DAILY");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> schedule(cases.get("rrule-without-dtstart-decoded-twice")))
			.withMessageContaining("dtstart");
	}

	/**
	 * What Python fires, the Java beat can read; what crashes a Python beat or makes it
	 * drop the entry, the Java beat reports and leaves alone.
	 */
	@Test
	void handWrittenEntriesAreReadableExactlyWhenRedBeatCanLoadThem() {
		Set<String> readable = Set.of("valid-baseline", "no-meta", "minimal-definition", "definition-relative-field",
				"extra-hash-field", "options-unknown-key", "options-headers", "options-task-id", "interval-extra-field",
				"schedule-bare-number", "name-mismatch", "enabled-missing", "disabled", "score-minus-one",
				"score-future-but-due", "score-past-not-due");
		List<String> checked = new ArrayList<>();
		for (JsonNode each : RedBeatVectors.read("unknown-fields.json").get("cases")) {
			StoredEntry entry = written(each);
			if (entry == null) {
				continue;
			}
			String name = each.get("case").asString();
			if (readable.contains(name)) {
				assertThat(entry.problem()).as(name).isNull();
			}
			else {
				assertThat(entry.problem()).as(name).isNotNull();
			}
			checked.add(name);
		}
		assertThat(checked).hasSize(29);
	}

	/**
	 * Replays the single ticks RedBeat ran over the hand-written entries: the Java beat
	 * fires the same ones at the same moment.
	 */
	@Test
	void handWrittenEntriesFireExactlyWhenRedBeatFiredThem() {
		FirePlanner planner = new FirePlanner(this.codec, ZoneId.of("UTC"), java.time.Duration.ofMinutes(1));
		int fired = 0;
		for (JsonNode each : RedBeatVectors.read("unknown-fields.json").get("cases")) {
			StoredEntry entry = written(each);
			if (entry == null || entry.problem() != null || !each.has("tick_at_epoch")) {
				continue;
			}
			double now = each.get("tick_at_epoch").asDouble();
			boolean selected = entry.score() != null && entry.score() >= 0 && entry.score() <= Math.floor(now);
			boolean fires = selected && !planner.plan(entry, Instant.ofEpochSecond(0, (long) (now * 1_000_000) * 1000))
				.fires()
				.isEmpty();
			assertThat(fires).as(each.get("case").asString()).isEqualTo(each.get("published").size() > 0);
			fired += fires ? 1 : 0;
		}
		assertThat(fired).isEqualTo(12);
	}

	@Test
	void entriesOfARunningRedBeatAreAllReadable() {
		RedBeatKeys keys = new RedBeatKeys("redbeat:", null, false);
		RedBeatVectors.read("keys-after-ticks.json").get("snapshot").get("keys").properties().forEach((key) -> {
			JsonNode value = key.getValue();
			if ("hash".equals(value.get("type").asString())) {
				JsonNode fields = value.get("fields");
				StoredEntry entry = StoredEntry.read(key.getKey(), keys.name(key.getKey()), 0.0,
						fields.get("definition").get("raw").asString(), fields.get("meta").get("raw").asString(), null,
						this.codec);
				assertThat(entry.problem()).as(key.getKey()).isNull();
				assertThat(entry.isMisnamed()).isFalse();
			}
		});
	}

	@Test
	void writtenEntriesNeverHoldWhatCrashesPython() {
		String definition = this.codec.writeDefinition("x", "t", List.of(), Map.of(), Map.of(),
				Schedule.cron("0 30 9 * * MON-FRI"), true);
		assertThat(definition).isEqualTo("{\"name\": \"x\", \"task\": \"t\", \"args\": null, \"kwargs\": {}, "
				+ "\"options\": {}, \"schedule\": {\"__type__\": \"crontab\", \"minute\": \"30\", \"hour\": \"9\", "
				+ "\"day_of_week\": \"1-5\", \"day_of_month\": \"*\", \"month_of_year\": \"*\"}, \"enabled\": true}");
		assertThat(this.codec.writeDefinition("x", "t", List.of(), Map.of(), Map.of(),
				Schedule.every(java.time.Duration.ofMillis(2500)), true))
			.contains("{\"__type__\": \"interval\", \"every\": 2.5, \"relative\": false}");
	}

	private Schedule schedule(JsonNode decodeCase) {
		return this.codec
			.readSchedule(RedBeatVectors.plain(RedBeatVectors.MAPPER.readTree(decodeCase.get("json").asString())));
	}

	private @Nullable StoredEntry written(JsonNode each) {
		JsonNode written = each.get("written");
		if (written == null || !written.has("hash") || written.get("hash").isEmpty()) {
			return null;
		}
		JsonNode hash = written.get("hash");
		String key = each.get("key").asString();
		Double score = null;
		for (JsonNode member : written.get("zset")) {
			if (member.get(0).asString().equals(key)) {
				score = member.get(1).asDouble();
			}
		}
		return StoredEntry.read(key, key.substring("exp:".length()), score, text(hash, "definition"),
				text(hash, "meta"), text(hash, EntryExtras.FIELD), this.codec);
	}

	private static @Nullable String text(JsonNode hash, String field) {
		return hash.has(field) ? hash.get(field).asString() : null;
	}

	private static List<JsonNode> savedHashes() {
		List<JsonNode> hashes = new ArrayList<>();
		for (JsonNode each : RedBeatVectors.read("encodings.json").get("save_cases")) {
			if (each.has("hash")) {
				hashes.add(each.get("hash"));
			}
		}
		RedBeatVectors.read("keys-after-ticks.json").get("snapshot").get("keys").forEach((value) -> {
			if ("hash".equals(value.get("type").asString())) {
				hashes.add(value.get("fields"));
			}
		});
		return hashes;
	}

}
