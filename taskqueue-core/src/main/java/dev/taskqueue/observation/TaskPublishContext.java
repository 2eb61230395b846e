package dev.taskqueue.observation;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;

/**
 * The context of a task being sent ({@code taskqueue.publish}). Its carrier is the map of
 * headers added to the task message, so a propagating tracing handler writes the trace
 * context ({@code traceparent}, {@code b3}, ...) there, after Celery's own headers.
 */
public class TaskPublishContext extends SenderContext<Map<String, Object>> {

	private final String taskId;

	private final String taskName;

	private final String rootId;

	private final String exchange;

	private final String routingKey;

	private final String queue;

	private String outcome = "success";

	/**
	 * Create a context.
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param rootId the id of the workflow's first task (the task's own id when it is
	 * sent on its own)
	 * @param exchange the exchange it is published to (an empty string for the default
	 * exchange)
	 * @param routingKey the routing key it is published with
	 * @param queue the queue it is routed to
	 */
	public TaskPublishContext(String taskId, String taskName, String rootId, String exchange, String routingKey,
			String queue) {
		super((carrier, key, value) -> {
			if (carrier != null) {
				carrier.put(key, value);
			}
		}, Kind.PRODUCER);
		setCarrier(new LinkedHashMap<>());
		setRemoteServiceName("rabbitmq");
		this.taskId = taskId;
		this.taskName = taskName;
		this.rootId = rootId;
		this.exchange = exchange;
		this.routingKey = routingKey;
		this.queue = queue;
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
	 * @return the id of the workflow's first task (the task's own id when it is sent on
	 * its own)
	 */
	public String getRootId() {
		return this.rootId;
	}

	/**
	 * Return the exchange the task is published to.
	 * @return the exchange the task is published to (an empty string for the default
	 * exchange)
	 */
	public String getExchange() {
		return this.exchange;
	}

	/**
	 * Return the routing key the task is published with.
	 * @return the routing key the task is published with
	 */
	public String getRoutingKey() {
		return this.routingKey;
	}

	/**
	 * Return the queue the task is routed to.
	 * @return the queue the task is routed to
	 */
	public String getQueue() {
		return this.queue;
	}

	/**
	 * Return {@code success}, or {@code failure} when the broker did not take the task.
	 * @return {@code success}, or {@code failure} when the broker did not take the task
	 */
	public String getOutcome() {
		return this.outcome;
	}

	/**
	 * Set the outcome.
	 * @param outcome the outcome
	 */
	public void setOutcome(String outcome) {
		this.outcome = outcome;
	}

	/**
	 * Return the headers the observation handlers added, to send with the task.
	 * @return the headers the observation handlers added, to send with the task
	 */
	public Map<String, Object> getHeaders() {
		Map<String, Object> carrier = getCarrier();
		return (carrier != null) ? carrier : Map.of();
	}

}
