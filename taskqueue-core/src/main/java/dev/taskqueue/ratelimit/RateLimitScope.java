package dev.taskqueue.ratelimit;

/**
 * Where a rate limit is enforced.
 */
public enum RateLimitScope {

	/**
	 * Each worker enforces the limit on its own, as Celery does: N workers together start
	 * up to N times the rate.
	 */
	WORKER,

	/**
	 * One token bucket in Redis, shared by every worker of the application, so the rate
	 * holds for all of them together. Timed by the Redis server's clock.
	 */
	CLUSTER

}
