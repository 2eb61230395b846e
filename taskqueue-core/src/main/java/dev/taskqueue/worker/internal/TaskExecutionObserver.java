package dev.taskqueue.worker.internal;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.taskqueue.observation.DefaultTaskExecuteObservationConvention;
import dev.taskqueue.observation.TaskExecuteContext;
import dev.taskqueue.observation.TaskExecuteObservationConvention;
import dev.taskqueue.observation.TaskObservationDocumentation;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.worker.TaskContext;
import dev.taskqueue.worker.TaskListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Wraps a task's execution in a {@code taskqueue.execute} observation whose parent is the
 * sender's trace (read from the message headers). It also listens to the task, to learn
 * its outcome: every way a task ends passes through {@link #afterReturn}, on the thread
 * that runs it.
 * <p>
 * The observation's convention is the one given, else the registry's
 * {@link io.micrometer.observation.GlobalObservationConvention global one} for
 * {@link TaskExecuteContext}, if it has one, else the default.
 */
final class TaskExecutionObserver implements TaskListener {

	private final ObservationRegistry registry;

	private final @Nullable TaskExecuteObservationConvention convention;

	/** The worker's stable name, without a process id: a low-cardinality key. */
	private final String worker;

	TaskExecutionObserver(ObservationRegistry registry, @Nullable TaskExecuteObservationConvention convention,
			String workerName) {
		this.registry = registry;
		this.convention = convention;
		this.worker = TaskExecuteContext.workerTag(workerName);
	}

	/**
	 * Return whether executions are observed at all (there is a registry that is not a
	 * no-op).
	 * @return whether executions are observed at all (there is a registry that is not a
	 * no-op)
	 */
	boolean isObserving() {
		return !this.registry.isNoop();
	}

	CompletableFuture<Void> observe(TaskMessage task, String queue, Supplier<CompletableFuture<Void>> execution) {
		if (!isObserving()) {
			return execution.get();
		}
		TaskExecuteContext context = new TaskExecuteContext(task.id(), task.task(), task.rootId(), queue,
				task.retries(), task.extraHeaders());
		context.setWorker(this.worker);
		Observation observation = TaskObservationDocumentation.TASK_EXECUTE
			.observation(this.convention, DefaultTaskExecuteObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
		CompletableFuture<Void> settled;
		try (Observation.Scope scope = observation.openScope()) {
			settled = execution.get();
			if (context.getOutcome() == null) {
				// The only way to return without an outcome: revoked before it started.
				context.setOutcome("revoked");
			}
		}
		catch (RuntimeException | Error ex) {
			context.setOutcome("error");
			observation.error(ex);
			observation.stop();
			throw ex;
		}
		// Ends once the outcome is stored (asynchronously for a plain success); the
		// caller keeps the original future.
		settled.whenComplete((ignored, failure) -> {
			if (failure != null) {
				context.setOutcome("error");
				observation.error(failure);
			}
			observation.stop();
		});
		return settled;
	}

	@Override
	public void afterReturn(TaskContext task, TaskState state, @Nullable Object result) {
		Observation observation = current(task);
		if (observation != null) {
			((TaskExecuteContext) observation.getContext()).setOutcome(state.name().toLowerCase(Locale.ROOT));
			if ((state == TaskState.FAILURE || state == TaskState.RETRY) && result instanceof Throwable failure) {
				// The meter's error tag and the span's status say what failed, a retry's
				// cause included.
				observation.error(failure);
			}
		}
	}

	/**
	 * The observation of the given task's execution, which is current on the thread that
	 * runs it.
	 */
	private @Nullable Observation current(TaskContext task) {
		Observation current = this.registry.getCurrentObservation();
		if (current != null && current.getContext() instanceof TaskExecuteContext context
				&& context.getTaskId().equals(task.getId())) {
			return current;
		}
		return null;
	}

}
