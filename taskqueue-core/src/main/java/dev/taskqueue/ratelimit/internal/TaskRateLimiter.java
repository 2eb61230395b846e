package dev.taskqueue.ratelimit.internal;

/**
 * Hands out the starts of one rate-limited task. A caller reserves a start and is told
 * how long to wait for it, so waiting never has to block a thread; a reservation is not
 * given back.
 */
public interface TaskRateLimiter {

	/**
	 * Reserve the next start.
	 * @return how many milliseconds to wait before starting (0 to start now)
	 */
	long reserveMillis();

	/**
	 * Whether every worker reserves from this limiter's bucket, so a start reserved by
	 * one worker may be taken by another.
	 * @return whether the bucket is shared
	 */
	default boolean isShared() {
		return false;
	}

}
