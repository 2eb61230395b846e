package dev.taskqueue.worker;

import java.util.List;
import java.util.Map;

import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.result.internal.ResultMeta;
import org.jspecify.annotations.Nullable;

/**
 * What an errback learns about the call that failed: its id, name, arguments, exception
 * and traceback, retries and worker, read from the failed task's stored result. Declare a
 * parameter of this type (anywhere in the signature) on an errback task: it takes the
 * failed task's id, which is the first positional argument of an errback message, so the
 * remaining parameters bind to the errback's own arguments. <pre class="code">
 * &#64;QueueTask("worker.error_handler")
 * void errorHandler(TaskFailure failure) {
 *     log.warn("{}{} failed: {}", failure.getTaskName(), failure.getArgs(), failure.getExceptionMessage());
 * }
 * </pre> When the failed task's result is not (or no longer) in the store, only the id is
 * known and {@link #isKnown()} is {@code false}.
 */
public final class TaskFailure {

	private final String taskId;

	private final @Nullable ResultMeta meta;

	private final @Nullable ExceptionInfo exception;

	private TaskFailure(String taskId, @Nullable ResultMeta meta) {
		this.taskId = taskId;
		this.meta = meta;
		this.exception = (meta != null) ? meta.exception() : null;
	}

	/**
	 * Look a failed task up in the result store. Never throws: a store that cannot be
	 * read gives a failure whose details are unknown.
	 * @param taskId the failed task's id
	 * @param backend the result store
	 * @return the failure
	 */
	public static TaskFailure lookup(String taskId, ResultBackend backend) {
		try {
			if (backend.isEnabled()) {
				ResultMeta meta = backend.get(taskId);
				if (meta.status() != TaskState.PENDING) {
					return new TaskFailure(taskId, meta);
				}
			}
		}
		catch (RuntimeException ex) {
			// The id alone is still worth handing to the errback.
		}
		return new TaskFailure(taskId, null);
	}

	/**
	 * Return the failed task's id.
	 * @return the failed task's id
	 */
	public String getTaskId() {
		return this.taskId;
	}

	/**
	 * Return whether the failed task's stored result was found.
	 * @return whether the failed task's stored result was found
	 */
	public boolean isKnown() {
		return this.meta != null;
	}

	/**
	 * Return the failed task's state ({@code FAILURE}, or {@code PENDING} when unknown).
	 * @return the failed task's state ({@code FAILURE}, or {@code PENDING} when unknown)
	 */
	public TaskState getState() {
		return (this.meta != null) ? this.meta.status() : TaskState.PENDING;
	}

	/**
	 * Return the failed task's name, or {@code null} when unknown.
	 * @return the failed task's name, or {@code null} when unknown
	 */
	public @Nullable String getTaskName() {
		return (this.meta != null) ? this.meta.name() : null;
	}

	/**
	 * Return the failed call's positional arguments, or {@code null} when unknown.
	 * @return the failed call's positional arguments, or {@code null} when unknown
	 */
	public @Nullable List<?> getArgs() {
		return (this.meta != null) ? this.meta.args() : null;
	}

	/**
	 * Return the failed call's keyword arguments, or {@code null} when unknown.
	 * @return the failed call's keyword arguments, or {@code null} when unknown
	 */
	public @Nullable Map<String, ?> getKwargs() {
		return (this.meta != null) ? this.meta.kwargs() : null;
	}

	/**
	 * Return the exception type's name (e.g. {@code ArithmeticException}), or
	 * {@code null} when unknown.
	 * @return the exception type's name (e.g. {@code ArithmeticException}), or
	 * {@code null} when unknown
	 */
	public @Nullable String getExceptionType() {
		return (this.exception != null) ? this.exception.type() : null;
	}

	/**
	 * Return the exception's module or package, or {@code null} when unknown.
	 * @return the exception's module or package, or {@code null} when unknown
	 */
	public @Nullable String getExceptionModule() {
		return (this.exception != null) ? this.exception.module() : null;
	}

	/**
	 * Return the exception's message, or {@code null} when unknown.
	 * @return the exception's message, or {@code null} when unknown
	 */
	public @Nullable String getExceptionMessage() {
		return (this.exception != null) ? this.exception.message() : null;
	}

	/**
	 * Return the failed task's traceback or stack trace, or {@code null} when unknown.
	 * @return the failed task's traceback or stack trace, or {@code null} when unknown
	 */
	public @Nullable String getTraceback() {
		return (this.meta != null) ? this.meta.traceback() : null;
	}

	/**
	 * Return how many times the failed task was retried, or {@code null} when unknown.
	 * @return how many times the failed task was retried, or {@code null} when unknown
	 */
	public @Nullable Integer getRetries() {
		return (this.meta != null) ? this.meta.retries() : null;
	}

	/**
	 * Return the worker the task failed on, or {@code null} when unknown.
	 * @return the worker the task failed on, or {@code null} when unknown
	 */
	public @Nullable String getWorker() {
		return (this.meta != null) ? this.meta.worker() : null;
	}

	@Override
	public String toString() {
		if (!isKnown()) {
			return "TaskFailure[" + this.taskId + ": details unknown (no stored result)]";
		}
		return "TaskFailure[" + getTaskName() + getArgs() + " " + this.taskId + ": " + getExceptionType() + ": "
				+ getExceptionMessage() + "]";
	}

}
