package dev.taskqueue.test;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The tasks the application sent in a test, in the order they were published, and the
 * results to give tasks that do not run here. Available in the
 * {@link TaskQueueTestMode#RECORD record} and {@link TaskQueueTestMode#INLINE inline}
 * modes; in the inline mode it also sees what the tasks send (callbacks, chain steps,
 * retries). Cleared before each test method.
 *
 * @see TaskQueueAssertions#assertThat(TaskRecorder)
 */
public interface TaskRecorder {

	/**
	 * Return every task sent so far, in the order they were published.
	 * @return the sent tasks
	 */
	List<SentTask> getSentTasks();

	/**
	 * Return the tasks of that name sent so far, in order.
	 * @param name the task name
	 * @return the sent tasks of that name
	 */
	default List<SentTask> getSentTasks(String name) {
		return getSentTasks().stream().filter((task) -> task.name().equals(name)).toList();
	}

	/**
	 * Give every later send of a task this result (stored as {@code SUCCESS}) instead of
	 * running it: in the record mode its {@code TaskResult.get} returns it at once, in
	 * the inline mode the task does not run and its callbacks do not fire.
	 * @param name the task name
	 * @param result the result, which goes through the result codec as a stored result
	 * would
	 */
	void stubResult(String name, @Nullable Object result);

	/**
	 * Give every later send of a task this failure (stored as {@code FAILURE}) instead of
	 * running it, as {@link #stubResult(String, Object)} does.
	 * @param name the task name
	 * @param exception the exception the task fails with
	 */
	void stubFailure(String name, Throwable exception);

	/**
	 * Forget the tasks sent and the stubs.
	 */
	void clear();

}
