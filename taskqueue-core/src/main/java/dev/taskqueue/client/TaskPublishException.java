package dev.taskqueue.client;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a task message was not confirmed by the broker: the broker is unreachable,
 * refused (nacked) it, could not route it to any queue, or did not confirm it in time.
 * The task may not run; it is safe to send it again with the same id.
 */
public class TaskPublishException extends RuntimeException {

	private final @Nullable String taskId;

	/**
	 * Create a new instance.
	 * @param message what went wrong
	 * @param taskId the id of the task that was being sent, if known
	 * @param cause the cause, if any
	 */
	public TaskPublishException(String message, @Nullable String taskId, @Nullable Throwable cause) {
		super(message, cause);
		this.taskId = taskId;
	}

	/**
	 * Return the id of the task that was being sent, or {@code null}.
	 * @return the id of the task that was being sent, or {@code null}
	 */
	public @Nullable String getTaskId() {
		return this.taskId;
	}

}
