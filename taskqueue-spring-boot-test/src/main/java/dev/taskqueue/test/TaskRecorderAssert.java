package dev.taskqueue.test;

import java.util.Arrays;
import java.util.List;

import org.assertj.core.api.AbstractAssert;

/**
 * Assertions about the tasks a test sent, in the order they were published.
 *
 * @see TaskQueueAssertions#assertThat(TaskRecorder)
 */
public class TaskRecorderAssert extends AbstractAssert<TaskRecorderAssert, TaskRecorder> {

	TaskRecorderAssert(TaskRecorder recorder) {
		super(recorder, TaskRecorderAssert.class);
	}

	/**
	 * Verify that at least one task of that name was sent, and continue with those.
	 * @param name the task name
	 * @return assertions about the tasks of that name
	 */
	public SentTasksAssert sent(String name) {
		isNotNull();
		List<SentTask> named = this.actual.getSentTasks(name);
		if (named.isEmpty()) {
			failWithMessage("Expected task '%s' to be sent, but sent were: %s", name, names());
		}
		return new SentTasksAssert(name, named);
	}

	/**
	 * Verify that no task of that name was sent.
	 * @param name the task name
	 * @return this
	 */
	public TaskRecorderAssert didNotSend(String name) {
		isNotNull();
		List<SentTask> named = this.actual.getSentTasks(name);
		if (!named.isEmpty()) {
			failWithMessage("Expected task '%s' not to be sent, but it was: %s", name, named);
		}
		return this;
	}

	/**
	 * Verify that no task was sent.
	 * @return this
	 */
	public TaskRecorderAssert sentNothing() {
		return hasSentCount(0);
	}

	/**
	 * Verify how many tasks were sent, of any name.
	 * @param count the expected count
	 * @return this
	 */
	public TaskRecorderAssert hasSentCount(int count) {
		isNotNull();
		int sent = this.actual.getSentTasks().size();
		if (sent != count) {
			failWithMessage("Expected %d task(s) to be sent, but %d were: %s", count, sent, this.actual.getSentTasks());
		}
		return this;
	}

	/**
	 * Verify that tasks of these names were sent in this order, possibly with others
	 * between them.
	 * @param names the task names, in the expected order
	 * @return this
	 */
	public TaskRecorderAssert sentInOrder(String... names) {
		isNotNull();
		List<String> sent = names();
		int next = 0;
		for (String name : sent) {
			if (next < names.length && names[next].equals(name)) {
				next++;
			}
		}
		if (next < names.length) {
			failWithMessage("Expected tasks to be sent in the order %s, but sent were: %s", Arrays.toString(names),
					sent);
		}
		return this;
	}

	/**
	 * Verify that exactly these tasks were sent, in this order.
	 * @param names the task names
	 * @return this
	 */
	public TaskRecorderAssert sentExactly(String... names) {
		isNotNull();
		if (!names().equals(List.of(names))) {
			failWithMessage("Expected exactly %s to be sent, but sent were: %s", Arrays.toString(names), names());
		}
		return this;
	}

	private List<String> names() {
		return this.actual.getSentTasks().stream().map(SentTask::name).toList();
	}

}
