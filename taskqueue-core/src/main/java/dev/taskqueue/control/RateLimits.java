package dev.taskqueue.control;

import dev.taskqueue.control.internal.ControlBus;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.RateLimitScope;

/**
 * Changes a task's rate limit on every running worker at once, by broadcasting on the
 * {@link ControlBus control channel}: each worker replaces its limiter for that task. The
 * new limit replaces rate, burst and {@link RateLimitScope scope}; for a cluster-wide
 * limit the shared bucket in Redis stays, so the new rate applies from the next start on.
 * The change lasts until a worker restarts, which then starts again from
 * {@code taskqueue.tasks.*} or {@code @QueueTask(rateLimit)}; workers that start after
 * the change do not get it.
 */
public class RateLimits {

	private final ControlBus control;

	/**
	 * Create the API.
	 * @param control the control bus
	 */
	public RateLimits(ControlBus control) {
		this.control = control;
	}

	/**
	 * Change a task's rate limit on every worker.
	 * @param taskName the task name
	 * @param limit the new limit per worker, e.g. {@code 10/s} (burst 1)
	 * @return how many processes listen on the control channel (workers, and clients that
	 * listen)
	 * @throws IllegalArgumentException if the limit is not a rate limit
	 */
	public long change(String taskName, String limit) {
		return change(taskName, RateLimit.parse(limit));
	}

	/**
	 * Change a task's rate limit on every worker.
	 * @param taskName the task name
	 * @param limit the new limit, with its burst and scope
	 * @return how many processes listen on the control channel
	 */
	public long change(String taskName, RateLimit limit) {
		return this.control.broadcastRateLimit(taskName, limit);
	}

}
