package dev.taskqueue.worker;

/**
 * Headers a worker adds to a message it moves to its queue's dead-letter queue
 * ({@code <queue>.dlq}) instead of running it: a message that cannot be a task here
 * (content type not accepted, not Celery's protocol v2, task not registered) or a task
 * that kept killing its worker.
 */
public final class DeadLetterHeaders {

	/** Why the message was dead-lettered. */
	public static final String REASON = "x-taskqueue-reason";

	/** The queue the message came from. */
	public static final String ORIGINAL_QUEUE = "x-taskqueue-original-queue";

	/** The worker that dead-lettered the message. */
	public static final String WORKER = "x-taskqueue-worker";

	/** When the message was dead-lettered, in ISO-8601 with an offset. */
	public static final String REJECTED_AT = "x-taskqueue-rejected-at";

	private DeadLetterHeaders() {
	}

}
