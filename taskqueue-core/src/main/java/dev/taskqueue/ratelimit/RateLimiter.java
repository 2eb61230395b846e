package dev.taskqueue.ratelimit;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A per-worker rate limiter with Celery's semantics (a token bucket of capacity one): starts are
 * spaced at least one interval apart. Callers reserve a start and are told how long to wait for
 * it, so waiting never has to block a thread.
 */
public final class RateLimiter {

	private final long intervalNanos;

	private final AtomicLong nextFree = new AtomicLong(Long.MIN_VALUE);

	/**
	 * Create a limiter.
	 * @param limit the rate limit
	 */
	public RateLimiter(RateLimit limit) {
		this.intervalNanos = limit.intervalNanos();
	}

	/**
	 * Reserve the next start.
	 * @return how many milliseconds to wait before starting (0 to start now)
	 */
	public long reserveMillis() {
		long now = System.nanoTime();
		while (true) {
			long free = this.nextFree.get();
			long start = (free == Long.MIN_VALUE || free - now < 0) ? now : free;
			if (this.nextFree.compareAndSet(free, start + this.intervalNanos)) {
				return TimeUnit.NANOSECONDS.toMillis(start - now);
			}
		}
	}

}
