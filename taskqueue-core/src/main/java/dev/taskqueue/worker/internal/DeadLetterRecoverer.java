package dev.taskqueue.worker.internal;

import dev.taskqueue.result.ExceptionInfo;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;

/**
 * What becomes of a message that can never be a task on this worker: its content type is
 * not accepted, it is not protocol v2, its task is not registered, or it keeps killing
 * its workers. Such a message is never run and never simply requeued; in the spirit of
 * Spring AMQP's {@code MessageRecoverer}, a recoverer decides where it goes instead. The
 * default, {@link RepublishDeadLetterRecoverer}, republishes it to {@code <queue>.dlq}
 * with the reason in its headers and stores a {@code FAILURE} for its task.
 * <p>
 * The worker settles the message afterwards: when {@link #recover} returns, it is
 * acknowledged; when it throws, it goes back to its queue after the redelivery backoff,
 * so it is not lost while the dead-letter queue or the result store is out of reach.
 */
@FunctionalInterface
interface DeadLetterRecoverer {

	/**
	 * Put a rejected message where it can be inspected and driven again.
	 * @param message the message as delivered
	 * @param rejection why it was rejected
	 * @throws Exception if it could not be put there; the message is then returned to its
	 * queue
	 */
	void recover(Message message, Rejection rejection) throws Exception;

	/**
	 * Why a message was rejected.
	 *
	 * @param queue the queue it came from
	 * @param reason why, for people
	 * @param taskId the task id it carried, if readable
	 * @param taskName the task name it carried, if readable
	 * @param failure the failure to record for the task, as Celery names it
	 * ({@code NotRegistered}, {@code ContentDisallowed}, {@code InvalidTaskError},
	 * {@code WorkerLostError})
	 */
	record Rejection(String queue, String reason, @Nullable String taskId, @Nullable String taskName,
			ExceptionInfo failure) {

	}

}
