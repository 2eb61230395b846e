package dev.taskqueue.beat.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import dev.taskqueue.beat.MissedRunPolicy;
import dev.taskqueue.beat.PeriodicTask;
import dev.taskqueue.beat.Schedule;
import dev.taskqueue.beat.ScheduledTask;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a tick does with one entry: Celery's dueness from {@code last_run_at}, the
 * missed-run policies and the runs' task ids.
 */
class FirePlannerTests {

	private static final ZoneId UTC = ZoneId.of("UTC");

	private final RedBeatJson codec = new RedBeatJson(JsonMapper.builder().build());

	private final FirePlanner planner = new FirePlanner(this.codec, UTC, Duration.ofMinutes(1));

	private final PeriodicTask everyMinute = PeriodicTask.builder("minutely", "t.tick")
		.schedule(Schedule.cron("0 * * * * *"))
		.build();

	@Test
	void anEntryIsDueOnceItsNextRunAfterItsLastRunHasCome() {
		StoredEntry entry = entry(this.everyMinute, at("10:00:00.1"), 3, epoch("10:01:00"));
		assertThat(this.planner.plan(entry, at("10:00:59.9").toInstant()).fires()).isEmpty();
		assertThat(this.planner.plan(entry, at("10:00:59.9").toInstant()).nextCheck())
			.isEqualTo(at("10:01:00").toInstant());
		FirePlanner.Plan plan = this.planner.plan(entry, at("10:01:00.002").toInstant());
		assertThat(plan.fires()).singleElement().satisfies((fire) -> {
			assertThat(fire.id()).isEqualTo("beat:minutely:" + epoch("10:01:00"));
			assertThat(fire.lastRunAt()).isEqualTo(at("10:01:00.002"));
			assertThat(fire.totalRunCount()).isEqualTo(4);
			assertThat(fire.score()).isEqualTo(epoch("10:02:00"));
			assertThat(fire.meta()).contains("\"total_run_count\": 4");
		});
	}

	@Test
	void theScoreOnlySelectsTheLastRunDecides() {
		// Python scores a second early: selected at 10:00:59, due at 10:01:00.
		StoredEntry entry = entry(this.everyMinute, at("10:00:00.1"), 3, epoch("10:00:59"));
		assertThat(this.planner.plan(entry, at("10:00:59.5").toInstant()).fires()).isEmpty();
	}

	@Test
	void onceFiresOneRunForManyMissedAndCountsOnFromNow() {
		StoredEntry entry = entry(this.everyMinute, at("10:00:00.1"), 3, epoch("10:01:00"));
		FirePlanner.Plan plan = this.planner.plan(entry, at("10:05:30").toInstant());
		assertThat(plan.fires()).singleElement().satisfies((fire) -> {
			assertThat(fire.id()).isEqualTo("beat:minutely:" + epoch("10:01:00"));
			assertThat(fire.lastRunAt()).isEqualTo(at("10:05:30"));
			assertThat(fire.score()).isEqualTo(epoch("10:06:00"));
		});
	}

	@Test
	void skipFiresNothingForRunsMissedByMoreThanTheGraceAndWaitsForTheNext() {
		StoredEntry entry = entry(policy(MissedRunPolicy.SKIP, 10), at("10:00:00.1"), 3, epoch("10:01:00"));
		FirePlanner strict = new FirePlanner(this.codec, UTC, Duration.ofSeconds(10));
		FirePlanner.Plan plan = strict.plan(entry, at("10:06:30").toInstant());
		assertThat(plan.skipped()).isEqualTo(6);
		assertThat(plan.fires()).singleElement().satisfies((fire) -> {
			assertThat(fire.sends()).isFalse();
			assertThat(fire.lastRunAt()).isEqualTo(at("10:06:00"));
			assertThat(fire.totalRunCount()).isEqualTo(3);
			assertThat(fire.score()).isEqualTo(epoch("10:07:00"));
		});
	}

