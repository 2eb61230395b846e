package dev.taskqueue.broker.internal;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link ConfirmedPublisher} when a message was not confirmed: the broker is
 * unreachable, refused (nacked) it, could not route it to any queue, or did not confirm
 * it in time. The client reports it to applications as a
 * {@link dev.taskqueue.client.TaskPublishException}.
 */
public class PublishException extends RuntimeException {

	private final @Nullable String taskId;

	/** Whether the broker did not answer in time (the channel's state is unknown). */
	transient boolean timedOut;

	/**
	 * Create a new instance.
	 * @param message what went wrong
	 * @param taskId the id of the task that was being sent, if known
	 * @param cause the cause, if any
	 */
	public PublishException(String message, @Nullable String taskId, @Nullable Throwable cause) {
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
