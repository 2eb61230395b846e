package dev.taskqueue.worker.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.worker.RetryException;
import dev.taskqueue.worker.TaskArgumentException;
import dev.taskqueue.worker.TaskContext;
import dev.taskqueue.worker.TaskFailure;
import dev.taskqueue.worker.TimeLimitExceeded;
import dev.taskqueue.worker.WorkerSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs one task that was admitted: binds the message's arguments to the method's
 * parameters, calls it within its time limits, and tells how the call ended: returned,
 * asked to retry, failed, or was terminated by a revoke while it ran. What each outcome
 * then does is {@link TaskOutcomes}'s.
 * <p>
 * While the task runs it is listed in {@link ActiveTasks} (where a terminate finds its
 * thread) and holds its {@link RedeliveryGuard} permit.
 */
final class TaskInvoker {

	private static final Log logger = LogFactory.getLog(TaskInvoker.class);

	private final TaskMessageCodec codec;

	private final TimeLimits timeLimits;

	private final ActiveTasks activeTasks;

	private final RedeliveryGuard redeliveries;

	private final TaskRuntimes runtimes;

	private final WorkerControl control;

	private final TaskLifecycle lifecycle;

	private final TaskOutcomes outcomes;

	private final String worker;

	private final Function<String, TaskFailure> failures;

	TaskInvoker(TaskMessageCodec codec, ResultBackend backend, TimeLimits timeLimits, ActiveTasks activeTasks,
			RedeliveryGuard redeliveries, TaskRuntimes runtimes, WorkerControl control, TaskLifecycle lifecycle,
			TaskOutcomes outcomes, WorkerSettings settings) {
		this.codec = codec;
		this.timeLimits = timeLimits;
		this.activeTasks = activeTasks;
		this.redeliveries = redeliveries;
		this.runtimes = runtimes;
		this.control = control;
		this.lifecycle = lifecycle;
		this.outcomes = outcomes;
		this.worker = settings.name();
		this.failures = (failedId) -> TaskFailure.lookup(failedId, backend);
	}

	/**
	 * Bind, run and settle one task: store its outcome and publish what the outcome calls
	 * for.
	 * @param task the message
	 * @param method the task method
	 * @param queue the queue it came from
	 * @param redelivered whether the broker delivered the message before
	 * @return the store of the outcome, if still in flight: the message is acknowledged
	 * once it completes
	 */
	CompletableFuture<Void> execute(TaskMessage task, TaskMethod method, String queue, boolean redelivered) {
		return this.lifecycle.observe(task, queue, () -> executeObserved(task, method, queue, redelivered));
	}

	private CompletableFuture<Void> executeObserved(TaskMessage task, TaskMethod method, String queue,
			boolean redelivered) {
		RedeliveryGuard.Permit permit = this.redeliveries.enter(task, redelivered);
		ActiveTasks.RunningTask active = this.activeTasks.begin(task, queue);
		try {
			// Checked again once the task is active, so a terminate announced since
			// receipt (or while the task was held) is not missed.
			if (this.control.isRevoked(task)) {
				this.outcomes.revoke(task, method, queue, "revoked");
				return Acknowledgements.done();
			}
			return run(task, method, queue, redelivered, active);
		}
		finally {
			this.activeTasks.end(active);
			permit.release();
		}
	}

	private CompletableFuture<Void> run(TaskMessage task, TaskMethod method, String queue, boolean redelivered,
			ActiveTasks.RunningTask active) {
		TaskRuntimes.TaskRuntime runtime = this.runtimes.of(method);
		MessageTaskContext context = new MessageTaskContext(task, queue, this.worker, redelivered);
		this.lifecycle.started(runtime, context);
		long start = System.nanoTime();
		Object result;
		try {
			result = invoke(method, task, context, active);
		}
		catch (Terminated terminated) {
			logger.info("Task " + task.task() + "[" + task.id() + "] terminated: revoked while it ran");
			this.outcomes.terminated(runtime, context, method);
			return Acknowledgements.done();
		}
		catch (RetryException retry) {
			this.outcomes.retry(runtime, context, method, retry.getCause(),
					runtime.policy().delay(retry.getCountdown()), start);
			return Acknowledgements.done();
		}
		catch (TimeLimitExceeded ex) {
			// Never retried: the abandoned method may still be running.
			this.outcomes.fail(runtime, context, method, ex, null, start);
			return Acknowledgements.done();
		}
		catch (TaskArgumentException ex) {
			logger.error("Task " + task.task() + "[" + task.id() + "] refused its arguments: " + ex.getMessage());
			this.outcomes.fail(runtime, context, method, ex, null, start);
			return Acknowledgements.done();
		}
		catch (Throwable ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			this.control.abandonIfInterrupted(task, ex);
			if (runtime.policy().isAutoRetried(ex)) {
				this.outcomes.retry(runtime, context, method, ex, runtime.policy().delay(task.retries()), start);
				return Acknowledgements.done();
			}
			logger.info("Task " + task.task() + "[" + task.id() + "] raised " + ex);
			logger.debug("Task " + task.task() + "[" + task.id() + "] stack trace", ex);
			this.outcomes.fail(runtime, context, method, ex, null, start);
			return Acknowledgements.done();
		}
		return this.outcomes.succeed(runtime, context, method, result, start);
	}

	/**
	 * Call the method with the message's arguments, within its time limits.
	 * @throws Terminated if a revoke with terminate interrupted the call
	 */
	private @Nullable Object invoke(TaskMethod method, TaskMessage task, TaskContext context,
			ActiveTasks.RunningTask active) throws Throwable {
		try {
			@Nullable Object[] values = method.bind(task.args(), task.kwargs(), this.codec.mapper(), context, this.failures);
			return this.timeLimits.invoke(method, values, task);
		}
		finally {
			if (this.activeTasks.callEnded(active)) {
				throw new Terminated();
			}
		}
	}

	/**
	 * Thrown out of {@link #invoke} when the task's method was interrupted by a
	 * terminate.
	 */
	private static final class Terminated extends RuntimeException {

		Terminated() {
			super("terminated", null, false, false);
		}

	}

}