	@Test
	void skipStillFiresTheLatestRunWithinTheGrace() {
		StoredEntry entry = entry(policy(MissedRunPolicy.SKIP, 10), at("10:00:00.1"), 3, epoch("10:01:00"));
		FirePlanner.Plan plan = this.planner.plan(entry, at("10:05:40").toInstant());
		assertThat(plan.skipped()).isEqualTo(4);
		assertThat(plan.fires()).singleElement().satisfies((fire) -> {
			assertThat(fire.id()).isEqualTo("beat:minutely:" + epoch("10:05:00"));
			assertThat(fire.score()).isEqualTo(epoch("10:06:00"));
		});
	}

	@Test
	void allFiresEveryMissedRunUpToItsLimitOldestFirstEachWithItsOwnId() {
		StoredEntry entry = entry(policy(MissedRunPolicy.ALL, 3), at("10:00:00.1"), 3, epoch("10:01:00"));
		FirePlanner.Plan plan = this.planner.plan(entry, at("10:05:30").toInstant());
		assertThat(plan.skipped()).isEqualTo(2);
		assertThat(plan.fires()).extracting(Fire::id)
			.containsExactly("beat:minutely:" + epoch("10:03:00"), "beat:minutely:" + epoch("10:04:00"),
					"beat:minutely:" + epoch("10:05:00"));
		assertThat(plan.fires()).extracting(Fire::totalRunCount).containsExactly(4L, 5L, 6L);
		// Each advance expects what the one before it wrote, so the chain is fenced too.
		assertThat(plan.fires().get(1).expectedMeta()).isEqualTo(plan.fires().get(0).meta());
		assertThat(plan.fires().get(2).score()).isEqualTo(epoch("10:06:00"));
	}

	@Test
	void anEntryThatNeverRanIsDueAtOnceAndNamedByItsScore() {
		StoredEntry entry = entry(this.everyMinute, null, 7, epoch("10:03:00"));
		FirePlanner.Plan plan = this.planner.plan(entry, at("10:03:00.5").toInstant());
		assertThat(plan.fires()).singleElement().satisfies((fire) -> {
			assertThat(fire.id()).isEqualTo("beat:minutely:" + epoch("10:03:00"));
			assertThat(fire.totalRunCount()).isEqualTo(8);
		});
	}

	@Test
	void aDisabledEntryIsLeftAsItIs() {
		StoredEntry entry = entry(this.everyMinute.toBuilder().enabled(false).build(), at("10:00:00.1"), 3,
				epoch("10:01:00"));
		assertThat(this.planner.plan(entry, at("11:00:00").toInstant())).isEqualTo(FirePlanner.Plan.NOTHING);
	}

	@Test
	void everyBeatNamesARunAlike() {
		StoredEntry entry = entry(this.everyMinute, at("10:00:00.1"), 3, epoch("10:01:00"));
		FirePlanner other = new FirePlanner(this.codec, UTC, Duration.ofMinutes(1));
		assertThat(other.plan(entry, at("10:01:07").toInstant()).fires().get(0).id())
			.isEqualTo(this.planner.plan(entry, at("10:01:00.001").toInstant()).fires().get(0).id());
		assertThat(FirePlanner.id("every-10s", Instant.ofEpochSecond(1796611347, 257_465_000)))
			.isEqualTo("beat:every-10s:1796611347.257");
	}

	private PeriodicTask policy(MissedRunPolicy policy, int limit) {
		return this.everyMinute.toBuilder().missedRuns(policy).missedRunLimit(limit).build();
	}

	private StoredEntry entry(PeriodicTask task, @Nullable ZonedDateTime last, long count, long score) {
		String definition = this.codec.writeDefinition(task.getName(), task.getTask(), task.getArgs(), task.getKwargs(),
				task.getOptions(), task.getSchedule(), task.isEnabled());
		String meta = this.codec.writeMeta(last, count);
		String extras = EntryExtras.of(task, ScheduledTask.Origin.API).write(this.codec);
		return StoredEntry.read("redbeat:" + task.getName(), task.getName(), (double) score, definition, meta, extras,
				this.codec);
	}

	private static ZonedDateTime at(String time) {
		return ZonedDateTime.parse("2026-12-07T" + time + "Z[UTC]");
	}

	private static long epoch(String time) {
		return at(time).toEpochSecond();
	}

}
