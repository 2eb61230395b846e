package dev.taskqueue.ratelimit;

/**
 * Hands out the starts of one rate-limited task. A caller reserves a start and is told how long to
 * wait for it, so waiting never has to block a thread; a reservation is not given back.
 */
public interface TaskRateLimiter {

	/**
	 * Reserve the next start.
	 * @return how many milliseconds to wait before starting (0 to start now)
	 */
	long reserveMillis();

}
