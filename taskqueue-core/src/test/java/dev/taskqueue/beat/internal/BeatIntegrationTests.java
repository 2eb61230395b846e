package dev.taskqueue.beat.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import dev.taskqueue.beat.BeatStatus;
import dev.taskqueue.beat.PeriodicTask;
import dev.taskqueue.beat.Schedule;
import dev.taskqueue.beat.ScheduledTask;
import dev.taskqueue.protocol.internal.CeleryTime;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.ResultMeta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The beat on the real Redis and broker, ticked by hand on a test clock: one fire per due
 * run, only by the lock's holder, fenced, re-sent by a new leader only when it did not
 * arrive.
 */
class BeatIntegrationTests {

	private final BeatFixture fixture = new BeatFixture();

	/**
	 * Unique: run ids name the entry, and results of earlier runs stay in Redis for a
	 * day.
	 */
	private final String minutely = dev.taskqueue.support.Infrastructure.unique("minutely");

	private final PeriodicTask everyMinute = PeriodicTask.builder(this.minutely, "beat.tick")
		.schedule(Schedule.cron("0 * * * * *"))
		.args(1, "two")
		.build();

	@AfterEach
	void close() {
		this.fixture.close();
	}

	@Test
	void aDueRunIsSentOnceWithTheRunsIdAndCeleryBeatsHeader() {
		Beat beat = this.fixture.beat("a");
		this.fixture.tasks(beat).add(this.everyMinute);
		this.fixture.clock.set(Instant.parse("2026-12-07T10:00:59.900Z"));
		beat.tick();
		assertThat(this.fixture.drain()).isEmpty();
		this.fixture.clock.set(Instant.parse("2026-12-07T10:01:00.001Z"));
		beat.tick();
		beat.tick();
		List<Message> messages = this.fixture.drain();
		assertThat(messages).singleElement().satisfies((message) -> {
			assertThat(BeatFixture.header(message, "id"))
				.isEqualTo("beat:" + this.minutely + ":" + Instant.parse("2026-12-07T10:01:00Z").getEpochSecond());
			assertThat(BeatFixture.header(message, "task")).isEqualTo("beat.tick");
			assertThat(BeatFixture.header(message, "periodic_task_name")).isEqualTo(this.minutely);
			assertThat(new String(message.getBody())).startsWith("[[1, \"two\"], {}");
		});
		assertThat(this.fixture.score(this.minutely)).isEqualTo(Instant.parse("2026-12-07T10:02:00Z").getEpochSecond());
		// Planned ahead by the tick before: the run is recorded as fired on the dot.
		assertThat(this.fixture.raw(this.fixture.keys.entry(this.minutely), "meta")).contains("\"total_run_count\": 1")
			.contains("\"minute\": 1, \"second\": 0, \"microsecond\": 0, \"timezone\": \"UTC\"");
		assertThat(this.fixture.store.inflight()).isEmpty();
	}

	@Test
	void aRunFiredAfterItsSecondRecordsWhenItWasSentAsCeleryBeatDoes() {
		Beat beat = this.fixture.beat("a");
		this.fixture.tasks(beat).add(this.everyMinute);
		this.fixture.clock.set(Instant.parse("2026-12-07T10:00:59.900Z"));
		beat.tick();
		this.fixture.clock.set(Instant.parse("2026-12-07T10:01:02.250Z"));
		beat.tick();
		assertThat(this.fixture.drain()).singleElement()
			.satisfies((message) -> assertThat(BeatFixture.header(message, "id"))
				.isEqualTo("beat:" + this.minutely + ":" + Instant.parse("2026-12-07T10:01:00Z").getEpochSecond()));
		assertThat(this.fixture.raw(this.fixture.keys.entry(this.minutely), "meta"))
			.contains("\"minute\": 1, \"second\": 2, \"microsecond\": 250000, \"timezone\": \"UTC\"");
		assertThat(this.fixture.score(this.minutely)).isEqualTo(Instant.parse("2026-12-07T10:02:00Z").getEpochSecond());
	}

	@Test
	void onlyTheLockHolderFiresAndAStandbyStandsBy() {
		Beat a = this.fixture.beat("a");
		Beat b = this.fixture.beat("b");
		this.fixture.tasks().add(this.everyMinute);
		a.tick();
		b.tick();
		assertThat(a.isLeader()).isTrue();
		assertThat(b.isLeader()).isFalse();
		for (int minute = 1; minute <= 3; minute++) {
			this.fixture.clock.set(Instant.parse("2026-12-07T10:00:00.010Z").plus(Duration.ofMinutes(minute)));
			b.tick();
			a.tick();
			b.tick();
		}
		assertThat(this.fixture.drainIds()).hasSize(3).doesNotHaveDuplicates();
		assertThat(this.fixture.redis.opsForValue().get(this.fixture.keys.lock())).isEqualTo(a.status().instance());
	}

