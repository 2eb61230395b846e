package dev.taskqueue.client;

import java.util.List;

import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link TaskResult#get} when the task failed or was revoked. Carries the
 * remote exception's type, module, message and traceback, whichever language the worker
 * was written in.
 */
public class TaskFailedException extends RuntimeException {

	private final String taskId;

	private final TaskState state;

	private final ExceptionInfo exception;

	/**
	 * Create a new instance.
	 * @param taskId the task id
	 * @param state the final state ({@link TaskState#FAILURE} or
	 * {@link TaskState#REVOKED})
	 * @param exception the remote exception
	 */
	public TaskFailedException(String taskId, TaskState state, ExceptionInfo exception) {
		super("Task " + taskId + " " + ((state == TaskState.REVOKED) ? "was revoked" : "failed") + ": "
				+ exception.qualifiedType() + ": " + exception.message());
		this.taskId = taskId;
		this.state = state;
		this.exception = exception;
	}

	/**
	 * Return the task id.
	 * @return the task id
	 */
	public String getTaskId() {
		return this.taskId;
	}

	/**
	 * Return the final state.
	 * @return the final state
	 */
	public TaskState getState() {
		return this.state;
	}

	/**
	 * Return the remote exception type's name, e.g. {@code ZeroDivisionError} or
	 * {@code ArithmeticException}.
	 * @return the remote exception type's name, e.g. {@code ZeroDivisionError} or
	 * {@code ArithmeticException}
	 */
	public String getExceptionType() {
		return this.exception.type();
	}

	/**
	 * Return the remote exception's module or package, e.g. {@code builtins} or
	 * {@code java.lang}.
	 * @return the remote exception's module or package, e.g. {@code builtins} or
	 * {@code java.lang}
	 */
	public @Nullable String getExceptionModule() {
		return this.exception.module();
	}

	/**
	 * Return the remote exception's message.
	 * @return the remote exception's message
	 */
	public String getRemoteMessage() {
		return this.exception.message();
	}

	/**
	 * Return the remote exception's args, as stored.
	 * @return the remote exception's args, as stored
	 */
	public List<?> getExceptionArgs() {
		return this.exception.messageArgs();
	}

	/**
	 * Return the remote traceback or stack trace, or {@code null}.
	 * @return the remote traceback or stack trace, or {@code null}
	 */
	public @Nullable String getRemoteTraceback() {
		return this.exception.traceback();
	}

	/**
	 * Return the remote exception as stored.
	 * @return the remote exception as stored
	 */
	public ExceptionInfo getExceptionInfo() {
		return this.exception;
	}

}
