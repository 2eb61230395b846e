package dev.taskqueue.worker.internal;

import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.worker.WorkerSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Decides what to do with a message the broker marks redelivered: its earlier delivery
 * may have finished the task (the worker died between storing the result and
 * acknowledging), or the task itself may be what keeps killing workers.
 * <p>
 * Only runs are counted, not deliveries: a message that was merely prefetched by a worker
 * that died, or handed back by one that stopped, is not to blame. And a redelivered task
 * runs alone on its worker, so that when a worker dies again, the task it was running is
 * the only one whose count goes up: tasks that happened to run beside a poison task are
 * never dead-lettered for it. A first delivery never comes here, so the common path costs
 * no Redis round trip.
 */
final class RedeliveryGuard {

	private static final Log logger = LogFactory.getLog(RedeliveryGuard.class);

	private final ResultBackend backend;

	private final WorkerSettings settings;

	/** Ordinary runs share it; a redelivered task takes it alone. */
	private final ReentrantReadWriteLock runs = new ReentrantReadWriteLock();

	RedeliveryGuard(ResultBackend backend, WorkerSettings settings) {
		this.backend = backend;
		this.settings = settings;
	}

	/**
	 * Check a redelivered task. Throws when the result store cannot answer, so the
	 * message goes back to its queue rather than being run or dropped blindly.
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
		// The first delivery is not counted (it was not marked redelivered); assume it
		// ran.
		long unfinished = this.backend.getRedeliveredRuns(task.id()) + 1;
		if (unfinished >= max) {
			return new Verdict(Action.DEAD_LETTER, "taskqueue.worker.max-deliveries (" + max + ") reached: "
					+ unfinished + " deliveries ended " + "without the task finishing (did it kill its worker?)");
		}
		logger.warn("Task " + task.task() + "[" + task.id() + "] redelivered: " + unfinished
				+ " earlier deliveries did not finish it (at most " + max + " are allowed); running it alone");
		return Verdict.RUN;
	}

	/**
	 * Wait for the right to run a task, and count the run if it was redelivered.
	 * @param task the task about to run
	 * @param redelivered whether the broker marked it redelivered
	 * @return the permit to release once the task's outcome is handled
	 */
	Permit enter(TaskMessage task, boolean redelivered) {
		if (!redelivered || this.settings.maxDeliveries() <= 0 || !this.backend.isEnabled()) {
			return acquire(this.runs.readLock());
		}
		Permit permit = acquire(this.runs.writeLock());
		try {
			this.backend.countRedeliveredRun(task.id());
			return permit;
		}
		catch (RuntimeException ex) {
			permit.release();
			throw ex;
		}
	}

	private static Permit acquire(Lock lock) {
		lock.lock();
		return lock::unlock;
	}

	/**
	 * Whether a stored SUCCESS means everything the task causes was done. A task with
	 * callbacks, a chain or a chord sends them after its result is stored; a worker that
	 * died in between left them unsent, so such a task runs again rather than being
	 * skipped.
	 */
	private static boolean isFinishedAlone(TaskMessage task) {
		TaskMessage.Embed embed = task.embed();
		return isEmpty(embed.callbacks()) && isEmpty(embed.chain()) && embed.chord() == null;
	}

	private static boolean isEmpty(@Nullable List<?> list) {
		return list == null || list.isEmpty();
	}

	/**
	 * The right to run a task.
	 */
	interface Permit {

		void release();

	}

	enum Action {

		RUN, SKIP, DEAD_LETTER

	}

	/**
	 * What to do with a redelivered task.
	 *
	 * @param action the action
	 * @param reason why it is dead-lettered, for {@link Action#DEAD_LETTER}
	 */
	record Verdict(Action action, @Nullable String reason) {

		static final Verdict RUN = new Verdict(Action.RUN, null);

		static final Verdict ALREADY_SUCCEEDED = new Verdict(Action.SKIP, null);

	}

}
