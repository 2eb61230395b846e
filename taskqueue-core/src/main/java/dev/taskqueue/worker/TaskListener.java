package dev.taskqueue.worker;

import dev.taskqueue.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * Hooks around a task's run (Celery's {@code Task.before_start}, {@code on_success},
 * {@code on_retry}, {@code on_failure} and {@code after_return}). A listener bean applies
 * to every task of the worker; {@link QueueTask#listeners()} adds listeners to one task.
 * A listener that throws is logged and does not change the task's outcome.
 * <pre class="code">
 * &#64;Component
 * class DebugTask implements TaskListener {
 *     public void onFailure(TaskContext task, Throwable exception) {
 *         System.out.println(task.getArgs());
 *     }
 * }
 * </pre>
 */
public interface TaskListener {

	/**
	 * Called before the task runs.
	 * @param task the task's request
	 */
	default void beforeStart(TaskContext task) {
	}

	/**
	 * Called after the task returned and its result was stored.
	 * @param task the task's request
	 * @param result what it returned
	 */
	default void onSuccess(TaskContext task, @Nullable Object result) {
	}

	/**
	 * Called when the task will run again later.
	 * @param task the task's request
	 * @param exception why, or {@code null} for a retry without a cause
	 */
	default void onRetry(TaskContext task, @Nullable Throwable exception) {
	}

	/**
	 * Called when the task failed for good and its failure was stored.
	 * @param task the task's request
	 * @param exception what it threw
	 */
	default void onFailure(TaskContext task, Throwable exception) {
	}

	/**
	 * Called last, whatever happened.
	 * @param task the task's request
	 * @param state the state the task ended this attempt in ({@code SUCCESS},
	 * {@code FAILURE} or {@code RETRY})
	 * @param result the return value or the exception
	 */
	default void afterReturn(TaskContext task, TaskState state, @Nullable Object result) {
	}

}
