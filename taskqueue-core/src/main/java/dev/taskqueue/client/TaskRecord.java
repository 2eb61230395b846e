package dev.taskqueue.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * What the result store holds of a task at one moment (Celery's task meta): its state,
 * its result or exception and, when the worker stores extended results, what was called
 * and where it ran.
 *
 * @param taskId the task id
 * @param state the state; {@link TaskState#PENDING} when the store knows nothing of the
 * task
 * @param result what the task returned, or the stored exception as Celery encodes it, or
 * {@code null}
 * @param exception the exception of a task that failed, retried or was revoked, or
 * {@code null}
 * @param traceback the remote traceback, or {@code null}
 * @param dateDone when the task ended, or {@code null}
 * @param taskName the task's name, or {@code null} when not stored
 * @param args the positional arguments, or {@code null} when not stored
 * @param kwargs the keyword arguments, or {@code null} when not stored
 * @param worker the worker that ran it, or {@code null} when not stored
 * @param retries how many times it was retried, or {@code null} when not stored
 * @param queue the queue it was consumed from, or {@code null} when not stored
 * @param parentId the id of the task that sent this one, or {@code null}
 * @param groupId the group the task belongs to, or {@code null}
 */
public record TaskRecord(String taskId, TaskState state, @Nullable Object result, @Nullable ExceptionInfo exception,
		@Nullable String traceback, @Nullable Instant dateDone, @Nullable String taskName, @Nullable List<?> args,
		@Nullable Map<String, ?> kwargs, @Nullable String worker, @Nullable Integer retries, @Nullable String queue,
		@Nullable String parentId, @Nullable String groupId) {

	/**
	 * Return what the task returned when it succeeded, its exception when it failed,
	 * retried or was revoked, or {@code null} (Celery's {@code AsyncResult.info}).
	 * @return the result value, an {@link ExceptionInfo}, or {@code null}
	 */
	public @Nullable Object info() {
		return (this.state == TaskState.SUCCESS || this.exception == null) ? this.result : this.exception;
	}

}
