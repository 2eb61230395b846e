package dev.taskqueue.beat.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A monotonic clock that jumps an hour ahead after a number of reads, as a JVM frozen (a
 * GC pause, {@code SIGSTOP}) at that point would see it when it runs on.
 */
final class PausingNanoClock implements LongSupplier {

	private final AtomicInteger readsLeft = new AtomicInteger(Integer.MAX_VALUE);

	private volatile long offset;

	/**
	 * Pause after this many more reads.
	 * @param reads the reads before the pause
	 */
	void pauseAfter(int reads) {
		this.readsLeft.set(reads);
	}

	@Override
	public long getAsLong() {
		if (this.readsLeft.getAndDecrement() <= 0) {
			this.offset = TimeUnit.HOURS.toNanos(1);
		}
		return System.nanoTime() + this.offset;
	}

}
