package dev.taskqueue.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.taskqueue.control.ClusterControl.Target;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Celery's inspect commands, broadcast to the chosen nodes: each returns the replies by
 * node name, in arrival order. A node whose reply does not have the command's shape (an
 * {@code {"error": ...}}, or a node that does not know the command) is left out with a
 * log line; {@link #call(String, Map)} returns every reply as it came. Instances are
 * immutable: the narrowing methods return new ones.
 */
public final class Inspect {

	private static final Log logger = LogFactory.getLog(Inspect.class);

	private final ClusterControl cluster;

	private final Target target;

	Inspect(ClusterControl cluster, Target target) {
		this.cluster = cluster;
		this.target = target;
	}

	/**
	 * Ask only these nodes; the call ends as soon as all of them replied.
	 * @param nodeNames the node names ({@code name@host})
	 * @return the narrowed inspection
	 */
	public Inspect destination(String... nodeNames) {
		return new Inspect(this.cluster, this.target.to(Arrays.asList(nodeNames)));
	}

	/**
	 * Ask only the nodes whose name matches a glob ({@code worker-*@*}).
	 * @param glob the pattern
	 * @return the narrowed inspection
	 */
	public Inspect matching(String glob) {
		return new Inspect(this.cluster, this.target.matching(glob, "glob"));
	}

	/**
	 * Wait this long for replies.
	 * @param timeout the timeout
	 * @return the inspection with that timeout
	 */
	public Inspect timeout(Duration timeout) {
		return new Inspect(this.cluster, this.target.waiting(timeout));
	}

	/**
	 * Stop waiting once this many nodes replied.
	 * @param limit the number of replies
	 * @return the inspection with that limit
	 */
	public Inspect limit(int limit) {
		return new Inspect(this.cluster, this.target.limited(limit));
	}

	/**
	 * {@code ping}: which nodes answer.
	 * @return each node's reply, {@code ok} {@code pong}
	 */
	public Map<String, ControlReply> ping() {
		return collect("ping", Map.of(), ControlReply::of);
	}

	/**
	 * {@code stats}.
	 * @return each node's statistics
	 */
	public Map<String, WorkerStats> stats() {
		return collect("stats", Map.of(), (value) -> WorkerStats.of(asMap(value)));
	}

	/**
	 * {@code active}: the tasks executing now, with their real arguments.
	 * @return each node's running tasks
	 */
	public Map<String, List<TaskInfo>> active() {
		return active(false);
	}

	/**
	 * {@code active}.
	 * @param safe whether arguments come as Python repr text (as Flower asks) rather than
	 * values
	 * @return each node's running tasks
	 */
	public Map<String, List<TaskInfo>> active(boolean safe) {
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("safe", safe);
		return collect("active", arguments, (value) -> list(value, (item) -> TaskInfo.of(asMap(item))));
	}

	/**
	 * {@code reserved}: the tasks received and waiting for a free slot.
	 * @return each node's reserved tasks
	 */
	public Map<String, List<TaskInfo>> reserved() {
		return collect("reserved", Map.of(), (value) -> list(value, (item) -> TaskInfo.of(asMap(item))));
	}

	/**
	 * {@code scheduled}: the tasks held until their ETA.
	 * @return each node's scheduled tasks
	 */
	public Map<String, List<ScheduledTaskInfo>> scheduled() {
		return collect("scheduled", Map.of(), (value) -> list(value, (item) -> ScheduledTaskInfo.of(asMap(item))));
	}

	/**
	 * {@code revoked}: the ids each node treats as revoked, oldest first.
	 * @return each node's revoked ids
	 */
	public Map<String, List<String>> revoked() {
		return collect("revoked", Map.of(), (value) -> list(value, String::valueOf));
	}

	/**
	 * {@code registered}: the task names each node can run.
	 * @return each node's task names
	 */
	public Map<String, List<String>> registered() {
		return registered(new String[0]);
	}

	/**
	 * {@code registered} with task attributes: entries become
	 * {@code "name [rate_limit=10/m max_retries=3]"}.
	 * @param taskInfoItems the attributes, e.g. {@code rate_limit}
	 * @return each node's tasks
	 */
	public Map<String, List<String>> registered(String... taskInfoItems) {
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("taskinfoitems", List.of(taskInfoItems));
		return collect("registered", arguments, (value) -> list(value, String::valueOf));
	}

	/**
	 * {@code active_queues}: the queues each node consumes.
	 * @return each node's queues
	 */
	public Map<String, List<QueueInfo>> activeQueues() {
		return collect("active_queues", Map.of(), (value) -> list(value, (item) -> QueueInfo.of(asMap(item))));
	}

	/**
	 * {@code query_task}: what each node knows of some tasks; ids a node does not hold
	 * are absent from its map.
	 * @param taskIds the ids
	 * @return each node's tasks by id
	 */
	public Map<String, Map<String, QueriedTask>> queryTask(Collection<String> taskIds) {
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("ids", new ArrayList<>(taskIds));
		return collect("query_task", arguments, (value) -> {
			Map<String, QueriedTask> tasks = new LinkedHashMap<>();
			asMap(value).forEach((id, entry) -> tasks.put(String.valueOf(id), QueriedTask.of(entry)));
			return tasks;
		});
	}

	/**
	 * {@code query_task} of some ids.
	 * @param taskIds the ids
	 * @return each node's tasks by id
	 * @see #queryTask(Collection)
	 */
	public Map<String, Map<String, QueriedTask>> queryTask(String... taskIds) {
		return queryTask(Arrays.asList(taskIds));
	}

	/**
	 * {@code conf}: each node's settings that differ from Celery's defaults.
	 * @return each node's settings
	 */
	public Map<String, Map<String, @Nullable Object>> conf() {
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("with_defaults", false);
		return collect("conf", arguments, (value) -> Replies.map(asMap(value)));
	}

	/**
	 * {@code clock}: each node's logical clock.
	 * @return each node's clock
	 */
	public Map<String, Long> clock() {
		return collect("clock", Map.of(), (value) -> Replies.number(asMap(value), "clock"));
	}

	/**
	 * Any inspect command, with each node's reply as it came (JSON values).
	 * @param method the command, e.g. {@code report}
	 * @param arguments its keyword arguments
	 * @return each node's reply by node name
	 */
	public Map<String, @Nullable Object> call(String method, Map<String, ?> arguments) {
		Map<String, @Nullable Object> merged = new LinkedHashMap<>();
		for (Map<String, @Nullable Object> reply : this.cluster.call(method, arguments, this.target)) {
			reply.forEach((node, value) -> {
				if (merged.containsKey(node)) {
					logger.warn("Received multiple replies from node name " + node + ": give each node a unique name");
				}
				merged.put(node, value);
			});
		}
		return merged;
	}

	private <T> Map<String, T> collect(String method, Map<String, ?> arguments, Function<@Nullable Object, T> reader) {
		Map<String, T> result = new LinkedHashMap<>();
		call(method, arguments).forEach((node, value) -> {
			try {
				result.put(node, reader.apply(value));
			}
			catch (RuntimeException ex) {
				logger.warn("Ignored the " + method + " reply of " + node + " (" + ex.getMessage() + "): " + value);
			}
		});
		return result;
	}

	static Map<?, ?> asMap(@Nullable Object value) {
		if (value instanceof Map<?, ?> map && !map.containsKey("error")) {
			return map;
		}
		throw new IllegalArgumentException("not an object");
	}

	private static <T> List<T> list(@Nullable Object value, Function<Object, T> element) {
		if (!(value instanceof List<?> list)) {
			throw new IllegalArgumentException("not a list");
		}
		List<T> items = new ArrayList<>(list.size());
		for (Object item : list) {
			items.add(element.apply(item));
		}
		return items;
	}

}
