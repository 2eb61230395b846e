package dev.taskqueue.benchmarks.stages;

import java.time.Instant;

/**
 * Microseconds since the epoch from the realtime clock ({@code clock_gettime}): the one
 * clock the driver's and the worker's JVMs share on this machine, unlike
 * {@link System#nanoTime()}, whose origin is per JVM.
 */
public final class WallClock {

	private WallClock() {
	}

	/**
	 * Return the time now, in microseconds since the epoch.
	 * @return the time now, in microseconds since the epoch
	 */
	public static long micros() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
	}

}
