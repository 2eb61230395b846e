package dev.taskqueue.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.control.ClusterControl.Target;
import org.jspecify.annotations.Nullable;

/**
 * Celery's control commands, broadcast to the chosen nodes: each waits for replies (until
 * the timeout, or until every named destination answered) and returns each node's
 * {@code ok} or {@code error} by node name. {@link #cast(String, Map)} sends without
 * waiting, as Python's {@code app.control} does by default. Instances are immutable: the
 * narrowing methods return new ones.
 */
public final class Control {

	private final ClusterControl cluster;

	private final Target target;

	Control(ClusterControl cluster, Target target) {
		this.cluster = cluster;
		this.target = target;
	}

	/**
	 * Tell only these nodes; a call ends as soon as all of them replied.
	 * @param nodeNames the node names ({@code name@host})
	 * @return the narrowed commands
	 */
	public Control destination(String... nodeNames) {
		return new Control(this.cluster, this.target.to(Arrays.asList(nodeNames)));
	}

	/**
	 * Tell only the nodes whose name matches a glob ({@code worker-*@*}).
	 * @param glob the pattern
	 * @return the narrowed commands
	 */
	public Control matching(String glob) {
		return new Control(this.cluster, this.target.matching(glob, "glob"));
	}

	/**
	 * Wait this long for replies.
	 * @param timeout the timeout
	 * @return the commands with that timeout
	 */
	public Control timeout(Duration timeout) {
		return new Control(this.cluster, this.target.waiting(timeout));
	}

	/**
	 * {@code revoke}: the nodes will not run these tasks (Celery workers keep the ids in
	 * memory only; a taskqueue client also keeps them in Redis).
	 * @param taskIds the ids
	 * @return each node's reply
	 */
	public Map<String, ControlReply> revoke(Collection<String> taskIds) {
		return revoke(taskIds, false, null);
	}

	/**
	 * {@code revoke}, and with {@code terminate} stop the tasks where they run.
	 * @param taskIds the ids
	 * @param terminate whether to terminate running tasks
	 * @param signal the signal ({@code SIGTERM}, {@code SIGKILL} ...), or {@code null}
	 * for TERM; a Java worker interrupts the task's thread whatever the signal
	 * @return each node's reply
	 */
	public Map<String, ControlReply> revoke(Collection<String> taskIds, boolean terminate, @Nullable String signal) {
		return run("revoke", revokeArguments(taskIds, terminate, signal));
	}

	/**
	 * {@code revoke_by_stamped_headers} (Celery 5.3+): revoke the tasks carrying these
	 * stamps.
	 * @param stamps stamp names and the value (or list of values) that revokes
	 * @param terminate whether to terminate running tasks
	 * @param signal the signal, or {@code null} for TERM
	 * @return each node's reply
	 */
	public Map<String, ControlReply> revokeByStampedHeaders(Map<String, ?> stamps, boolean terminate,
			@Nullable String signal) {
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		arguments.put("headers", new LinkedHashMap<>(stamps));
		arguments.put("terminate", terminate);
		arguments.put("signal", (signal != null) ? signal : "SIGTERM");
		return run("revoke_by_stamped_headers", arguments);
	}

	/**
	 * {@code rate_limit}: change a task's per-worker rate limit on the nodes.
	 * @param taskName the task
	 * @param rateLimit Celery's rate ({@code 10/s}, {@code 100/m}, {@code 1000/h}), or
	 * {@code null} to remove the limit
	 * @return each node's reply ({@code unknown task} from nodes without the task)
	 */
	public Map<String, ControlReply> rateLimit(String taskName, @Nullable String rateLimit) {
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		arguments.put("task_name", taskName);
		arguments.put("rate_limit", rateLimit);
		return run("rate_limit", arguments);
	}

	/**
	 * {@code time_limit}: change a task's time limits on the nodes.
	 * @param taskName the task
	 * @param soft the soft limit, or {@code null} for none
	 * @param hard the hard limit, or {@code null} for none
	 * @return each node's reply
	 */
	public Map<String, ControlReply> timeLimit(String taskName, @Nullable Duration soft, @Nullable Duration hard) {
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		arguments.put("task_name", taskName);
		arguments.put("hard", seconds(hard));
		arguments.put("soft", seconds(soft));
		return run("time_limit", arguments);
	}

