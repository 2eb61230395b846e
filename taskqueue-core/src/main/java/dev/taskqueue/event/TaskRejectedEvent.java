package dev.taskqueue.event;

import org.jspecify.annotations.Nullable;

/**
 * A worker refused a message and dead-lettered it (content type, malformed, unknown
 * task).
 */
public class TaskRejectedEvent extends TaskEvent {

	private final String reason;

	/**
	 * Create a new event.
	 * @param source the worker
	 * @param taskId the task id, or an empty string when unreadable
	 * @param taskName the task name, if readable
	 * @param reason why
	 */
	public TaskRejectedEvent(Object source, String taskId, @Nullable String taskName, String reason) {
		super(source, taskId, taskName);
		this.reason = reason;
	}

	/**
	 * Return why the message was refused.
	 * @return why the message was refused
	 */
	public String getReason() {
		return this.reason;
	}

}
