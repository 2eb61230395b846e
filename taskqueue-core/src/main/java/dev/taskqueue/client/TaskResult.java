package dev.taskqueue.client;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.result.internal.ResultMeta;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * A handle on a sent task (Celery's {@code AsyncResult}): its state and, once ready, its
 * result or failure. Every read goes to the result store, so a handle can be made for any
 * id, in any process, with {@link TaskClient#result(String)}.
 */
public final class TaskResult {

	private final String id;

	private final ResultBackend backend;

	private final JsonMapper mapper;

	private final TaskClient client;

	TaskResult(String id, ResultBackend backend, JsonMapper mapper, TaskClient client) {
		this.id = id;
		this.backend = backend;
		this.mapper = mapper;
		this.client = client;
	}

	/**
	 * Return the task id.
	 * @return the task id
	 */
	public String getId() {
		return this.id;
	}

	/**
	 * The task's current state; {@link TaskState#PENDING} when the store knows nothing of
	 * it.
	 * @return the state
	 */
	public TaskState getState() {
		return meta().status();
	}

	/**
	 * The stored record: state, result or exception, traceback and (when the worker
	 * stores them) name, args, kwargs, worker, retries and queue.
	 * @return the record
	 */
	public ResultMeta meta() {
		return this.backend.get(this.id);
	}

	/**
	 * What the task returned when it succeeded, the exception when it failed, retried or
	 * was revoked, or {@code null} (Celery's {@code AsyncResult.info}).
	 * @return the result value, an {@link ExceptionInfo}, or {@code null}
	 */
	public @Nullable Object getInfo() {
		ResultMeta meta = meta();
		ExceptionInfo exception = meta.exception();
		return (meta.status() == TaskState.SUCCESS || exception == null) ? meta.result() : exception;
	}

	/**
	 * Return the remote traceback of a failed task, or {@code null}.
	 * @return the remote traceback of a failed task, or {@code null}
	 */
	public @Nullable String getTraceback() {
		return meta().traceback();
	}

	/**
	 * When the task finished (Celery's {@code AsyncResult.date_done}), read from either
	 * form Celery stores: naive UTC (5.2) or with an offset (5.3+).
	 * @return when it finished, or {@code null} if it has not (or the record has no
	 * readable time)
	 */
	public @Nullable Instant getDateDone() {
		return meta().completedAt();
	}

	/**
	 * Revoke the task on every worker (Celery's {@code AsyncResult.revoke()}).
	 * @see TaskClient#revoke(String)
	 */
	public void revoke() {
		this.client.revoke(this.id, false);
	}

	/**
	 * Revoke the task and, with {@code terminate}, interrupt it where it runs.
	 * @param terminate whether to interrupt the task if it runs now
	 * @see TaskClient#revoke(String, boolean)
	 */
	public void revoke(boolean terminate) {
		this.client.revoke(this.id, terminate);
	}

	/**
	 * Return whether the task has finished (succeeded, failed or was revoked).
	 * @return whether the task has finished (succeeded, failed or was revoked)
	 */
	public boolean isReady() {
		return getState().isReady();
	}

	/**
	 * Return whether the task succeeded.
	 * @return whether the task succeeded
	 */
	public boolean isSuccessful() {
		return getState() == TaskState.SUCCESS;
	}

	/**
	 * Return whether the task failed.
	 * @return whether the task failed
	 */
	public boolean isFailed() {
		return getState() == TaskState.FAILURE;
	}

	/**
	 * Wait for the result, as the JSON value the task returned (numbers, strings,
	 * booleans, lists, maps or {@code null}).
	 * @param timeout how long to wait
	 * @return the result
	 * @throws TaskFailedException if the task failed or was revoked
	 * @throws TaskTimeoutException if it was not ready in time
	 */
	public @Nullable Object get(Duration timeout) {
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
	public <T> @Nullable T get(Duration timeout, Class<T> type) {
		return convert(await(timeout), this.mapper.constructType(type));
	}

	/**
	 * The result as a future, completed when the task is ready: with the result on
	 * success, exceptionally with {@link TaskFailedException} on failure. Cancelling the
	 * future stops waiting, not the task.
	 * @return the future
	 */
	public CompletableFuture<@Nullable Object> toFuture() {
		return toFuture(Object.class);
	}

	/**
	 * The result converted to a type, as a future.
	 * @param <T> the result type
	 * @param type the type to convert the result to
	 * @return the future
	 */
	public <T> CompletableFuture<@Nullable T> toFuture(Class<T> type) {
		JavaType javaType = this.mapper.constructType(type);
		return this.backend.whenReady(this.id).thenApply((meta) -> convert(meta, javaType));
	}

	private ResultMeta await(Duration timeout) {
		CompletableFuture<ResultMeta> future = this.backend.whenReady(this.id);
		try {
			return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			future.cancel(false);
			throw new TaskTimeoutException(this.id, timeout, getState());
		}
		catch (InterruptedException ex) {
			future.cancel(false);
			Thread.currentThread().interrupt();
			throw new CancellationException("Interrupted while waiting for task " + this.id);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			throw (cause instanceof RuntimeException runtime) ? runtime : new CompletionException(cause);
		}
	}

	private <T> @Nullable T convert(ResultMeta meta, JavaType type) {
		if (meta.status() != TaskState.SUCCESS) {
			ExceptionInfo exception = meta.exception();
			if (exception == null) {
				exception = new ExceptionInfo("UnknownError", null, java.util.List.of(String.valueOf(meta.result())),
						meta.traceback());
			}
			throw new TaskFailedException(this.id, meta.status(), exception);
		}
		Object value = meta.result();
		if (value == null) {
			return null;
		}
		try {
			return this.mapper.convertValue(value, type);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Result of task " + this.id + " cannot be converted to "
					+ type.toCanonical() + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public String toString() {
		return "TaskResult[" + this.id + "]";
	}

}
