package dev.taskqueue.ratelimit.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import dev.taskqueue.ratelimit.RateLimit;

/**
 * A per-worker rate limiter: a token bucket of capacity {@link RateLimit#burst()} (1 by
 * default, Celery's semantics: starts are spaced at least one interval apart), kept as
 * the bucket's theoretical arrival time (GCRA). Callers reserve a start and are told how
 * long to wait for it, so waiting never has to block a thread.
 */
public final class RateLimiter implements TaskRateLimiter {

	private final long intervalNanos;

	private final long toleranceNanos;

	private final LongSupplier nanoClock;

	/**
	 * When the bucket is empty again at this rate, if nothing else starts; MIN_VALUE:
	 * idle.
	 */
	private final AtomicLong theoreticalArrival = new AtomicLong(Long.MIN_VALUE);

	/**
	 * Create a limiter.
	 * @param limit the rate limit
	 */
	public RateLimiter(RateLimit limit) {
		this(limit, System::nanoTime);
	}

	/**
	 * Create a limiter on a clock of its own, so that tests need not race the real one.
	 * @param limit the rate limit
	 * @param nanoClock the time in nanoseconds, as {@link System#nanoTime()} gives it
	 */
	public RateLimiter(RateLimit limit, LongSupplier nanoClock) {
		this.intervalNanos = Math.max(1, limit.intervalNanos());
		this.toleranceNanos = (limit.burst() - 1) * this.intervalNanos;
		this.nanoClock = nanoClock;
	}

	@Override
	public long reserveMillis() {
		long now = this.nanoClock.getAsLong();
		while (true) {
			long tat = this.theoreticalArrival.get();
			long arrival = (tat == Long.MIN_VALUE || tat - now < 0) ? now : tat;
			long start = arrival - this.toleranceNanos;
			if (start - now < 0) {
				start = now;
			}
			if (this.theoreticalArrival.compareAndSet(tat, arrival + this.intervalNanos)) {
				return TimeUnit.NANOSECONDS.toMillis(start - now);
			}
		}
	}

}