	/**
	 * {@code add_consumer}: start consuming a queue (declared as Celery declares it from
	 * a name: durable, on a direct exchange of its name).
	 * @param queue the queue
	 * @return each node's reply
	 */
	public Map<String, ControlReply> addConsumer(String queue) {
		return addConsumer(queue, null, null, null);
	}

	/**
	 * {@code add_consumer} with its exchange.
	 * @param queue the queue
	 * @param exchange the exchange, or {@code null} for one named as the queue
	 * @param exchangeType the exchange type, or {@code null} for {@code direct}
	 * @param routingKey the binding key, or {@code null} for the queue's name
	 * @return each node's reply
	 */
	public Map<String, ControlReply> addConsumer(String queue, @Nullable String exchange, @Nullable String exchangeType,
			@Nullable String routingKey) {
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		arguments.put("queue", queue);
		arguments.put("exchange", exchange);
		arguments.put("exchange_type", (exchangeType != null) ? exchangeType : "direct");
		arguments.put("routing_key", routingKey);
		return run("add_consumer", arguments);
	}

	/**
	 * {@code cancel_consumer}: stop consuming a queue.
	 * @param queue the queue
	 * @return each node's reply
	 */
	public Map<String, ControlReply> cancelConsumer(String queue) {
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		arguments.put("queue", queue);
		return run("cancel_consumer", arguments);
	}

	/**
	 * {@code enable_events}: start sending task events.
	 * @return each node's reply
	 */
	public Map<String, ControlReply> enableEvents() {
		return run("enable_events", Map.of());
	}

	/**
	 * {@code disable_events}: stop sending task events.
	 * @return each node's reply
	 */
	public Map<String, ControlReply> disableEvents() {
		return run("disable_events", Map.of());
	}

	/**
	 * {@code pool_grow}: run more tasks at once.
	 * @param n how many more
	 * @return each node's reply
	 */
	public Map<String, ControlReply> poolGrow(int n) {
		return run("pool_grow", Map.of("n", n));
	}

	/**
	 * {@code pool_shrink}: run fewer tasks at once.
	 * @param n how many fewer
	 * @return each node's reply
	 */
	public Map<String, ControlReply> poolShrink(int n) {
		return run("pool_shrink", Map.of("n", n));
	}

	/**
	 * {@code heartbeat}: every node sends a {@code worker-heartbeat} event now. A cast.
	 */
	public void heartbeat() {
		cast("heartbeat", Map.of());
	}

	/**
	 * Any control command, waiting for replies.
	 * @param method the command
	 * @param arguments its keyword arguments
	 * @return each node's reply as it came, by node name
	 */
	public Map<String, @Nullable Object> call(String method, Map<String, ?> arguments) {
		return new Inspect(this.cluster, this.target).call(method, arguments);
	}

	/**
	 * Any command, without waiting: nothing replies (Python's
	 * {@code app.control.broadcast(..., reply=False)}).
	 * @param method the command
	 * @param arguments its keyword arguments
	 */
	public void cast(String method, Map<String, ?> arguments) {
		this.cluster.cast(method, arguments, this.target);
	}

	private Map<String, ControlReply> run(String method, Map<String, ?> arguments) {
		Map<String, ControlReply> replies = new LinkedHashMap<>();
		call(method, arguments).forEach((node, value) -> replies.put(node, ControlReply.of(value)));
		return replies;
	}

	static Map<String, @Nullable Object> revokeArguments(Collection<String> taskIds, boolean terminate,
			@Nullable String signal) {
		if (taskIds.isEmpty()) {
			throw new IllegalArgumentException("Name at least one task id to revoke");
		}
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		List<String> ids = new ArrayList<>(taskIds);
		arguments.put("task_id", (ids.size() == 1) ? ids.get(0) : ids);
		arguments.put("terminate", terminate);
		arguments.put("signal", (signal != null) ? signal : "SIGTERM");
		return arguments;
	}

	private static @Nullable Double seconds(@Nullable Duration duration) {
		return (duration != null) ? duration.toNanos() / 1e9 : null;
	}

}
