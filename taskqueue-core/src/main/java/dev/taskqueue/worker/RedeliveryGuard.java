package dev.taskqueue.worker;

import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.TaskState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Decides what to do with a message the broker marks redelivered: its earlier delivery may have
 * finished the task (the worker died between storing the result and acknowledging), or the task
 * itself may be what keeps killing workers. A first delivery never comes here, so the common path
 * costs no Redis round trip.
 */
final class RedeliveryGuard {

	private static final Log logger = LogFactory.getLog(RedeliveryGuard.class);

	private final ResultBackend backend;

	private final WorkerSettings settings;

	RedeliveryGuard(ResultBackend backend, WorkerSettings settings) {
		this.backend = backend;
		this.settings = settings;
	}

	/**
	 * Check a redelivered task. Throws when the result store cannot answer, so the message goes
	 * back to its queue rather than being run or dropped blindly.
	 * @param task the task
	 * @return what to do with it
	 */
	Verdict check(TaskMessage task) {
		if (!this.backend.isEnabled()) {
			return Verdict.RUN;
		}
		if (isFinishedAlone(task) && this.backend.get(task.id()).status() == TaskState.SUCCESS) {
			logger.info("Task " + task.task() + "[" + task.id() + "] was redelivered but its SUCCESS result is "
					+ "already stored: acknowledging it without running it again");
			return Verdict.ALREADY_SUCCEEDED;
		}
		int max = this.settings.maxDeliveries();
		if (max <= 0) {
			return Verdict.RUN;
		}
		// The first delivery is never counted: it was not marked redelivered.
		long deliveries = this.backend.countRedelivery(task.id()) + 1;
		if (deliveries > max) {
			return new Verdict(Action.DEAD_LETTER,
					"delivered " + deliveries + " times, more than taskqueue.worker.max-deliveries (" + max
							+ "): the task did not finish on any of them (did it kill its worker?)");
		}
		if (deliveries > 1) {
			logger.warn("Task " + task.task() + "[" + task.id() + "]: delivery " + deliveries + " of at most " + max
					+ "; an earlier worker did not finish it");
		}
		return Verdict.RUN;
	}

	/**
	 * Whether a stored SUCCESS means everything the task causes was done. A task with callbacks,
	 * a chain or a chord sends them after its result is stored; a worker that died in between
	 * left them unsent, so such a task runs again rather than being skipped.
	 */
	private static boolean isFinishedAlone(TaskMessage task) {
		TaskMessage.Embed embed = task.embed();
		return isEmpty(embed.callbacks()) && isEmpty(embed.chain()) && embed.chord() == null;
	}

	private static boolean isEmpty(java.util.@Nullable List<?> list) {
		return list == null || list.isEmpty();
	}

	enum Action {

		RUN, SKIP, DEAD_LETTER

	}

	/**
	 * What to do with a redelivered task.
	 * @param action the action
	 * @param reason why it is dead-lettered, for {@link Action#DEAD_LETTER}
	 */
	record Verdict(Action action, @Nullable String reason) {

		static final Verdict RUN = new Verdict(Action.RUN, null);

		static final Verdict ALREADY_SUCCEEDED = new Verdict(Action.SKIP, null);

	}

}
