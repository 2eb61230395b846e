package dev.taskqueue.worker.internal;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import dev.taskqueue.control.internal.node.RequestInfo;
import dev.taskqueue.protocol.internal.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * The tasks a worker has taken but not started, for Celery's {@code reserved} and
 * {@code scheduled}: held unacknowledged until their ETA or rate-limit slot, or parked in
 * the broker's delay queues until their ETA. A parked task is forgotten once its ETA has
 * passed (it may come back to any worker). Thread-safe.
 */
public final class WaitingTasks {

	private final Map<String, Waiting> tasks = new ConcurrentHashMap<>();

	void held(TaskMessage task, String queue, boolean redelivered, boolean forRateLimit) {
		this.tasks.put(task.id(),
				new Waiting(task, RequestInfo.of(task, "", queue, redelivered), !forRateLimit, Long.MAX_VALUE));
	}

	void parked(TaskMessage task, String queue, boolean redelivered, long dueMillis, boolean forRateLimit) {
		this.tasks.put(task.id(), new Waiting(task, RequestInfo.of(task, "", queue, redelivered).acknowledged(true),
				!forRateLimit, dueMillis));
	}

	void done(String taskId) {
		this.tasks.remove(taskId);
	}

	/**
	 * Return the tasks waiting for their ETA, soonest first.
	 * @return the tasks waiting for their ETA
	 */
	public List<RequestInfo> scheduled() {
		return list((waiting) -> waiting.eta);
	}

	/**
	 * Return the tasks waiting for a slot (their rate limit).
	 * @return the tasks waiting for a slot
	 */
	public List<RequestInfo> reserved() {
		return list((waiting) -> !waiting.eta);
	}

	/**
	 * The waiting messages, to match stamps against.
	 * @return the messages
	 */
	List<TaskMessage> messages() {
		prune();
		return this.tasks.values().stream().map(Waiting::message).toList();
	}

	private List<RequestInfo> list(Predicate<Waiting> filter) {
		prune();
		return this.tasks.values()
			.stream()
			.filter(filter)
			.map(Waiting::request)
			.sorted(Comparator.comparing((RequestInfo request) -> etaOf(request)))
			.toList();
	}

	private static OffsetDateTime etaOf(RequestInfo request) {
		OffsetDateTime eta = request.eta();
		return (eta != null) ? eta : OffsetDateTime.MIN;
	}

	private void prune() {
		long now = System.currentTimeMillis();
		this.tasks.values().removeIf((waiting) -> waiting.until < now);
	}

	private record Waiting(TaskMessage message, RequestInfo request, boolean eta, long until) {

		@Override
		public boolean equals(@Nullable Object other) {
			return this == other;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this);
		}

	}

}
