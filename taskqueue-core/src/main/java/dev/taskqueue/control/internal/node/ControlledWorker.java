package dev.taskqueue.control.internal.node;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.taskqueue.ratelimit.RateLimit;
import org.jspecify.annotations.Nullable;

/**
 * A worker as Celery's remote control and monitoring see it: what it reports to
 * {@code celery inspect} and Flower, and what {@code celery control} may tell it to do.
 * The worker implements it; {@link PidboxNode} turns it into Celery's replies and
 * {@link WorkerEvents} into heartbeats, so neither needs the worker's classes.
 * <p>
 * Every method has a default: a worker that cannot do something answers Celery's error
 * form. Methods are called on the node's own thread and must answer in well under a
 * second (Celery's clients wait one): report from memory, never from the broker or Redis.
 */
public interface ControlledWorker {

	/**
	 * The tasks executing now (Celery's {@code active}).
	 * @return the requests, started
	 */
	default List<RequestInfo> active() {
		return List.of();
	}

	/**
	 * The tasks received and waiting for a free slot, neither running nor waiting for an
	 * ETA (Celery's {@code reserved}).
	 * @return the requests
	 */
	default List<RequestInfo> reserved() {
		return List.of();
	}

	/**
	 * The tasks this worker holds or has parked until their ETA (Celery's
	 * {@code scheduled}).
	 * @return the requests, each with its {@link RequestInfo#eta() ETA}
	 */
	default List<RequestInfo> scheduled() {
		return List.of();
	}

	/**
	 * How many tasks of each name this worker accepted since it started (the
	 * {@code total} of Celery's {@code stats}).
	 * @return counts by task name
	 */
	default Map<String, Long> totals() {
		return Map.of();
	}

	/**
	 * The tasks this worker can run (Celery's {@code registered}).
	 * @return the tasks
	 */
	default List<RegisteredTask> registered() {
		return List.of();
	}

	/**
	 * The queues this worker consumes (Celery's {@code active_queues}).
	 * @return the queues
	 */
	default List<ConsumedQueue> activeQueues() {
		return List.of();
	}

	/**
	 * How this worker runs tasks (the {@code pool} of Celery's {@code stats}).
	 * @return the pool
	 */
	default PoolInfo pool() {
		return PoolInfo.threads(1);
	}

	/**
	 * How many unacknowledged messages the broker may push to this worker (the
	 * {@code prefetch_count} of Celery's {@code stats}).
	 * @return the prefetch count
	 */
	default int prefetchCount() {
		return 0;
	}

	/**
	 * This worker's settings under Celery's setting names ({@code broker_url} with the
	 * password masked, {@code task_default_queue}, {@code worker_concurrency} ...), for
	 * Celery's {@code conf} and {@code report}. Values are JSON values.
	 * @return the settings
	 */
	default Map<String, @Nullable Object> configuration() {
		return Map.of();
	}

	/**
	 * Tasks were revoked (Celery's {@code revoke}); their ids are already in the node's
	 * {@link RevokedTasks}. With a signal, the worker terminates the ones it runs. A
	 * worker that acts as Celery 5.6 does also stores {@code REVOKED} for every id here,
	 * known or not.
	 * @param taskIds the ids
	 * @param terminateSignal the signal name to terminate running ones with
	 * ({@code SIGTERM}, {@code SIGKILL} ...), or {@code null} to let them run
	 * @return the ids of the running tasks that were terminated
	 */
	default Set<String> revoke(Set<String> taskIds, @Nullable String terminateSignal) {
		return Set.of();
	}

	/**
	 * Tasks whose stamps match were revoked (Celery 5.3+'s
	 * {@code revoke_by_stamped_headers}).
	 * @param stamps stamp names and the values that revoke
	 * @param terminateSignal the signal name to terminate running ones with, or
	 * {@code null} to let them run
	 * @return the ids of the running tasks that were terminated
	 * @throws UnsupportedOperationException if this worker cannot match stamps
	 */
	default Set<String> revokeByStamps(Map<String, List<String>> stamps, @Nullable String terminateSignal) {
		throw new UnsupportedOperationException("revoke_by_stamped_headers is not supported by this worker");
	}

	/**
	 * Change or remove a task's rate limit on this worker (Celery's {@code rate_limit}).
	 * @param taskName the task
	 * @param limit the new limit, or {@code null} for none
	 * @return {@code false} if this worker has no such task
	 */
	default boolean rateLimit(String taskName, @Nullable RateLimit limit) {
		return false;
	}

	/**
	 * Change a task's time limits on this worker (Celery's {@code time_limit}).
	 * @param taskName the task
	 * @param soft the soft limit, or {@code null} for none
	 * @param hard the hard limit, or {@code null} for none
	 * @return {@code false} if this worker has no such task
	 */
	default boolean timeLimits(String taskName, @Nullable Duration soft, @Nullable Duration hard) {
		return false;
	}

	/**
	 * Start consuming a queue (Celery's {@code add_consumer}), declaring it as described.
	 * May return before the consumer runs, as Celery does.
	 * @param queue the queue
	 * @return {@code false} if this worker already consumes it
	 * @throws UnsupportedOperationException if this worker cannot add consumers
	 */
	default boolean addConsumer(ConsumedQueue queue) {
		throw new UnsupportedOperationException("add_consumer is not supported by this worker");
	}

	/**
	 * Stop consuming a queue (Celery's {@code cancel_consumer}).
	 * @param queue the queue name
	 * @throws UnsupportedOperationException if this worker cannot cancel consumers
	 */
	default void cancelConsumer(String queue) {
		throw new UnsupportedOperationException("cancel_consumer is not supported by this worker");
	}

	/**
	 * Run more or fewer tasks at once (Celery's {@code pool_grow}, {@code pool_shrink}).
	 * @param delta how many more (negative: fewer)
	 * @throws UnsupportedOperationException if this worker's concurrency is fixed
	 */
	default void resizePool(int delta) {
		throw new UnsupportedOperationException("the pool of this worker cannot be resized");
	}

	/**
	 * Stop gracefully (Celery's {@code shutdown}): return at once and stop on another
	 * thread, so the node's reply goes out first.
	 * @param reason why, for the log
	 * @return {@code false} if this worker refuses remote shutdowns
	 */
	default boolean shutdown(String reason) {
		return false;
	}

}
