package dev.taskqueue.worker.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.DelayQueues;
import dev.taskqueue.client.DefaultTaskClient;
import dev.taskqueue.client.Signature;
import dev.taskqueue.client.internal.UniqueLocks;
import dev.taskqueue.protocol.internal.CeleryTime;
import dev.taskqueue.protocol.internal.EncodedMessage;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.internal.ExceptionInfoCodec;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.worker.MaxRetriesExceededException;
import dev.taskqueue.worker.RetryException;
import dev.taskqueue.worker.TaskContext;
import dev.taskqueue.worker.WorkerSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What each way a task can end does, as Celery's worker does it
 * ({@code celery/app/trace.py}, {@code Task.retry}): the outcome is stored first, then
 * published: callbacks, the next chain step and the chord after {@code SUCCESS}; the
 * chord part, the chain steps that will never run and the errbacks after {@code FAILURE};
 * the next attempt after {@code RETRY} (or {@code FAILURE} once the retries are spent);
 * {@code REVOKED} for a task revoked, terminated or expired. A message rejected before it
 * could be a task ends here too, once dead-lettered.
 * <p>
 * Every outcome releases the task's unique lock, if it holds one, and is told to the
 * {@link TaskLifecycle}.
 */
public final class TaskOutcomes {

	private static final Log logger = LogFactory.getLog(TaskOutcomes.class);

	/** Retries due at least this far ahead are parked in the broker. */
	static final long PARK_THRESHOLD_MILLIS = 1000;

	private final WorkerSettings settings;

	private final ResultBackend backend;

	private final ResultMetaFactory metas;

	private final Acknowledgements acks;

	private final CanvasSteps canvas;

	private final TaskMessageCodec codec;

	private final ConfirmedPublisher publisher;

	private final DelayQueues delayQueues;

	private final TaskLifecycle lifecycle;

	private final WorkerExecutors executors;

	private volatile @Nullable UniqueLocks uniqueLocks;

	private final Clock clock;

	TaskOutcomes(WorkerSettings settings, ResultBackend backend, ResultMetaFactory metas, Acknowledgements acks,
			CanvasSteps canvas, TaskMessageCodec codec, ConfirmedPublisher publisher, DelayQueues delayQueues,
			TaskLifecycle lifecycle, WorkerExecutors executors, Clock clock) {
		this.clock = clock;
		this.settings = settings;
		this.backend = backend;
		this.metas = metas;
		this.acks = acks;
		this.canvas = canvas;
		this.codec = codec;
		this.publisher = publisher;
		this.delayQueues = delayQueues;
		this.lifecycle = lifecycle;
		this.executors = executors;
	}

	/**
	 * Set where the locks of unique tasks are released once a task is settled.
	 * @param uniqueLocks the locks, or {@code null} for none
	 */
	public void setUniqueLocks(@Nullable UniqueLocks uniqueLocks) {
		this.uniqueLocks = uniqueLocks;
	}

	/**
	 * {@code SUCCESS}: store the result, then send the callbacks, the next chain step and
	 * the chord's body if this part completes it.
	 * @return the store of the result, if still in flight
	 */
	CompletableFuture<Void> succeed(TaskRuntimes.TaskRuntime runtime, MessageTaskContext context, TaskMethod method,
			@Nullable Object result, long start) {
		TaskMessage task = context.message();
		// Callback ids and the next chain step's ids are chosen first so the result can
		// name its children, as Celery's does.
		List<Object> children = new ArrayList<>();
		List<Signature> callbacks = this.canvas.callbacks(task, children);
		CanvasSteps.NextStep next = this.canvas.nextStep(task);
		if (next != null) {
			children.add(next.child());
		}
		CompletableFuture<Void> stored = Acknowledgements.done();
		if (!isIgnoreResult(task, method)) {
			stored = this.acks.storeSuccess(
					this.metas.success(task, method.getName(), context.getQueue(), result, children),
					!callbacks.isEmpty() || next != null || task.embed().chord() != null, replyTo(task));
		}
		if (task.extraHeaders().containsKey(UniqueLocks.HEADER)) {
			// Released once the result is readable, and not at all when the store fails
			// and the task goes back to run again; never on the Redis client's own
			// thread,
			// which the store's completion may run on.
			stored.thenRunAsync(() -> releaseUnique(task.id(), task.extraHeaders()), this.executors.heldTasks());
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Task " + task.task() + "[" + task.id() + "] succeeded");
		}
		this.lifecycle.succeeded(runtime, context, result, start);
		for (Signature callback : callbacks) {
			this.canvas.sendCallback(callback, task, result);
		}
		if (next != null) {
			this.canvas.sendNext(next, task, result);
		}
		this.canvas.partReturned(task, TaskState.SUCCESS, result);
		this.lifecycle.returned(runtime, context, TaskState.SUCCESS, result);
		return stored;
	}

