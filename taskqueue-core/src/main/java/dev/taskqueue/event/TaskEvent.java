package dev.taskqueue.event;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;

/**
 * Something happened to a task. Listen with {@code @EventListener} for a subclass, or for
 * this class to see them all. Worker events are published on the worker thread that runs
 * the task; keep listeners quick.
 */
public abstract class TaskEvent extends ApplicationEvent {

	private final String taskId;

	private final @Nullable String taskName;

	/**
	 * Create a new event.
	 * @param source the client or worker that published it
	 * @param taskId the task id
	 * @param taskName the task name, if known
	 */
	protected TaskEvent(Object source, String taskId, @Nullable String taskName) {
		super(source);
		this.taskId = taskId;
		this.taskName = taskName;
	}

	/**
	 * Return the task id.
	 * @return the task id
	 */
	public String getTaskId() {
		return this.taskId;
	}

	/**
	 * Return the task name, or {@code null} when the message did not say.
	 * @return the task name, or {@code null} when the message did not say
	 */
	public @Nullable String getTaskName() {
		return this.taskName;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.taskName + " " + this.taskId + "]";
	}

}
