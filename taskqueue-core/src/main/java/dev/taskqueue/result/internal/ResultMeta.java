package dev.taskqueue.result.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.protocol.internal.CeleryTime;
import org.jspecify.annotations.Nullable;

/**
 * A task's stored result record, field for field as Celery keeps it under
 * {@code celery-task-meta-<id>}, with the extended fields ({@code name}, {@code args},
 * {@code kwargs}, {@code worker}, {@code retries}, {@code queue}) that Celery writes when
 * {@code result_extended} is on.
 *
 * @param taskId the task id
 * @param status the state
 * @param result the return value for {@link TaskState#SUCCESS}; the encoded exception
 * ({@code exc_type}, {@code exc_message}, {@code exc_module}) for failures and retries
 * @param traceback the remote stack trace, or {@code null}
 * @param children child results, as Celery stores them
 * @param dateDone when the task finished, ISO-8601 as Celery writes it: naive UTC (Celery
 * 5.2) or with an offset (5.3+); {@link #completedAt()} reads either; or {@code null}
 * @param groupId the group id, or {@code null}
 * @param parentId the parent task id, or {@code null}
 * @param name the task name (extended), or {@code null}
 * @param args the positional arguments (extended), or {@code null}
 * @param kwargs the keyword arguments (extended), or {@code null}
 * @param worker the worker that ran it (extended), or {@code null}
 * @param retries the retry count (extended), or {@code null}
 * @param queue the queue it was consumed from (extended), or {@code null}
 * @param stamps the task's Celery 5.3+ stamps (extended; Celery stores
 * {@code stamped_headers} and each stamp as a field of its own), empty when it had none
 */
public record ResultMeta(String taskId, TaskState status, @Nullable Object result, @Nullable String traceback,
		List<?> children, @Nullable String dateDone, @Nullable String groupId, @Nullable String parentId,
		@Nullable String name, @Nullable List<?> args, @Nullable Map<String, ?> kwargs, @Nullable String worker,
		@Nullable Integer retries, @Nullable String queue, Map<String, @Nullable Object> stamps) {

	/**
	 * Create a record, keeping the stamps' order.
	 */
	public ResultMeta {
		stamps = stamps.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(stamps));
	}

	/**
	 * Create a record of an unstamped task.
	 * @param taskId the task id
	 * @param status the state
	 * @param result the return value or encoded exception
	 * @param traceback the remote stack trace, or {@code null}
	 * @param children child results, as Celery stores them
	 * @param dateDone when the task finished, or {@code null}
	 * @param groupId the group id, or {@code null}
	 * @param parentId the parent task id, or {@code null}
	 * @param name the task name (extended), or {@code null}
	 * @param args the positional arguments (extended), or {@code null}
	 * @param kwargs the keyword arguments (extended), or {@code null}
	 * @param worker the worker that ran it (extended), or {@code null}
	 * @param retries the retry count (extended), or {@code null}
	 * @param queue the queue it was consumed from (extended), or {@code null}
	 */
	public ResultMeta(String taskId, TaskState status, @Nullable Object result, @Nullable String traceback,
			List<?> children, @Nullable String dateDone, @Nullable String groupId, @Nullable String parentId,
			@Nullable String name, @Nullable List<?> args, @Nullable Map<String, ?> kwargs, @Nullable String worker,
			@Nullable Integer retries, @Nullable String queue) {
		this(taskId, status, result, traceback, children, dateDone, groupId, parentId, name, args, kwargs, worker,
				retries, queue, Map.of());
	}

	/**
	 * The record of a task the store knows nothing about.
	 * @param taskId the task id
	 * @return a {@link TaskState#PENDING} record
	 */
	public static ResultMeta pending(String taskId) {
		return new ResultMeta(taskId, TaskState.PENDING, null, null, List.of(), null, null, null, null, null, null,
				null, null, null);
	}

	/**
	 * When the task finished, from {@link #dateDone()} in either of Celery's forms (naive
	 * text is UTC).
	 * @return the instant, or {@code null} if there is none or it is not a time
	 */
	public @Nullable Instant completedAt() {
		if (this.dateDone == null) {
			return null;
		}
		try {
			return CeleryTime.parse(this.dateDone).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/**
	 * The exception details of a failure, retry or revocation.
	 * @return the exception info, or {@code null} if {@link #result()} is not an encoded
	 * exception
	 */
	public @Nullable ExceptionInfo exception() {
		return ExceptionInfoCodec.decode(this.result, this.traceback);
	}

}
