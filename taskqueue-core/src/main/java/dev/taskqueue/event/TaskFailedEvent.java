package dev.taskqueue.event;

import java.time.Duration;

/**
 * A task failed for good (no retry left).
 */
public class TaskFailedEvent extends TaskEvent {

	private final Throwable exception;

	private final Duration runtime;

	/**
	 * Create a new event.
	 * @param source the worker
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param exception what it threw
	 * @param runtime how long it ran
	 */
	public TaskFailedEvent(Object source, String taskId, String taskName, Throwable exception, Duration runtime) {
		super(source, taskId, taskName);
		this.exception = exception;
		this.runtime = runtime;
	}

	/**
	 * Return what the task threw.
	 * @return what the task threw
	 */
	public Throwable getException() {
		return this.exception;
	}

	/**
	 * Return how long the task ran.
	 * @return how long the task ran
	 */
	public Duration getRuntime() {
		return this.runtime;
	}

}
