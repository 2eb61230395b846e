package dev.taskqueue.worker;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import dev.taskqueue.protocol.TaskMessage;
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
public final class TaskContext {

	private final TaskMessage message;

	private final String queue;

	private final String worker;

	private final boolean redelivered;

	TaskContext(TaskMessage message, String queue, String worker, boolean redelivered) {
		this.message = message;
		this.queue = queue;
		this.worker = worker;
		this.redelivered = redelivered;
	}

	/**
	 * Return the task id.
	 * @return the task id
	 */
	public String getId() {
		return this.message.id();
	}

	/**
	 * Return the task name.
	 * @return the task name
	 */
	public String getName() {
		return this.message.task();
	}

	/**
	 * Return the positional arguments, as they came in the message.
	 * @return the positional arguments, as they came in the message
	 */
	public List<?> getArgs() {
		return this.message.args();
	}

	/**
	 * Return the keyword arguments, as they came in the message.
	 * @return the keyword arguments, as they came in the message
	 */
	public Map<String, ?> getKwargs() {
		return this.message.kwargs();
	}

	/**
	 * Return how many times this task has been retried so far.
	 * @return how many times this task has been retried so far
	 */
	public int getRetries() {
		return this.message.retries();
	}

	/**
	 * Return the id of the first task of the workflow (this task's own id when
	 * standalone).
	 * @return the id of the first task of the workflow (this task's own id when
	 * standalone)
	 */
	public String getRootId() {
		return this.message.rootId();
	}

	/**
	 * Return the id of the task that sent this one, or {@code null}.
	 * @return the id of the task that sent this one, or {@code null}
	 */
	public @Nullable String getParentId() {
		return this.message.parentId();
	}

	/**
	 * Return the group this task belongs to, or {@code null}.
	 * @return the group this task belongs to, or {@code null}
	 */
	public @Nullable String getGroup() {
		return this.message.group();
	}

	/**
	 * Return when the task was due, or {@code null}.
	 * @return when the task was due, or {@code null}
	 */
	public @Nullable OffsetDateTime getEta() {
		return this.message.eta();
	}

	/**
	 * Return when the task expires, or {@code null}.
	 * @return when the task expires, or {@code null}
	 */
	public @Nullable OffsetDateTime getExpires() {
		return this.message.expires();
	}

	/**
	 * Return headers of the message beyond Celery's own.
	 * @return headers of the message beyond Celery's own
	 */
	public Map<String, Object> getHeaders() {
		return this.message.extraHeaders();
	}

	/**
	 * Return the queue the task was consumed from (Celery's {@code delivery_info}).
	 * @return the queue the task was consumed from (Celery's {@code delivery_info})
	 */
	public String getQueue() {
		return this.queue;
	}

	/**
	 * Return whether the broker delivered this message before (a worker may have died
	 * running it).
	 * @return whether the broker delivered this message before (a worker may have died
	 * running it)
	 */
	public boolean isRedelivered() {
		return this.redelivered;
	}

	/**
	 * Return the name of the worker running the task.
	 * @return the name of the worker running the task
	 */
	public String getWorker() {
		return this.worker;
	}

	/**
	 * Return the task message.
	 * @return the task message
	 */
	public TaskMessage getMessage() {
		return this.message;
	}

	/**
	 * Run this task again later (Celery's {@code self.retry}). Throws; write
	 * {@code throw context.retry(...)} so the compiler knows the method ends here. Past
	 * the task's {@code maxRetries} the task ends {@code FAILURE} with the cause.
	 * @param countdown how long to wait before the next attempt
	 * @param cause why the attempt failed, or {@code null}
	 * @return never returns
	 * @throws RetryException always
	 */
	public RetryException retry(Duration countdown, @Nullable Throwable cause) {
		throw new RetryException(countdown, cause);
	}

	/**
	 * Run this task again after the task's default retry delay.
	 * @param cause why the attempt failed, or {@code null}
	 * @return never returns
	 * @throws RetryException always
	 */
	public RetryException retry(@Nullable Throwable cause) {
		throw new RetryException(null, cause);
	}

	@Override
	public String toString() {
		return "TaskContext[" + getName() + " " + getId() + " retries=" + getRetries() + "]";
	}

}
