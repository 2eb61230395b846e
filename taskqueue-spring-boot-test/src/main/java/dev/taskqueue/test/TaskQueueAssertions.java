package dev.taskqueue.test;

import dev.taskqueue.client.TaskResult;

/**
 * Entry points of AssertJ assertions about sent tasks and their results:
 * <pre class="code">
 * assertThat(recorder).sent("worker.divide").withArgs(16, 2).onQueue("divide").once();
 * assertThat(recorder).sentInOrder("orders.place", "billing.invoice");
 * assertThat(result).isSuccessful().hasResult(8.0);
 * </pre>
 */
public final class TaskQueueAssertions {

	private TaskQueueAssertions() {
	}

	/**
	 * Assert about the tasks a test sent.
	 * @param recorder the recorder of the test's context
	 * @return the assertion
	 */
	public static TaskRecorderAssert assertThat(TaskRecorder recorder) {
		return new TaskRecorderAssert(recorder);
	}

	/**
	 * Assert about a task's result.
	 * @param result the result
	 * @return the assertion
	 */
	public static TaskResultAssert assertThat(TaskResult result) {
		return new TaskResultAssert(result);
	}

}
