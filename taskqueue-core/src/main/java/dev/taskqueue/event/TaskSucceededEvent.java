package dev.taskqueue.event;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A task returned.
 */
public class TaskSucceededEvent extends TaskEvent {

	private final @Nullable Object result;

	private final Duration runtime;

	/**
	 * Create a new event.
	 * @param source the worker
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param result what it returned
	 * @param runtime how long it ran
	 */
	public TaskSucceededEvent(Object source, String taskId, String taskName, @Nullable Object result,
			Duration runtime) {
		super(source, taskId, taskName);
		this.result = result;
		this.runtime = runtime;
	}

	/**
	 * Return what the task returned.
	 * @return what the task returned
	 */
	public @Nullable Object getResult() {
		return this.result;
	}

	/**
	 * Return how long the task ran.
	 * @return how long the task ran
	 */
	public Duration getRuntime() {
		return this.runtime;
	}

}
