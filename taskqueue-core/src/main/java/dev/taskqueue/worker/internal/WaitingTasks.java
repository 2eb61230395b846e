package dev.taskqueue.worker.internal;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

import dev.taskqueue.control.internal.node.RequestInfo;
import dev.taskqueue.protocol.internal.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * The tasks a worker has taken but not started, for Celery's {@code reserved} and
 * {@code scheduled}: held unacknowledged until their ETA or rate-limit slot, or parked in
 * the broker's delay queues until their ETA. A parked task is forgotten once its ETA has
 * passed (it may come back to any worker). Thread-safe.
 * <p>
 * Held tasks are few (a consumer's prefetch bounds them). Parked tasks are not: a worker
 * may park a million of them, and remembering each would put back in its memory what the
 * delay queues keep out of it. So at most {@link #PARKED_LIMIT} parked tasks are
 * remembered; the others are listed by nobody but the broker.
 */
public final class WaitingTasks {

	/** The most parked tasks remembered for {@code scheduled}. */
	public static final int PARKED_LIMIT = 1000;

	/** How often a full record of parked tasks is swept for passed ETAs. */
	private static final long SWEEP_INTERVAL_MILLIS = 1000;

	private final Map<String, Waiting> held = new ConcurrentHashMap<>();

	private final Map<String, Waiting> parked = new ConcurrentHashMap<>();

	private final int parkedLimit;

	private final LongSupplier clock;

	private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE / 2);

	/**
	 * Remember at most {@link #PARKED_LIMIT} parked tasks.
	 */
	public WaitingTasks() {
		this(PARKED_LIMIT, System::currentTimeMillis);
	}

	WaitingTasks(int parkedLimit, LongSupplier clock) {
		this.parkedLimit = parkedLimit;
		this.clock = clock;
	}

	void held(TaskMessage task, String queue, boolean redelivered, boolean forRateLimit) {
		this.held.put(task.id(),
				new Waiting(task, RequestInfo.of(task, "", queue, redelivered), !forRateLimit, Long.MAX_VALUE));
	}

	void parked(TaskMessage task, String queue, boolean redelivered, long dueMillis, boolean forRateLimit) {
		if (this.parked.size() >= this.parkedLimit) {
			// Sweeping is a pass over the record: once a second at most, however fast
			// tasks are parked.
			long now = this.clock.getAsLong();
			long last = this.lastSweep.get();
			if (now - last >= SWEEP_INTERVAL_MILLIS && this.lastSweep.compareAndSet(last, now)) {
				prune();
			}
			if (this.parked.size() >= this.parkedLimit) {
				return;
			}
		}
		this.parked.put(task.id(), new Waiting(task, RequestInfo.of(task, "", queue, redelivered).acknowledged(true),
				!forRateLimit, dueMillis));
	}

	void done(String taskId) {
		this.held.remove(taskId);
		this.parked.remove(taskId);
	}

	/**
	 * Return the tasks waiting for their ETA, soonest first: those held, and up to
	 * {@link #PARKED_LIMIT} of those parked.
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
		return all().map(Waiting::message).toList();
	}

	private Stream<Waiting> all() {
		return Stream.concat(this.held.values().stream(), this.parked.values().stream());
	}

	private List<RequestInfo> list(Predicate<Waiting> filter) {
		prune();
		return all().filter(filter)
			.map(Waiting::request)
			.sorted(Comparator.comparing((RequestInfo request) -> etaOf(request)))
			.toList();
	}

	private static OffsetDateTime etaOf(RequestInfo request) {
		OffsetDateTime eta = request.eta();
		return (eta != null) ? eta : OffsetDateTime.MIN;
	}

	private void prune() {
		long now = this.clock.getAsLong();
		this.parked.values().removeIf((waiting) -> waiting.until < now);
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
