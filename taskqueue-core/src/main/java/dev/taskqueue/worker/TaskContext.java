package dev.taskqueue.worker;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The running task's request (Celery's {@code self.request}) and its {@code retry}.
 * Declare a parameter of this type on a {@link QueueTask} method to receive it; it takes
 * no argument from the message. <pre class="code">
 * &#64;QueueTask("reports.fetch")
 * String fetch(String url, TaskContext task) {
 *     try {
 *         return http.get(url);
 *     }
 *     catch (IOException ex) {
 *         throw task.retry(Duration.ofSeconds(30), ex);
 *     }
 * }
 * </pre>
 */
public interface TaskContext {

	/**
	 * Return the task id.
	 * @return the task id
	 */
	String getId();

	/**
	 * Return the task's name.
	 * @return the task's name
	 */
	String getTaskName();

	/**
	 * Return the positional arguments, as they came in the message.
	 * @return the positional arguments, as they came in the message
	 */
	List<?> getArgs();

	/**
	 * Return the keyword arguments, as they came in the message.
	 * @return the keyword arguments, as they came in the message
	 */
	Map<String, ?> getKwargs();

	/**
	 * Return how many times this task has been retried so far.
	 * @return how many times this task has been retried so far
	 */
	int getRetries();

	/**
	 * Return the id of the first task of the workflow (this task's own id when
	 * standalone).
	 * @return the id of the first task of the workflow (this task's own id when
	 * standalone)
	 */
	String getRootId();

	/**
	 * Return the id of the task that sent this one, or {@code null}.
	 * @return the id of the task that sent this one, or {@code null}
	 */
	@Nullable String getParentId();

	/**
	 * Return the group this task belongs to, or {@code null}.
	 * @return the group this task belongs to, or {@code null}
	 */
	@Nullable String getGroup();

	/**
	 * Return when the task was due, or {@code null}.
	 * @return when the task was due, or {@code null}
	 */
	@Nullable OffsetDateTime getEta();

	/**
	 * Return when the task expires, or {@code null}.
	 * @return when the task expires, or {@code null}
	 */
	@Nullable OffsetDateTime getExpires();

	/**
	 * Return headers of the message beyond Celery's own.
	 * @return headers of the message beyond Celery's own
	 */
	Map<String, Object> getHeaders();

	/**
	 * Return the content type the message's body came in (Celery's
	 * {@code request.content_type}), such as {@code application/json}.
	 * @return the content type of the message's body
	 */
	@Nullable String getContentType();

	/**
	 * Return how the message's body was compressed (its {@code compression} header), or
	 * {@code null} when it was not.
	 * @return the compression, or {@code null}
	 */
	@Nullable String getCompression();

	/**
	 * Return the queue the task was consumed from (Celery's {@code delivery_info}).
	 * @return the queue the task was consumed from (Celery's {@code delivery_info})
	 */
	String getQueue();

	/**
	 * Return whether the broker delivered this message before (a worker may have died
	 * running it).
	 * @return whether the broker delivered this message before (a worker may have died
	 * running it)
	 */
	boolean isRedelivered();

	/**
	 * Return the name of the worker running the task.
	 * @return the name of the worker running the task
	 */
	String getWorker();

	/**
	 * Run this task again later (Celery's {@code self.retry}). Throws; write
	 * {@code throw context.retry(...)} so the compiler knows the method ends here. Past
	 * the task's {@code maxRetries} the task ends {@code FAILURE} with the cause.
	 * @param countdown how long to wait before the next attempt
	 * @param cause why the attempt failed, or {@code null}
	 * @return never returns
	 * @throws RetryException always
	 */
	default RetryException retry(Duration countdown, @Nullable Throwable cause) {
		throw new RetryException(countdown, cause);
	}

	/**
	 * Run this task again after the task's default retry delay.
	 * @param cause why the attempt failed, or {@code null}
	 * @return never returns
	 * @throws RetryException always
	 */
	default RetryException retry(@Nullable Throwable cause) {
		throw new RetryException(null, cause);
	}

}
