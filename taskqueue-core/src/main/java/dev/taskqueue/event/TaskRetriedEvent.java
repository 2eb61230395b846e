package dev.taskqueue.event;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A task failed and will run again later.
 */
public class TaskRetriedEvent extends TaskEvent {

	private final @Nullable Throwable exception;

	private final Duration countdown;

	/**
	 * Create a new event.
	 * @param source the worker
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param exception why it is retried, if known
	 * @param countdown how long until it runs again
	 */
	public TaskRetriedEvent(Object source, String taskId, String taskName, @Nullable Throwable exception,
			Duration countdown) {
		super(source, taskId, taskName);
		this.exception = exception;
		this.countdown = countdown;
	}

	/**
	 * Return why the task is retried, or {@code null}.
	 * @return why the task is retried, or {@code null}
	 */
	public @Nullable Throwable getException() {
		return this.exception;
	}

	/**
	 * Return how long until the task runs again.
	 * @return how long until the task runs again
	 */
	public Duration getCountdown() {
		return this.countdown;
	}

}
