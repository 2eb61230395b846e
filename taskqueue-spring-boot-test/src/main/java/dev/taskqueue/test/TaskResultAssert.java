package dev.taskqueue.test;

import java.time.Duration;

import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.TaskState;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions about a task's result as it is stored now: none of them waits.
 *
 * @see TaskQueueAssertions#assertThat(TaskResult)
 */
public class TaskResultAssert extends AbstractAssert<TaskResultAssert, TaskResult> {

	TaskResultAssert(TaskResult result) {
		super(result, TaskResultAssert.class);
	}

	/**
	 * Verify the result's state.
	 * @param state the expected state
	 * @return this
	 */
	public TaskResultAssert hasState(TaskState state) {
		isNotNull();
		TaskState actual = this.actual.getState();
		if (actual != state) {
			failWithMessage("Expected task %s to be %s, but it is %s%s", this.actual.getId(), state, actual,
					describeFailure());
		}
		return this;
	}

	/**
	 * Verify that the task succeeded.
	 * @return this
	 */
	public TaskResultAssert isSuccessful() {
		return hasState(TaskState.SUCCESS);
	}

	/**
	 * Verify that the task has no stored outcome yet.
	 * @return this
	 */
	public TaskResultAssert isPending() {
		return hasState(TaskState.PENDING);
	}

	/**
	 * Verify that the task succeeded with this result, compared as JSON values.
	 * @param expected the expected result
	 * @return this
	 */
	public TaskResultAssert hasResult(@Nullable Object expected) {
		isSuccessful();
		Object actual = this.actual.get(Duration.ZERO);
		if (!JsonValues.same(expected, actual)) {
			failWithMessage("Expected task %s to return %s, but it returned %s", this.actual.getId(), expected, actual);
		}
		return this;
	}

	/**
	 * Verify that the task failed with an exception of this type (its simple name, as
	 * Celery stores it, such as {@code ZeroDivisionError} or
	 * {@code ArithmeticException}).
	 * @param exceptionType the exception's type name
	 * @return this
	 */
	public TaskResultAssert hasFailedWith(String exceptionType) {
		hasState(TaskState.FAILURE);
		ExceptionInfo exception = this.actual.getRecord().exception();
		if (exception == null || !exception.type().equals(exceptionType)) {
			failWithMessage("Expected task %s to fail with %s, but it failed with %s", this.actual.getId(),
					exceptionType, (exception != null) ? exception.type() : null);
		}
		return this;
	}

	private String describeFailure() {
		ExceptionInfo exception = this.actual.getRecord().exception();
		return (exception != null) ? " (" + exception.type() + ": " + exception.messageArgs() + ")" : "";
	}

}
