package dev.taskqueue.control.internal;

import dev.taskqueue.ratelimit.RateLimit;

/**
 * What a worker hears on the {@link ControlBus control channel}.
 */
public interface ControlListener {

	/**
	 * A task was revoked, on this or another process.
	 * @param taskId the task id
	 * @param terminate whether a running task should be interrupted
	 */
	void onRevoke(String taskId, boolean terminate);

	/**
	 * A task's per-worker rate limit was changed for every worker.
	 * @param taskName the task name
	 * @param limit the new limit, in Celery's notation ({@code 10/s})
	 */
	default void onRateLimit(String taskName, RateLimit limit) {
	}

}