	/**
	 * {@code FAILURE}: store the failure, then settle the chord part, fail the chain
	 * steps that will never run and send the errbacks.
	 * @param marker a line put before the traceback, or {@code null}
	 */
	void fail(TaskRuntimes.TaskRuntime runtime, MessageTaskContext context, TaskMethod method, Throwable exception,
			@Nullable String marker, long start) {
		TaskMessage task = context.message();
		String traceback = (marker != null) ? marker + "\n" + stackTrace(exception) : stackTrace(exception);
		Map<String, Object> encoded = ExceptionInfoCodec.encode(ExceptionInfo.of(exception, null));
		if (!isIgnoreResult(task, method) || this.settings.storeErrorsEvenIfIgnored()) {
			this.backend.store(this.metas.failure(task, method.getName(), context.getQueue(), encoded, traceback),
					replyTo(task));
		}
		releaseUnique(task.id(), task.extraHeaders());
		this.lifecycle.failed(runtime, context, exception, start);
		// As Celery's mark_as_failure: the chord part, then the chain steps that will
		// never run.
		this.canvas.partReturned(task, TaskState.FAILURE, encoded);
		this.canvas.chainFailed(task, encoded, traceback);
		this.canvas.sendErrbacks(task);
		this.lifecycle.returned(runtime, context, TaskState.FAILURE, exception);
	}

	/**
	 * {@code RETRY}: store it and publish the next attempt, parked in the broker until
	 * due; {@code FAILURE} instead once the task's retries are spent.
	 * @param cause why, or {@code null} for a retry without a cause
	 * @param countdown when the next attempt is due
	 */
	void retry(TaskRuntimes.TaskRuntime runtime, MessageTaskContext context, TaskMethod method,
			@Nullable Throwable cause, Duration countdown, long start) {
		TaskMessage task = context.message();
		RetryPolicy policy = runtime.policy();
		if (!policy.allowsRetry(task.retries())) {
			String marker = MaxRetriesExceededException.class.getName() + ": Can't retry " + task.task() + "["
					+ task.id() + "] args:" + task.args() + " kwargs:" + task.kwargs() + " (max " + policy.maxRetries()
					+ " retries)";
			logger.info("Task " + task.task() + "[" + task.id() + "] exceeded its " + policy.maxRetries() + " retries"
					+ ((cause != null) ? "; last error: " + cause : ""));
			fail(runtime, context, method, (cause != null) ? cause : new MaxRetriesExceededException(marker),
					(cause != null) ? marker : null, start);
			return;
		}
		String retryLine = "Retry in " + countdown.toMillis() / 1000.0 + "s" + ((cause != null) ? ": " + cause : "");
		logger.info("Task " + task.task() + "[" + task.id() + "] retry " + (task.retries() + 1) + ": " + retryLine);
		if (!isIgnoreResult(task, method) || this.settings.storeErrorsEvenIfIgnored()) {
			Throwable stored = (cause != null) ? cause : new RetryException(countdown, null);
			String traceback = stackTrace(stored) + RetryException.class.getName() + ": " + retryLine + "\n";
			this.backend.store(this.metas.retry(task, method.getName(), context.getQueue(),
					ExceptionInfoCodec.encode(ExceptionInfo.of(stored, null)), traceback));
		}
		OffsetDateTime due = OffsetDateTime.now(this.clock).plus(countdown);
		TaskMessage next = task.toBuilder()
			.retries(task.retries() + 1)
			.eta(due)
			.parentId(task.id())
			.origin(ProcessIdentity.origin())
			.build();
		EncodedMessage encoded = this.codec.encode(next);
		if (countdown.toMillis() >= PARK_THRESHOLD_MILLIS) {
			this.delayQueues.parkUntil(context.getQueue(), due.toInstant().toEpochMilli(), encoded.properties(),
					encoded.body());
		}
		else {
			this.publisher.publish("", context.getQueue(), encoded.properties(), encoded.body());
		}
		this.lifecycle.retried(runtime, context, cause, countdown);
		this.lifecycle.returned(runtime, context, TaskState.RETRY, cause);
	}

