package dev.taskqueue.protocol.internal;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a message cannot be accepted as a task: its content type is not allowed, or
 * it is not a valid Celery protocol v2 message. Such a message is never executed.
 */
public class InvalidMessageException extends RuntimeException {

	private final @Nullable String taskId;

	private final @Nullable String taskName;

	/**
	 * Create a new instance.
	 * @param reason why the message was refused
	 * @param taskId the task id, when it could be read
	 * @param taskName the task name, when it could be read
	 */
	public InvalidMessageException(String reason, @Nullable String taskId, @Nullable String taskName) {
		super(reason);
		this.taskId = taskId;
		this.taskName = taskName;
	}

	/**
	 * Create a new instance.
	 * @param reason why the message was refused
	 * @param taskId the task id, when it could be read
	 * @param taskName the task name, when it could be read
	 * @param cause the underlying error
	 */
	public InvalidMessageException(String reason, @Nullable String taskId, @Nullable String taskName, Throwable cause) {
		super(reason, cause);
		this.taskId = taskId;
		this.taskName = taskName;
	}

	/**
	 * Return the task id, or {@code null} if the message did not carry a readable one.
	 * @return the task id, or {@code null} if the message did not carry a readable one
	 */
	public @Nullable String getTaskId() {
		return this.taskId;
	}

	/**
	 * Return the task name, or {@code null} if the message did not carry a readable one.
	 * @return the task name, or {@code null} if the message did not carry a readable one
	 */
	public @Nullable String getTaskName() {
		return this.taskName;
	}

}
