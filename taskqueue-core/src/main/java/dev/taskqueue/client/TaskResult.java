package dev.taskqueue.client;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import dev.taskqueue.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * A handle on a sent task (Celery's {@code AsyncResult}): its state and, once ready, its
 * result or failure. Every read goes to the result store, so a handle can be made for any
 * id, in any process, with {@link TaskClient#result(String)}.
 */
public interface TaskResult {

	/**
	 * Return the task id.
	 * @return the task id
	 */
	String getId();

	/**
	 * Read what the result store holds of the task now: state, result or exception,
	 * traceback and, when the worker stores them, name, args, kwargs, worker, retries and
	 * queue. One read gives a consistent view of them.
	 * @return the record; its state is {@link TaskState#PENDING} when the store knows
	 * nothing of the task
	 */
	TaskRecord getRecord();

	/**
	 * Return the task's current state; {@link TaskState#PENDING} when the store knows
	 * nothing of it.
	 * @return the state
	 */
	default TaskState getState() {
		return getRecord().state();
	}

	/**
	 * Return what the task returned when it succeeded, the exception when it failed,
	 * retried or was revoked, or {@code null} (Celery's {@code AsyncResult.info}).
	 * @return the result value, an {@link dev.taskqueue.result.ExceptionInfo}, or
	 * {@code null}
	 */
	default @Nullable Object getInfo() {
		return getRecord().info();
	}

	/**
	 * Return the remote traceback of a failed task, or {@code null}.
	 * @return the remote traceback of a failed task, or {@code null}
	 */
	default @Nullable String getTraceback() {
		return getRecord().traceback();
	}

	/**
	 * Return when the task ended (Celery's {@code AsyncResult.date_done}), or
	 * {@code null} while it has not.
	 * @return when the task ended, or {@code null}
	 */
	default @Nullable Instant getDateDone() {
		return getRecord().dateDone();
	}

	/**
	 * Return whether the task has finished (succeeded, failed or was revoked).
	 * @return whether the task has finished (succeeded, failed or was revoked)
	 */
	default boolean isReady() {
		return getState().isReady();
	}

	/**
	 * Return whether the task succeeded.
	 * @return whether the task succeeded
	 */
	default boolean isSuccessful() {
		return getState() == TaskState.SUCCESS;
	}

	/**
	 * Return whether the task failed.
	 * @return whether the task failed
	 */
	default boolean isFailed() {
		return getState() == TaskState.FAILURE;
	}

	/**
	 * Revoke the task on every worker (Celery's {@code AsyncResult.revoke()}).
	 * @see TaskClient#revoke(String)
	 */
	void revoke();

	/**
	 * Revoke the task and, with {@code terminate}, interrupt it where it runs.
	 * @param terminate whether to interrupt the task if it runs now
	 * @see TaskClient#revoke(String, boolean)
	 */
	void revoke(boolean terminate);

	/**
	 * Wait for the result, as the JSON value the task returned (numbers, strings,
	 * booleans, lists, maps or {@code null}).
	 * @param timeout how long to wait
	 * @return the result
	 * @throws TaskFailedException if the task failed or was revoked
	 * @throws TaskTimeoutException if it was not ready in time
	 */
	default @Nullable Object get(Duration timeout) {
		return get(timeout, Object.class);
	}

	/**
	 * Wait for the result and convert it to a type.
	 * @param <T> the result type
	 * @param timeout how long to wait
	 * @param type the type to convert the result to (with Jackson)
	 * @return the result
	 * @throws TaskFailedException if the task failed or was revoked
	 * @throws TaskTimeoutException if it was not ready in time
	 */
	<T> @Nullable T get(Duration timeout, Class<T> type);

	/**
	 * Return the result as a future, completed when the task is ready: with the result on
	 * success, exceptionally with {@link TaskFailedException} on failure. Cancelling the
	 * future stops waiting, not the task.
	 * @return the future
	 */
	default CompletableFuture<@Nullable Object> toFuture() {
		return toFuture(Object.class);
	}

	/**
	 * Return the result converted to a type, as a future.
	 * @param <T> the result type
	 * @param type the type to convert the result to
	 * @return the future
	 */
	<T> CompletableFuture<@Nullable T> toFuture(Class<T> type);

}