	@Test
	void theFenceRefusesABeatThatNoLongerHoldsTheLockAndAStaleRead() {
		this.fixture.tasks().add(this.everyMinute);
		this.fixture.clock.set(Instant.parse("2026-12-07T10:01:00.001Z"));
		StoredEntry read = this.fixture.store.get(this.minutely);
		FirePlanner planner = new FirePlanner(this.fixture.codec, java.time.ZoneId.of("UTC"), Duration.ofMinutes(1));
		Fire fire = planner.plan(read, this.fixture.clock.instant()).fires().get(0);
		RedBeatStore.Advance advance = new RedBeatStore.Advance(read, fire.expectedScore(), fire.expectedMeta(),
				fire.meta(), fire.score(), fire.id(), "{}");
		this.fixture.redis.opsForValue().set(this.fixture.keys.lock(), "python-token");
		assertThat(this.fixture.store.advance("java:stale", List.of(advance))).containsExactly(-1L);
		assertThat(this.fixture.store.advance("python-token", List.of(advance))).containsExactly(1L);
		// The same read again: another beat advanced the entry meanwhile.
		assertThat(this.fixture.store.advance("python-token", List.of(advance))).containsExactly(-2L);
	}

	@Test
	void aBeatWhoseLockWasTakenStandsByAndSendsNothing() {
		Beat a = this.fixture.beat("a");
		this.fixture.tasks().add(this.everyMinute);
		a.tick();
		this.fixture.redis.opsForValue().set(this.fixture.keys.lock(), "cb1cbb6cf1e711f1998200000000c0de");
		this.fixture.clock.set(Instant.parse("2026-12-07T10:01:00.001Z"));
		a.tick();
		assertThat(a.isLeader()).isFalse();
		assertThat(this.fixture.drain()).isEmpty();
	}

	@Test
	void aBeatWhoseLeaseRanOutSendsNothingAndTheNextLeaderSendsTheRunOnce() {
		PausingNanoClock nanos = new PausingNanoClock();
		Beat a = this.fixture.beat("a", nanos);
		this.fixture.tasks().add(this.everyMinute);
		a.tick();
		this.fixture.clock.set(Instant.parse("2026-12-07T10:01:00.001Z"));
		// The JVM freezes past the lock's timeout right after the tick's extend:
		// its own clock says the lease is over, whatever Redis says.
		nanos.pauseAfter(2);
		a.tick();
		assertThat(this.fixture.drain()).isEmpty();
		assertThat(this.fixture.store.inflight()).hasSize(1);
		this.fixture.redis.delete(this.fixture.keys.lock());
		Beat b = this.fixture.beat("b");
		b.tick();
		assertThat(this.fixture.drainIds())
			.containsExactly("beat:" + this.minutely + ":" + Instant.parse("2026-12-07T10:01:00Z").getEpochSecond());
		assertThat(this.fixture.store.inflight()).isEmpty();
		b.tick();
		assertThat(this.fixture.drain()).isEmpty();
	}

	@Test
	void aRunThePreviousLeaderSentThatAlreadyArrivedIsNotSentAgain() {
		this.fixture.tasks().add(this.everyMinute);
		this.fixture.clock.set(Instant.parse("2026-12-07T10:01:00.001Z"));
		String id = advanceWithoutSending("java:dead-leader");
		this.fixture.stack.backend.store(new ResultMeta(id, TaskState.SUCCESS, 3, null, List.of(),
				CeleryTime.formatNaiveUtc(Instant.now()), null, null, null, null, null, null, null, null));
		Beat b = this.fixture.beat("b");
		b.tick();
		assertThat(this.fixture.drain()).isEmpty();
		assertThat(this.fixture.store.inflight()).isEmpty();
	}

	@Test
	void aRunThePreviousLeaderAdvancedButNeverSentIsSentByTheNext() {
		this.fixture.tasks().add(this.everyMinute);
		this.fixture.clock.set(Instant.parse("2026-12-07T10:01:00.001Z"));
		String id = advanceWithoutSending("java:dead-leader");
		Beat b = this.fixture.beat("b");
		b.tick();
		assertThat(this.fixture.drainIds()).containsExactly(id);
		assertThat(this.fixture.store.inflight()).isEmpty();
	}

