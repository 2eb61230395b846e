package dev.taskqueue.event;

import java.time.Duration;

/**
 * A task has to wait for its rate limit before it starts: it is held or parked, not run
 * now.
 */
public class TaskRateLimitedEvent extends TaskEvent {

	private final Duration wait;

	private final boolean parked;

	/**
	 * Create a new event.
	 * @param source the worker
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param wait how long until the start reserved for it
	 * @param parked whether it waits in the broker's delay queues (else it is held
	 * unacknowledged by this worker)
	 */
	public TaskRateLimitedEvent(Object source, String taskId, String taskName, Duration wait, boolean parked) {
		super(source, taskId, taskName);
		this.wait = wait;
		this.parked = parked;
	}

	/**
	 * Return how long until the start reserved for the task.
	 * @return how long until the start reserved for the task
	 */
	public Duration getWait() {
		return this.wait;
	}

	/**
	 * Return whether the task waits in the broker's delay queues rather than in this
	 * worker.
	 * @return whether the task waits in the broker's delay queues rather than in this
	 * worker
	 */
	public boolean isParked() {
		return this.parked;
	}

}
