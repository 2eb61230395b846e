package dev.taskqueue.beat.internal;

import java.time.Duration;
import java.time.ZoneId;

/**
 * How a beat runs.
 *
 * @param lockTimeout the lock's time to live, renewed every tick: how soon a standby
 * takes over from a leader that died
 * @param maxInterval the longest a beat sleeps between ticks (the leader's tick when
 * nothing is due sooner, and a standby's retry interval)
 * @param zone the zone of entries that name none, and in which {@code last_run_at} is
 * written for them (Celery's {@code timezone})
 * @param missedRunGrace how late a run may still be fired by an entry whose policy skips
 * missed runs
 * @param publishThreads how many batches of runs are sent at once (each in one pipelined
 * bulk send)
 * @param batchSize how many runs one fencing script advances, and one bulk send sends
 */
public record BeatSettings(Duration lockTimeout, Duration maxInterval, ZoneId zone, Duration missedRunGrace,
		int publishThreads, int batchSize) {

	/**
	 * Check the settings.
	 */
	public BeatSettings {
		if (lockTimeout.toMillis() < 1000) {
			throw new IllegalArgumentException("The lock timeout must be at least 1s, got " + lockTimeout);
		}
		if (maxInterval.isNegative() || maxInterval.isZero()) {
			throw new IllegalArgumentException("The beat's max interval must be positive, got " + maxInterval);
		}
		if (maxInterval.compareTo(lockTimeout) >= 0) {
			throw new IllegalArgumentException("The beat's max interval (" + maxInterval + ") must be shorter than "
					+ "the lock timeout (" + lockTimeout + "), or the lock expires between ticks");
		}
		if (missedRunGrace.isNegative()) {
			throw new IllegalArgumentException("The missed-run grace must not be negative, got " + missedRunGrace);
		}
		if (publishThreads < 1 || batchSize < 1) {
			throw new IllegalArgumentException("Publish threads and batch size must be at least 1");
		}
	}

	/**
	 * The defaults: a 30s lock, ticks at least every 5s, UTC, a minute's grace, 4
	 * publishing threads, batches of 1000.
	 * @return the defaults
	 */
	public static BeatSettings defaults() {
		return new BeatSettings(Duration.ofSeconds(30), Duration.ofSeconds(5), ZoneId.of("UTC"), Duration.ofMinutes(1),
				4, 1000);
	}

}
