package dev.taskqueue.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.taskqueue.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * A handle on a sent group (Celery's {@code GroupResult}): its id and one
 * {@link TaskResult} per member, in the order the members were given (for a member that
 * is a chain, its last task). Every read goes to the result store. <pre class="code">
 * GroupResult group = client.group(Signature.of("tasks.add", 1, 1), Signature.of("tasks.add", 2, 2)).send();
 * List&lt;Integer&gt; sums = group.get(Duration.ofSeconds(10), Integer.class);   // [2, 4]
 * group.save();                                    // later: client.restoreGroup(group.getId())
 * </pre>
 */
public interface GroupResult {

	/**
	 * Return the group id (the {@code group} header of every member).
	 * @return the group id (the {@code group} header of every member)
	 */
	String getId();

	/**
	 * Return a handle on each member, in order.
	 * @return a handle on each member, in order
	 */
	List<TaskResult> getResults();

	/**
	 * Return how many members there are.
	 * @return how many members there are
	 */
	default int size() {
		return getResults().size();
	}

	/**
	 * Return whether every member has finished (succeeded, failed or was revoked).
	 * @return whether every member has finished (succeeded, failed or was revoked)
	 */
	default boolean isReady() {
		return getResults().stream().allMatch(TaskResult::isReady);
	}

	/**
	 * Return whether some member has not finished yet.
	 * @return whether some member has not finished yet
	 */
	default boolean isWaiting() {
		return !isReady();
	}

	/**
	 * Return whether every member succeeded.
	 * @return whether every member succeeded
	 */
	default boolean isSuccessful() {
		return getResults().stream().allMatch(TaskResult::isSuccessful);
	}

	/**
	 * Return whether some member failed.
	 * @return whether some member failed
	 */
	default boolean isFailed() {
		return getResults().stream().anyMatch(TaskResult::isFailed);
	}

	/**
	 * Return how many members succeeded (Celery's {@code completed_count()}).
	 * @return how many members succeeded (Celery's {@code completed_count()})
	 */
	default int completedCount() {
		return (int) getResults().stream().filter(TaskResult::isSuccessful).count();
	}

	/**
	 * Wait for every member and return their results in member order (Celery's
	 * {@code join()}).
	 * @param timeout how long to wait in all
	 * @return the results
	 * @throws TaskFailedException for the first member, in order, that failed or was
	 * revoked
	 * @throws TaskTimeoutException if a member was not ready in time
	 */
	default List<@Nullable Object> get(Duration timeout) {
		return get(timeout, Object.class);
	}

	/**
	 * The same as {@link #get(Duration)}, by Celery's name.
	 * @param timeout how long to wait in all
	 * @return the results, in member order
	 */
	default List<@Nullable Object> join(Duration timeout) {
		return get(timeout);
	}

	/**
	 * Wait for every member and return their results converted to a type, in member
	 * order.
	 * @param <T> the result type
	 * @param timeout how long to wait in all
	 * @param type the type to convert each result to (with Jackson)
	 * @return the results
	 * @throws TaskFailedException for the first member, in order, that failed or was
	 * revoked
	 * @throws TaskTimeoutException if a member was not ready in time
	 */
	default <T> List<@Nullable T> get(Duration timeout, Class<T> type) {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<@Nullable T> values = new ArrayList<>(getResults().size());
		for (TaskResult result : getResults()) {
			Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
			values.add(result.get(left, type));
		}
		return values;
	}

	/**
	 * The results as a future, completed with them in member order once every member is
	 * ready, or exceptionally with {@link TaskFailedException} for the first failed
	 * member.
	 * @return the future
	 */
	default CompletableFuture<List<@Nullable Object>> toFuture() {
		List<CompletableFuture<@Nullable Object>> futures = getResults().stream().map(TaskResult::toFuture).toList();
		return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).handle((ignored, ex) -> {
			List<@Nullable Object> values = new ArrayList<>(futures.size());
			for (CompletableFuture<@Nullable Object> future : futures) {
				values.add(future.join());
			}
			return values;
		});
	}

	/**
	 * Store the group under {@code celery-taskset-meta-<id>} in Celery's format, so it
	 * can be found by id later, from Java ({@link TaskClient#restoreGroup(String)}) or
	 * Python ({@code GroupResult.restore(id)}).
	 * @return this group
	 */
	GroupResult save();

	/**
	 * Remove the saved group (not its members' results).
	 */
	void delete();

	/**
	 * The members' states, in order.
	 * @return the states
	 */
	default List<TaskState> getStates() {
		return getResults().stream().map(TaskResult::getState).toList();
	}

}
