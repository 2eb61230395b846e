package dev.taskqueue.beat.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.beat.PeriodicTask;
import dev.taskqueue.beat.Schedule;
import dev.taskqueue.beat.ScheduledTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java beat on a schedule Python's RedBeat wrote: it fires Python's entries with the
 * messages Python's beat sends, leaves alone what it cannot read, reconciles its own
 * configured entries as RedBeat does, and evaluates crontabs across DST as Celery does.
 */
class BeatCompatibilityIntegrationTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	private final BeatFixture fixture = new BeatFixture();

	@AfterEach
	void close() {
		this.fixture.close();
	}

	@Test
	void entriesARunningRedBeatWroteAreFiredWithTheMessagesItsBeatSent() {
		JsonNode keys = RedBeatVectors.read("keys-after-ticks.json").get("snapshot").get("keys");
		Map<String, Double> scores = new HashMap<>();
		keys.get("redbeat::schedule")
			.get("members_with_scores")
			.forEach((member) -> scores.put(member.get(0).asString(), member.get(1).asDouble()));
		keys.properties().forEach((key) -> {
			if ("hash".equals(key.getValue().get("type").asString())) {
				String name = key.getKey().substring("redbeat:".length());
				key.getValue()
					.get("fields")
					.properties()
					.forEach((field) -> this.fixture.redis.opsForHash()
						.put(this.fixture.keys.entry(name), field.getKey(),
								field.getValue()
									.get("raw")
									.asString()
									.replace("\"periodic\"", "\"" + this.fixture.queue + "\"")));
				this.fixture.redis.opsForZSet()
					.add(this.fixture.keys.schedule(), this.fixture.keys.entry(name), scores.get(key.getKey()));
			}
		});
		Beat beat = this.fixture.beat("a");
		// Two hours after the capture: every entry but the finished rrule and the
		// disabled
		// one is past due.
		this.fixture.clock.set(Instant.parse("2026-12-07T04:45:26Z"));
		beat.tick();
		Map<String, Message> sent = new HashMap<>();
		for (Message message : this.fixture.drain()) {
			sent.put(BeatFixture.header(message, "periodic_task_name"), message);
		}
		assertThat(sent).containsOnlyKeys("every-10s", "cron-every-minute", "rt-crontab", "rt-interval-relative",
				"celery.backend_cleanup");
		JsonNode python = RedBeatVectors.read("messages.json").get("messages").get(0);
		Message java = sent.get("every-10s");
		assertThat(new String(java.getBody())).isEqualTo(python.get("body_text").asString());
		assertThat(java.getMessageProperties().getPriority())
			.isEqualTo(python.get("properties").get("priority").asInt());
		// Python's beat writes the option's 8 s; the codec counts from its own clock.
		assertThat(Long.parseLong(java.getMessageProperties().getExpiration())).isBetween(7000L, 8000L);
		// argsrepr differs in form only: Python's beat shows its JSON list, [2, 3].
		assertThat(BeatFixture.header(java, "argsrepr")).isEqualTo("(2, 3)");
		for (String header : List.of("lang", "task", "kwargsrepr", "retries", "ignore_result")) {
			assertThat(BeatFixture.header(java, header)).as(header)
				.isEqualTo(String.valueOf(RedBeatVectors.plain(python.get("headers").get(header)))
					.replace("true", "True")
					.replace("false", "false"));
		}
		OffsetDateTime expires = OffsetDateTime.parse(BeatFixture.header(java, "expires"));
		assertThat(Duration.between(Instant.now(), expires.toInstant())).isBetween(Duration.ZERO,
				Duration.ofSeconds(8));
		// The header Python set in the entry's options is sent as it is.
		assertThat(BeatFixture.header(sent.get("rt-interval-relative"), "periodic_task_name"))
			.isEqualTo("rt-interval-relative");
		assertThat(this.fixture.score("rt-rrule")).isEqualTo(-1.0);
		assertThat(this.fixture.drain()).isEmpty();
		assertThat(this.fixture.raw(this.fixture.keys.entry("rt-disabled"), "meta"))
			.isEqualTo(keys.get("redbeat:rt-disabled").get("fields").get("meta").get("raw").asString());
		assertThat(this.fixture.raw(this.fixture.keys.entry("every-10s"), "meta")).contains("\"total_run_count\": 20");
	}

	@Test
	void entriesPythonCannotReadAreLeftAloneAndDoNotStopTheOthers() {
		List<String> written = new ArrayList<>();
		Map<String, Map<String, String>> before = new HashMap<>();
		Map<String, Double> scores = new HashMap<>();
		for (JsonNode each : RedBeatVectors.read("unknown-fields.json").get("cases")) {
			JsonNode hash = each.path("written").path("hash");
			if (hash.isMissingNode() || hash.isEmpty()) {
				continue;
			}
			String name = each.get("key").asString().substring("exp:".length());
			Map<String, String> fields = new HashMap<>();
			hash.properties().forEach((field) -> fields.put(field.getKey(), field.getValue().asString()));
			this.fixture.redis.opsForHash().putAll(this.fixture.keys.entry(name), fields);
			double score = each.get("written").get("zset").get(0).get(1).asDouble();
			this.fixture.redis.opsForZSet().add(this.fixture.keys.schedule(), this.fixture.keys.entry(name), score);
			scores.put(name, score);
			before.put(name, fields);
			written.add(name);
		}
		this.fixture.clock.set(Instant.parse("2026-12-07T03:10:00Z"));
		// The valid entry RedBeat starved behind the impossible crontab.
		DefaultPeriodicTasks tasks = this.fixture.tasks();
		tasks.add(PeriodicTask.builder("b-valid", "exp.task").schedule(Schedule.every(Duration.ofSeconds(30))).build());
		tasks.runNow("b-valid");
		this.fixture.beat("a").tick();
		List<String> fired = this.fixture.drain()
			.stream()
			.map((m) -> BeatFixture.header(m, "periodic_task_name"))
			.toList();
		assertThat(fired).containsExactlyInAnyOrder("valid-baseline", "no-meta", "minimal-definition",
				"definition-relative-field", "extra-hash-field", "options-unknown-key", "options-headers",
				"options-task-id", "interval-extra-field", "schedule-bare-number", "name-mismatch", "enabled-missing",
				"score-past-not-due", "b-valid");
		for (String poison : List.of("definition-extra-field", "meta-extra-field", "meta-last-run-iso-string",
				"meta-last-run-epoch", "interval-without-relative", "crontab-extra-field", "crontab-spring-syntax",
				"unknown-schedule-type", "datetime-extra-field", "datetime-offset-string-zone",
				"interval-without-every", "a-crontab-impossible-date", "definition-not-json")) {
			assertThat(this.fixture.hash(poison)).as(poison).isEqualTo(before.get(poison));
			assertThat(this.fixture.score(poison)).as(poison).isEqualTo(scores.get(poison));
		}
		// The beat goes by the key, not by a name the definition got wrong.
		assertThat(this.fixture.hash("other-name")).isEmpty();
		assertThat(written).hasSize(29);
	}

	@Test
	void configuredEntriesAreReconciledByTheLeaderAsRedBeatDoesInASetOfTheirOwn() {
		this.fixture.redis.opsForSet().add(this.fixture.prefix + ":statics", "python-static");
		PeriodicTask a = PeriodicTask.builder("a", "t.a").schedule(Schedule.every(Duration.ofMinutes(5))).build();
		PeriodicTask b = PeriodicTask.builder("b", "t.b").schedule(Schedule.cron("0 0 4 * * *")).build();
		PeriodicTask c = PeriodicTask.builder("c", "t.c").schedule(Schedule.cron("0 0 5 * * *")).build();
		Beat first = this.fixture.beat("first", this.fixture.settings(Duration.ofSeconds(30), Duration.ofSeconds(5)),
				this.fixture.stack.redis, List.of(configured(a), configured(b)));
		Beat standby = this.fixture.beat("standby",
				this.fixture.settings(Duration.ofSeconds(30), Duration.ofSeconds(5)), this.fixture.stack.redis,
				List.of(configured(b), configured(c)));
		first.tick();
		standby.tick();
		assertThat(this.fixture.members()).containsExactlyInAnyOrder(this.fixture.keys.entry("a"),
				this.fixture.keys.entry("b"));
		String metaOfB = this.fixture.raw(this.fixture.keys.entry("b"), "meta");
		assertThat(this.fixture.tasks().get("a").orElseThrow().origin()).isEqualTo(ScheduledTask.Origin.CONFIGURATION);
		first.start();
		first.stop();
		this.fixture.clock.advance(Duration.ofMinutes(1));
		standby.tick();
		assertThat(this.fixture.members()).containsExactlyInAnyOrder(this.fixture.keys.entry("b"),
				this.fixture.keys.entry("c"));
		assertThat(this.fixture.raw(this.fixture.keys.entry("b"), "meta")).isEqualTo(metaOfB);
		assertThat(this.fixture.redis.opsForSet().members(this.fixture.prefix + ":statics:java"))
			.containsExactlyInAnyOrder("b", "c");
		assertThat(this.fixture.redis.opsForSet().members(this.fixture.prefix + ":statics"))
			.containsExactly("python-static");
	}

	@Test
	void aConfiguredEntryCannotBeReplacedOrRemovedAtRuntimeButCanBeDisabled() {
		PeriodicTask a = PeriodicTask.builder("a", "t.a").schedule(Schedule.every(Duration.ofMinutes(5))).build();
		Beat beat = this.fixture.beat("a", this.fixture.settings(Duration.ofSeconds(30), Duration.ofSeconds(5)),
				this.fixture.stack.redis, List.of(configured(a)));
		beat.tick();
		DefaultPeriodicTasks tasks = this.fixture.tasks(beat);
		org.assertj.core.api.Assertions.assertThatIllegalStateException()
			.isThrownBy(() -> tasks.replace(a.toBuilder().args(1).build()))
			.withMessageContaining("taskqueue.beat.schedule");
		org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() -> tasks.remove("a"));
		tasks.disable("a");
		beat.halt();
		// A restart reconciles the configuration, and keeps the runtime's disable.
		this.fixture.redis.delete(this.fixture.keys.lock());
		Beat restarted = this.fixture.beat("b", this.fixture.settings(Duration.ofSeconds(30), Duration.ofSeconds(5)),
				this.fixture.stack.redis, List.of(configured(a)));
		restarted.tick();
		assertThat(tasks.get("a").orElseThrow().isEnabled()).isFalse();
	}

	@Test
	void aDailyRunAt0230InBerlinFollowsCeleryAcrossBothDstNights() {
		PeriodicTask task = PeriodicTask.builder("nightly", "t.nightly")
			.schedule(Schedule.cron("0 30 2 * * *"))
			.zone(BERLIN)
			.build();
		assertThat(runs(task, Instant.parse("2027-03-27T11:00:00Z"), 3)).containsExactly(
				OffsetDateTime.parse("2027-03-28T03:30+02:00"), OffsetDateTime.parse("2027-03-29T02:30+02:00"),
				OffsetDateTime.parse("2027-03-30T02:30+02:00"));
		assertThat(runs(task.toBuilder().build(), Instant.parse("2026-10-24T10:00:00Z"), 3)).containsExactly(
				OffsetDateTime.parse("2026-10-25T02:30+02:00"), OffsetDateTime.parse("2026-10-26T02:30+01:00"),
				OffsetDateTime.parse("2026-10-27T02:30+01:00"));
		assertThat(this.fixture.raw(this.fixture.keys.entry("nightly"), "meta"))
			.contains("\"timezone\": \"Europe/Berlin\"");
	}

	@Test
	void anHourlyRunInBerlinSkipsTheRepeatedHourWhenClocksGoBack() {
		PeriodicTask task = PeriodicTask.builder("hourly", "t.hourly")
			.schedule(Schedule.cron("0 0 * * * *"))
			.zone(BERLIN)
			.build();
		assertThat(runs(task, Instant.parse("2026-10-24T22:30:00Z"), 4)).containsExactly(
				OffsetDateTime.parse("2026-10-25T01:00+02:00"), OffsetDateTime.parse("2026-10-25T02:00+02:00"),
				OffsetDateTime.parse("2026-10-25T03:00+01:00"), OffsetDateTime.parse("2026-10-25T04:00+01:00"));
	}

	/**
	 * Add an entry at a time and move the clock from each run's score to the next,
	 * ticking twice a second around each: the due times of the runs the beat fired.
	 */
	private List<OffsetDateTime> runs(PeriodicTask task, Instant from, int count) {
		this.fixture.redis.delete(List.of(this.fixture.keys.entry(task.getName()), this.fixture.keys.schedule()));
		this.fixture.clock.set(from);
		Beat beat = this.fixture.beat(task.getName() + "-beat");
		this.fixture.tasks(beat).add(task);
		List<OffsetDateTime> runs = new ArrayList<>();
		while (runs.size() < count) {
			Instant score = Instant.ofEpochSecond(this.fixture.score(task.getName()).longValue());
			for (Instant at = score.minusSeconds(1); at.isBefore(score.plusSeconds(2)); at = at.plusMillis(500)) {
				this.fixture.clock.set(at);
				beat.tick();
			}
			for (String id : this.fixture.drainIds()) {
				long due = Long.parseLong(id.substring(id.lastIndexOf(':') + 1));
				runs.add(Instant.ofEpochSecond(due).atZone(BERLIN).toOffsetDateTime());
			}
		}
		beat.halt();
		this.fixture.redis.delete(this.fixture.keys.lock());
		return runs;
	}

	private static StaticTask configured(PeriodicTask task) {
		return new StaticTask(task, ScheduledTask.Origin.CONFIGURATION, "taskqueue.beat.schedule." + task.getName());
	}

}
