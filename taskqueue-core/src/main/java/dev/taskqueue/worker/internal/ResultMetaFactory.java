package dev.taskqueue.worker.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.taskqueue.protocol.internal.CeleryTime;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.ResultMeta;
import dev.taskqueue.worker.WorkerSettings;
import org.jspecify.annotations.Nullable;

/**
 * Makes the result record of every outcome a worker stores, in the shape Celery 5.2's
 * worker stores it: the only place the worker builds a {@link ResultMeta}.
 * <p>
 * A task's own outcome carries the extended fields (name, args, kwargs, worker, retries,
 * queue, and the stamps of a stamped task as Celery 5.3+ stores them) when
 * {@link WorkerSettings#extendedResults()} is on. A rejected message's record always
 * names the worker and queue that rejected it, since that is what its reader needs to
 * find the message; the records of chain steps and chord bodies failed on another task's
 * behalf carry none.
 */
final class ResultMetaFactory {

	private final WorkerSettings settings;

	ResultMetaFactory(WorkerSettings settings) {
		this.settings = settings;
	}

	/**
	 * The record of a task that returned.
	 * @param task the task
	 * @param name its registered name
	 * @param queue the queue it came from
	 * @param result what it returned
	 * @param children its callbacks and next chain step, as Celery lists them
	 * @return the record
	 */
	ResultMeta success(TaskMessage task, String name, String queue, @Nullable Object result, List<?> children) {
		return ofTask(task, TaskState.SUCCESS, result, null, children, now(), name, queue);
	}

	/**
	 * The record of a task that failed for good.
	 * @param task the task
	 * @param name its registered name
	 * @param queue the queue it came from
	 * @param exception the encoded exception
	 * @param traceback its traceback
	 * @return the record
	 */
	ResultMeta failure(TaskMessage task, String name, String queue, Object exception, String traceback) {
		return ofTask(task, TaskState.FAILURE, exception, traceback, List.of(), now(), name, queue);
	}

	/**
	 * The record of a task that will run again: no completion date, and the next attempt
	 * (which keeps the task's id) as its child, as Celery's {@code Task.retry} stores it.
	 * @param task the task
	 * @param name its registered name
	 * @param queue the queue it came from
	 * @param exception the encoded exception (the cause, or Celery's {@code Retry})
	 * @param traceback its traceback
	 * @return the record
	 */
	ResultMeta retry(TaskMessage task, String name, String queue, Object exception, String traceback) {
		return ofTask(task, TaskState.RETRY, exception, traceback,
				List.of(Arrays.asList(Arrays.asList(task.id(), null), null)), null, name, queue);
	}

	/**
	 * The record of a task revoked before or while it ran, or expired.
	 * @param task the task
	 * @param name its registered name
	 * @param queue the queue it came from
	 * @param exception the encoded {@code TaskRevokedError}
	 * @return the record
	 */
	ResultMeta revoked(TaskMessage task, String name, String queue, Object exception) {
		return ofTask(task, TaskState.REVOKED, exception, null, List.of(), now(), name, queue);
	}

	/**
	 * The record of a message that could never be a task here and was dead-lettered.
	 * @param taskId the task id the message carried
	 * @param taskName the task name it carried, if readable
	 * @param queue the queue it came from
	 * @param exception the encoded reason ({@code NotRegistered},
	 * {@code ContentDisallowed} ...)
	 * @param reason why it was rejected
	 * @return the record
	 */
	ResultMeta rejected(String taskId, @Nullable String taskName, String queue, Object exception, String reason) {
		String worker = this.settings.name();
		return new ResultMeta(taskId, TaskState.FAILURE, exception,
				"Message rejected by " + worker + ": " + reason + "\n", List.of(), now(), null, null, taskName, null,
				null, worker, null, queue);
	}

	/**
	 * The record of a task that will never run because a task before it failed: a later
	 * chain step, or the body of a chord whose part failed.
	 * @param taskId the id of the task that will not run
	 * @param exception the encoded exception it fails with
	 * @param traceback the traceback, if any
	 * @param groupId its group, if it is a group or chord part
	 * @param parentId its parent, if known
	 * @return the record
	 */
	ResultMeta notRun(String taskId, Object exception, @Nullable String traceback, @Nullable String groupId,
			@Nullable String parentId) {
		return new ResultMeta(taskId, TaskState.FAILURE, exception, traceback, List.of(), now(), groupId, parentId,
				null, null, null, null, null, null);
	}

	private ResultMeta ofTask(TaskMessage task, TaskState state, @Nullable Object result, @Nullable String traceback,
			List<?> children, @Nullable String dateDone, String name, String queue) {
		boolean extended = this.settings.extendedResults();
		return new ResultMeta(task.id(), state, result, traceback, children, dateDone, task.group(), task.parentId(),
				extended ? name : null, extended ? task.args() : null, extended ? task.kwargs() : null,
				extended ? this.settings.name() : null, extended ? task.retries() : null, extended ? queue : null,
				extended ? task.stamps() : Map.of());
	}

	private static String now() {
		return CeleryTime.formatNaiveUtc(Instant.now());
	}

}