	/**
	 * {@code REVOKED}, for a task terminated while it ran.
	 */
	void terminated(TaskRuntimes.TaskRuntime runtime, MessageTaskContext context, TaskMethod method) {
		revoke(context.message(), method, context.getQueue(), "revoked", true);
		this.lifecycle.returned(runtime, context, TaskState.REVOKED, null);
	}

	/**
	 * {@code REVOKED} (Celery's {@code TaskRevokedError}), for a task that is not run.
	 * @param task the task
	 * @param method the task method
	 * @param queue the queue it came from
	 * @param reason {@code revoked}, or when it expired
	 */
	void revoke(TaskMessage task, TaskMethod method, String queue, String reason) {
		revoke(task, method, queue, reason, false);
	}

	/**
	 * The channel the sending client listens on for the task's result, if it named one.
	 * @param task the task
	 * @return the channel, or {@code null}
	 */
	static @Nullable String replyTo(TaskMessage task) {
		Object replyTo = task.extraHeaders().get(DefaultTaskClient.REPLY_TO_HEADER);
		return (replyTo instanceof CharSequence channel) ? channel.toString() : null;
	}

	private void revoke(TaskMessage task, TaskMethod method, String queue, String reason, boolean terminated) {
		if ("revoked".equals(reason)) {
			logger.info("Task " + task.task() + "[" + task.id() + "] revoked");
		}
		ExceptionInfo revoked = new ExceptionInfo("TaskRevokedError", "celery.exceptions", List.of(reason), null);
		if (!isIgnoreResult(task, method) || this.settings.storeErrorsEvenIfIgnored()) {
			this.backend.store(this.metas.revoked(task, method.getName(), queue, ExceptionInfoCodec.encode(revoked)),
					replyTo(task));
		}
		releaseUnique(task.id(), task.extraHeaders());
		this.canvas.partReturned(task, TaskState.REVOKED, ExceptionInfoCodec.encode(revoked));
		this.lifecycle.revoked(task, reason, terminated);
	}

	/**
	 * {@code REVOKED} for a task whose {@code expires} passed before it could run.
	 * @param task the task
	 * @param method the task method
	 * @param queue the queue it came from
	 */
	void expired(TaskMessage task, TaskMethod method, String queue) {
		String reason = "expired at " + CeleryTime.formatAware(task.expires());
		logger.info("Task " + task.task() + "[" + task.id() + "] " + reason + "; not run");
		revoke(task, method, queue, reason);
	}

	/**
	 * A message that could never be a task here, once it is dead-lettered.
	 * @param rejection why, and the task it carried
	 * @param headers the message's headers, which may hold a unique lock
	 */
	void rejected(DeadLetterRecoverer.Rejection rejection, Map<String, ?> headers) {
		String taskId = rejection.taskId();
		if (taskId != null) {
			releaseUnique(taskId, headers);
		}
		this.lifecycle.rejected(taskId, rejection.taskName(), rejection.reason());
	}

	private void releaseUnique(String taskId, Map<String, ?> headers) {
		UniqueLocks locks = this.uniqueLocks;
		if (locks != null) {
			locks.releaseQuietly(taskId, headers);
		}
	}

	private static boolean isIgnoreResult(TaskMessage task, TaskMethod method) {
		return task.ignoreResult() || method.isIgnoreResult();
	}

	static String stackTrace(Throwable ex) {
		StringWriter writer = new StringWriter();
		ex.printStackTrace(new PrintWriter(writer));
		return writer.toString();
	}

}
