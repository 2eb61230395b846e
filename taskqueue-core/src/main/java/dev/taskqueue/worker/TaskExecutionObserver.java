package dev.taskqueue.worker;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.taskqueue.observation.DefaultTaskExecuteObservationConvention;
import dev.taskqueue.observation.TaskExecuteContext;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.result.TaskState;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Wraps a task's execution in a {@code taskqueue.execute} observation whose parent is the
 * sender's trace (read from the message headers). It also listens to the task, to learn
 * its outcome: every way a task ends passes through {@link #afterReturn}, on the thread
 * that runs it.
 */
final class TaskExecutionObserver implements TaskListener {

	private final ObservationRegistry registry;

	TaskExecutionObserver(ObservationRegistry registry) {
		this.registry = registry;
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
		TaskExecuteContext context = new TaskExecuteContext(task, queue);
		Observation observation = Observation
			.createNotStarted(null, DefaultTaskExecuteObservationConvention.INSTANCE, () -> context, this.registry)
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
		// caller keeps
		// the original future.
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
		Observation current = this.registry.getCurrentObservation();
		if (current != null && current.getContext() instanceof TaskExecuteContext context
				&& context.getMessage().id().equals(task.getId())) {
			context.setOutcome(state.name().toLowerCase(Locale.ROOT));
			if (state == TaskState.FAILURE && result instanceof Throwable failure) {
				current.error(failure);
			}
		}
	}

}
