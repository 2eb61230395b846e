package dev.taskqueue.observation;

import dev.taskqueue.protocol.TaskMessage;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * The context of a task being run by a worker ({@code taskqueue.execute}). Its carrier is
 * the task message, so a propagating tracing handler reads the sender's trace context
 * from its headers and the execution joins the sender's trace.
 */
public class TaskExecuteContext extends ReceiverContext<TaskMessage> {

	private final String queue;

	private @Nullable String outcome;

	/**
	 * Create a context.
	 * @param message the task message
	 * @param queue the queue it came from
	 */
	public TaskExecuteContext(TaskMessage message, String queue) {
		super((carrier, key) -> {
			Object value = carrier.extraHeaders().get(key);
			return (value != null) ? value.toString() : null;
		}, Kind.CONSUMER);
		setCarrier(message);
		setRemoteServiceName("rabbitmq");
		this.queue = queue;
	}

	/**
	 * Return the task message.
	 * @return the task message
	 */
	public TaskMessage getMessage() {
		TaskMessage message = getCarrier();
		if (message == null) {
			throw new IllegalStateException("No task message");
		}
		return message;
	}

	/**
	 * Return the queue the task came from.
	 * @return the queue the task came from
	 */
	public String getQueue() {
		return this.queue;
	}

	/**
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
