package dev.taskqueue.beat.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.taskqueue.beat.PeriodicTask;
import dev.taskqueue.beat.Schedule;
import dev.taskqueue.support.Infrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three beats of one schedule, each ticking on its own thread, over minutes of a shared
 * test clock: every run is sent once, whoever leads, and when the leader dies without a
 * word a standby takes over and misses nothing.
 */
class BeatClusterIntegrationTests {

	private final BeatFixture fixture = new BeatFixture();

	@AfterEach
	void close() {
		this.fixture.close();
	}

	@Test
	void everyDueRunIsSentExactlyOnceAcrossThreeBeatsAndALeaderThatDies() {
		String name = Infrastructure.unique("cluster");
		List<String> entries = List.of(name + "-a", name + "-b", name + "-c");
		DefaultPeriodicTasks tasks = this.fixture.tasks();
		this.fixture.clock.set(Instant.parse("2026-12-07T10:00:00Z"));
		for (String entry : entries) {
			tasks.add(PeriodicTask.builder(entry, "beat.tick").schedule(Schedule.cron("0 * * * * *")).build());
		}
		BeatSettings settings = this.fixture.settings(Duration.ofSeconds(2), Duration.ofMillis(100));
		List<Beat> beats = new ArrayList<>();
		for (String beat : List.of("one", "two", "three")) {
			beats.add(this.fixture.beat(beat, settings, this.fixture.stack.redis, List.of()));
		}
		beats.forEach(Beat::start);
		Set<String> leaders = new HashSet<>();
		int steps = 6 * 12;
		for (int step = 1; step <= steps; step++) {
			if (step == steps / 2) {
				Beat leader = awaitLeader(beats);
				leaders.add(leader.status().instance());
				leader.halt();
				beats.remove(leader);
				// The survivors take the lock once it expires; the clock waits for them.
				awaitLeader(beats);
			}
			this.fixture.clock.advance(Duration.ofSeconds(5));
			awaitTicks(beats);
		}
		leaders.add(awaitLeader(beats).status().instance());
		List<String> ids = this.fixture.drainIds();
		assertThat(ids).doesNotHaveDuplicates();
		Set<String> expected = new HashSet<>();
		for (String entry : entries) {
			for (int minute = 1; minute <= 6; minute++) {
				expected.add("beat:" + entry + ":"
						+ Instant.parse("2026-12-07T10:00:00Z").plus(Duration.ofMinutes(minute)).getEpochSecond());
			}
		}
		assertThat(new HashSet<>(ids)).isEqualTo(expected);
		assertThat(leaders).hasSize(2);
		assertThat(this.fixture.store.inflight()).isEmpty();
	}

	private static Beat awaitLeader(List<Beat> beats) {
		await("a leader").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> beats.stream().filter(Beat::isLeader).count() == 1);
		return beats.stream().filter(Beat::isLeader).findFirst().orElseThrow();
	}

	/**
	 * Wait until every beat completed two ticks: one of them began after the clock moved.
	 */
	private static void awaitTicks(List<Beat> beats) {
		List<Long> before = beats.stream().map(Beat::completedTicks).collect(Collectors.toList());
		await("ticks").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
			for (int i = 0; i < beats.size(); i++) {
				if (beats.get(i).completedTicks() < before.get(i) + 2) {
					return false;
				}
			}
			return true;
		});
	}

}