	@Test
	void missedRunsFollowEachEntrysPolicy() {
		Beat beat = this.fixture.beat("a", new BeatSettings(Duration.ofSeconds(30), Duration.ofSeconds(5),
				java.time.ZoneId.of("UTC"), Duration.ofSeconds(10), 4, 100), this.fixture.stack.redis, List.of());
		DefaultPeriodicTasks tasks = this.fixture.tasks(beat);
		tasks.add(named(this.minutely + "-once", dev.taskqueue.beat.MissedRunPolicy.ONCE));
		tasks.add(named(this.minutely + "-skip", dev.taskqueue.beat.MissedRunPolicy.SKIP));
		tasks.add(named(this.minutely + "-all", dev.taskqueue.beat.MissedRunPolicy.ALL));
		// Every beat was down from 10:00:10 to 10:10:30.
		this.fixture.clock.set(Instant.parse("2026-12-07T10:10:30Z"));
		beat.tick();
		Map<String, Long> runs = new java.util.TreeMap<>();
		this.fixture.drainIds()
			.forEach((id) -> runs.merge(id.substring(id.lastIndexOf('-') + 1, id.lastIndexOf(':')), 1L, Long::sum));
		assertThat(runs).containsExactly(Map.entry("all", 3L), Map.entry("once", 1L));
		for (String name : List.of("once", "skip", "all")) {
			assertThat(this.fixture.score(this.minutely + "-" + name)).as(name)
				.isEqualTo(Instant.parse("2026-12-07T10:11:00Z").getEpochSecond());
		}
		this.fixture.clock.set(Instant.parse("2026-12-07T10:11:00.002Z"));
		beat.tick();
		assertThat(this.fixture.drainIds()).hasSize(3);
	}

	@Test
	void runNowDisableEnableAndTheListingTakeEffectAtTheNextTick() {
		Beat beat = this.fixture.beat("a");
		DefaultPeriodicTasks tasks = this.fixture.tasks(beat);
		tasks.add(this.everyMinute);
		tasks.runNow(this.minutely);
		beat.tick();
		assertThat(this.fixture.drainIds())
			.containsExactly("beat:" + this.minutely + ":" + Instant.parse("2026-12-07T10:00:10Z").getEpochSecond());
		tasks.disable(this.minutely);
		this.fixture.clock.set(Instant.parse("2026-12-07T10:05:00.001Z"));
		beat.tick();
		assertThat(this.fixture.drain()).isEmpty();
		ScheduledTask disabled = tasks.get(this.minutely).orElseThrow();
		assertThat(disabled.isEnabled()).isFalse();
		assertThat(disabled.nextRunAt()).isNull();
		tasks.enable(this.minutely);
		beat.tick();
		assertThat(this.fixture.drainIds()).hasSize(1);
		ScheduledTask listed = tasks.list().get(0);
		assertThat(listed.totalRunCount()).isEqualTo(2);
		assertThat(listed.lastRunAt()).isEqualTo(ZonedDateTime.parse("2026-12-07T10:05:00.001Z[UTC]"));
		assertThat(listed.nextRunAt()).isEqualTo(Instant.parse("2026-12-07T10:06:00Z"));
		assertThat(listed.origin()).isEqualTo(ScheduledTask.Origin.API);
		assertThat(tasks.remove(this.minutely)).isTrue();
		assertThat(this.fixture.members()).isEmpty();
		assertThat(tasks.list()).isEmpty();
	}

	@Test
	void statusNamesTheLeaderOnEveryInstance() {
		Beat a = this.fixture.beat("a");
		a.tick();
		BeatStatus status = this.fixture.tasks().status();
		assertThat(status.state()).isEqualTo(BeatStatus.State.STOPPED);
		assertThat(status.lockHolder()).isEqualTo(a.status().instance());
	}

	private PeriodicTask named(String name, dev.taskqueue.beat.MissedRunPolicy policy) {
		return PeriodicTask.builder(name, "beat.tick")
			.schedule(Schedule.cron("0 * * * * *"))
			.missedRuns(policy)
			.missedRunLimit(3)
			.build();
	}

	/** What a leader that died between advancing a run and sending it leaves behind. */
	private String advanceWithoutSending(String token) {
		this.fixture.redis.opsForValue().set(this.fixture.keys.lock(), token);
		StoredEntry read = this.fixture.store.get(this.minutely);
		Fire fire = new FirePlanner(this.fixture.codec, java.time.ZoneId.of("UTC"), Duration.ofMinutes(1))
			.plan(read, this.fixture.clock.instant())
			.fires()
			.get(0);
		String inflight = this.fixture.codec.write(Map.of("name", this.minutely, "token", token, "due",
				fire.due().toEpochMilli(), "definition", read.rawDefinition()));
		assertThat(this.fixture.store.advance(token, List.of(new RedBeatStore.Advance(read, fire.expectedScore(),
				fire.expectedMeta(), fire.meta(), fire.score(), fire.id(), inflight))))
			.containsExactly(1L);
		this.fixture.redis.delete(this.fixture.keys.lock());
		return fire.id();
	}

}
