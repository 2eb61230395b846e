package dev.taskqueue.client.internal;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskRecord;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.TaskTimeoutException;
import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.PendingResult;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.result.internal.ResultMeta;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link TaskResult} that reads the result store.
 */
public final class StoredTaskResult implements TaskResult {

	private final String id;

	private final ResultBackend backend;

	private final JsonMapper mapper;

	private final TaskClient client;

	private final @Nullable PendingResult ahead;

	private final @Nullable Runnable waiting;

	/**
	 * Create a handle.
	 * @param id the task id
	 * @param backend the result store
	 * @param mapper converts results to the types callers ask for
	 * @param client revokes the task
	 */
	public StoredTaskResult(String id, ResultBackend backend, JsonMapper mapper, TaskClient client) {
		this(id, backend, mapper, client, null);
	}

	/**
	 * Create a handle on a task whose result was listened for from before it was sent.
	 * @param id the task id
	 * @param backend the result store
	 * @param mapper converts results to the types callers ask for
	 * @param client revokes the task
	 * @param ahead the result listened for since before the task was sent, or
	 * {@code null}
	 */
	public StoredTaskResult(String id, ResultBackend backend, JsonMapper mapper, TaskClient client,
			@Nullable PendingResult ahead) {
		this(id, backend, mapper, client, ahead, null);
	}

	/**
	 * Create a handle that tells its client when a caller waits for the result.
	 * @param id the task id
	 * @param backend the result store
	 * @param mapper converts results to the types callers ask for
	 * @param client revokes the task
	 * @param ahead the result listened for since before the task was sent, or
	 * {@code null}
	 * @param waiting called as a caller starts waiting for the result (with {@code get}
	 * or {@code toFuture}), or {@code null}
	 */
	public StoredTaskResult(String id, ResultBackend backend, JsonMapper mapper, TaskClient client,
			@Nullable PendingResult ahead, @Nullable Runnable waiting) {
		this.id = id;
		this.backend = backend;
		this.mapper = mapper;
		this.client = client;
		this.ahead = ahead;
		this.waiting = waiting;
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public TaskRecord getRecord() {
		return record(this.backend.get(this.id));
	}

	@Override
	public void revoke() {
		this.client.revoke(this.id, false);
	}

	@Override
	public void revoke(boolean terminate) {
		this.client.revoke(this.id, terminate);
	}

	@Override
	public <T> @Nullable T get(Duration timeout, Class<T> type) {
		return convert(await(timeout), this.mapper.constructType(type));
	}

	@Override
	public <T> CompletableFuture<@Nullable T> toFuture(Class<T> type) {
		JavaType javaType = this.mapper.constructType(type);
		waiting();
		ResultMeta delivered = delivered();
		if (delivered != null) {
			return CompletableFuture.supplyAsync(() -> convert(delivered, javaType), Runnable::run);
		}
		return this.backend.whenReady(this.id).thenApply((meta) -> convert(meta, javaType));
	}

	/** The result delivered to the listening ahead, if it was. */
	private @Nullable ResultMeta delivered() {
		PendingResult ahead = this.ahead;
		if (ahead != null && ahead.future().isDone() && !ahead.future().isCompletedExceptionally()) {
			return ahead.future().join();
		}
		return null;
	}

	private void waiting() {
		Runnable waiting = this.waiting;
		if (waiting != null) {
			waiting.run();
		}
	}

	private ResultMeta await(Duration timeout) {
		waiting();
		PendingResult ahead = this.ahead;
		if (ahead != null) {
			long deadline = System.nanoTime() + timeout.toNanos();
			CompletableFuture<ResultMeta> future = ahead.future();
			if (!future.isDone()) {
				ahead.awaiting();
			}
			try {
				return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				ahead.future().cancel(false);
				// A notification that came late (or never) does not hide a stored result.
				ResultMeta stored = this.backend.get(this.id);
				if (stored.status().isReady()) {
					return stored;
				}
				throw new TaskTimeoutException(this.id, timeout, stored.status());
			}
			catch (InterruptedException ex) {
				ahead.future().cancel(false);
				Thread.currentThread().interrupt();
				throw new CancellationException("Interrupted while waiting for task " + this.id);
			}
			catch (ExecutionException | CancellationException ex) {
				// No longer listened for (the time to listen ran out, or the result could
				// not be decoded): wait the usual way, which reads it.
			}
			return awaitStored(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), timeout);
		}
		return awaitStored(timeout, timeout);
	}

	private ResultMeta awaitStored(Duration remaining, Duration timeout) {
		CompletableFuture<ResultMeta> future = this.backend.whenReadyToWait(this.id);
		try {
			return future.get(remaining.toNanos(), TimeUnit.NANOSECONDS);
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

	/**
	 * The record applications see of a stored result.
	 * @param meta the stored result
	 * @return the record
	 */
	static TaskRecord record(ResultMeta meta) {
		return new TaskRecord(meta.taskId(), meta.status(), meta.result(), meta.exception(), meta.traceback(),
				meta.completedAt(), meta.name(), meta.args(), meta.kwargs(), meta.worker(), meta.retries(),
				meta.queue(), meta.parentId(), meta.groupId());
	}

	@Override
	public String toString() {
		return "TaskResult[" + this.id + "]";
	}

}
