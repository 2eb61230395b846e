package dev.taskqueue.observation;

import java.util.Map;

import dev.taskqueue.protocol.internal.ProcessIdentity;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * The context of a task being run by a worker ({@code taskqueue.execute}). Its carrier is
 * the headers the task message carries beyond Celery's own, so a propagating tracing
 * handler reads the sender's trace context there and the execution joins the sender's
 * trace.
 */
public class TaskExecuteContext extends ReceiverContext<Map<String, Object>> {

	private final String taskId;

	private final String taskName;

	private final String rootId;

	private final String queue;

	private final int retries;

	private @Nullable String worker;

	private @Nullable String outcome;

	/**
	 * Create a context.
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param rootId the id of the workflow's first task (the task's own id when it was
	 * sent on its own)
	 * @param queue the queue the task came from
	 * @param retries how many times the task was retried before this run
	 * @param headers the headers of the task message beyond Celery's own
	 */
	public TaskExecuteContext(String taskId, String taskName, String rootId, String queue, int retries,
			Map<String, Object> headers) {
		super((carrier, key) -> {
			Object value = carrier.get(key);
			return (value != null) ? value.toString() : null;
		}, Kind.CONSUMER);
		setCarrier(headers);
		setRemoteServiceName("rabbitmq");
		this.taskId = taskId;
		this.taskName = taskName;
		this.rootId = rootId;
		this.queue = queue;
		this.retries = retries;
	}

	/**
	 * The value of the worker key for a worker of the given name: the name itself, or
	 * {@code taskqueue@<host>} for the default name, which carries the process id and
	 * would start a new series of every meter on each restart.
	 * @param workerName the worker's name
	 * @return the worker's stable name
	 */
	public static String workerTag(String workerName) {
		String host = ProcessIdentity.hostname();
		return workerName.equals("taskqueue-" + ProcessIdentity.pid() + "@" + host) ? "taskqueue@" + host : workerName;
	}

	/**
	 * Return the task id.
	 * @return the task id
	 */
	public String getTaskId() {
		return this.taskId;
	}

	/**
	 * Return the task name.
	 * @return the task name
	 */
	public String getTaskName() {
		return this.taskName;
	}

	/**
	 * Return the id of the workflow's first task.
	 * @return the id of the workflow's first task (the task's own id when it was sent on
	 * its own)
	 */
	public String getRootId() {
		return this.rootId;
	}

	/**
	 * Return the queue the task came from.
	 * @return the queue the task came from
	 */
	public String getQueue() {
		return this.queue;
	}

	/**
	 * Return how many times the task was retried before this run.
	 * @return how many times the task was retried before this run
	 */
	public int getRetries() {
		return this.retries;
	}

	/**
	 * Return the stable name of the worker that runs the task.
	 * @return the stable name of the worker that runs the task (see
	 * {@link #workerTag(String)}), or {@code null} while it is not known
	 */
	public @Nullable String getWorker() {
		return this.worker;
	}

	/**
	 * Set the stable name of the worker that runs the task.
	 * @param worker the stable name of the worker
	 */
	public void setWorker(String worker) {
		this.worker = worker;
	}

	/**
	 * Return how the task ended.
	 * @return {@code success}, {@code failure}, {@code retry}, {@code revoked}, or
	 * {@code error} when the outcome could not be stored or published (the message goes
	 * back to its queue); {@code null} while the task runs
	 */
	public @Nullable String getOutcome() {
		return this.outcome;
	}

	/**
	 * Set the outcome.
	 * @param outcome the outcome
	 */
	public void setOutcome(String outcome) {
		this.outcome = outcome;
	}

}
