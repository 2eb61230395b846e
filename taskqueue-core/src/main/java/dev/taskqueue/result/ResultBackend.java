package dev.taskqueue.result;

import java.util.concurrent.CompletableFuture;

/**
 * Where task states and results are kept (Celery's result backend).
 */
public interface ResultBackend {

	/**
	 * Store a task's state and result, and notify anyone waiting on it.
	 * @param meta the record to store
	 */
	void store(ResultMeta meta);

	/**
	 * Store a task's state and result without waiting for it: the future completes once the record
	 * is stored and published (exceptionally if it could not be), so a caller that must act only
	 * after the result is stored — a worker acknowledging its message — can go on to the next task
	 * meanwhile. The default stores synchronously.
	 * @param meta the record to store
	 * @return a future completed when the record is stored
	 */
	default CompletableFuture<Void> storeAsync(ResultMeta meta) {
		try {
			store(meta);
			return CompletableFuture.completedFuture(null);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Read a task's record.
	 * @param taskId the task id
	 * @return the record, or a {@link TaskState#PENDING} record if nothing is stored
	 */
	ResultMeta get(String taskId);

	/**
	 * A future that completes with the task's record once it is in a ready state (success,
	 * failure, revoked). Waits on notifications, not by polling. Cancelling the future releases
	 * the subscription.
	 * @param taskId the task id
	 * @return the future
	 */
	CompletableFuture<ResultMeta> whenReady(String taskId);

	/**
	 * Whether results are stored at all. A disabled backend stores nothing and refuses reads.
	 * @return {@code true} if this backend keeps results
	 */
	default boolean isEnabled() {
		return true;
	}

	/**
	 * The backend for {@code taskqueue.result.backend=none}: stores nothing, and says so plainly
	 * when asked for a result.
	 * @return the disabled backend
	 */
	static ResultBackend none() {
		return DisabledResultBackend.INSTANCE;
	}

}
