package dev.taskqueue.worker.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import dev.taskqueue.observation.TaskExecuteContext;
import dev.taskqueue.observation.TaskExecuteObservationConvention;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.worker.TaskContext;
import dev.taskqueue.worker.WorkerSettings;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.GlobalObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * How {@link TaskExecutionObserver} learns a run's worker and outcome, without a broker:
 * the listener's calls are made here as the listener makes them.
 */
class TaskExecutionObserverTests {

	/** The worker each observation had when it started: the context changes later. */
	private final List<String> workersAtStart = new CopyOnWriteArrayList<>();

	private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

	private final ObservationRegistry registry = ObservationRegistry.create();

	private final TaskExecutionObserver observer = new TaskExecutionObserver(this.registry, null, "worker-a@host");

	TaskExecutionObserverTests() {
		this.registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStart(Observation.Context context) {
				TaskExecutionObserverTests.this.workersAtStart.add(low(context, "taskqueue.worker.name"));
			}

			@Override
			public void onStop(Observation.Context context) {
				TaskExecutionObserverTests.this.stopped.add(context);
			}

		});
	}

	@Test
	void successTagsTheOutcomeTheStableWorkerNameAndTheMessagingKeys() {
		TaskMessage task = TaskMessage.builder("id-1", "observed.task").retries(2).build();
		run(task, "tasks", "worker-a@host", (context) -> {
			this.observer.afterReturn(context, TaskState.SUCCESS, "done");
			return CompletableFuture.completedFuture(null);
		});
		Observation.Context context = this.stopped.get(0);
		assertThat(context.getName()).isEqualTo("taskqueue.execute");
		assertThat(context.getContextualName()).isEqualTo("observed.task execute");
		assertThat(context.getError()).isNull();
		assertThat(low(context, "taskqueue.outcome")).isEqualTo("success");
		assertThat(low(context, "taskqueue.task.name")).isEqualTo("observed.task");
		assertThat(low(context, "taskqueue.worker.name")).isEqualTo("worker-a@host");
		assertThat(low(context, "messaging.system")).isEqualTo("rabbitmq");
		assertThat(low(context, "messaging.operation.type")).isEqualTo("process");
		assertThat(low(context, "messaging.destination.name")).isEqualTo("tasks");
		assertThat(context.getHighCardinalityKeyValue("messaging.message.id").getValue()).isEqualTo("id-1");
		assertThat(context.getHighCardinalityKeyValue("messaging.message.conversation_id").getValue())
			.isEqualTo("id-1");
		assertThat(context.getHighCardinalityKeyValue("taskqueue.task.retries").getValue()).isEqualTo("2");
	}

	@Test
	void defaultWorkerNameIsTaggedWithoutItsProcessId() {
		TaskExecutionObserver observer = new TaskExecutionObserver(this.registry, null, WorkerSettings.defaultName());
		run(observer, TaskMessage.builder("id-1", "observed.task").build(), "tasks", WorkerSettings.defaultName(),
				(context) -> {
					observer.afterReturn(context, TaskState.SUCCESS, null);
					return CompletableFuture.completedFuture(null);
				});
		assertThat(low(this.stopped.get(0), "taskqueue.worker.name"))
			.isEqualTo("taskqueue@" + ProcessIdentity.hostname())
			.doesNotContain(Long.toString(ProcessIdentity.pid()));
	}

	@Test
	void workerIsKnownWhenTheFirstExecutionStarts() {
		for (String id : List.of("id-1", "id-2")) {
			run(TaskMessage.builder(id, "observed.task").build(), "tasks", "worker-a@host", (context) -> {
				this.observer.afterReturn(context, TaskState.SUCCESS, null);
				return CompletableFuture.completedFuture(null);
			});
		}
		assertThat(this.workersAtStart).containsExactly("worker-a@host", "worker-a@host");
	}

	@Test
	void failureEndsWithTheTasksException() {
		IllegalStateException boom = new IllegalStateException("boom");
		run(TaskMessage.builder("id-1", "observed.task").build(), "tasks", "worker-a@host", (context) -> {
			this.observer.afterReturn(context, TaskState.FAILURE, boom);
			return CompletableFuture.completedFuture(null);
		});
		assertThat(low(this.stopped.get(0), "taskqueue.outcome")).isEqualTo("failure");
		assertThat(this.stopped.get(0).getError()).isSameAs(boom);
	}

	@Test
	void retryEndsWithItsCause() {
		IllegalArgumentException cause = new IllegalArgumentException("once more");
		run(TaskMessage.builder("id-1", "observed.task").build(), "tasks", "worker-a@host", (context) -> {
			this.observer.afterReturn(context, TaskState.RETRY, cause);
			return CompletableFuture.completedFuture(null);
		});
		assertThat(low(this.stopped.get(0), "taskqueue.outcome")).isEqualTo("retry");
		assertThat(this.stopped.get(0).getError()).isSameAs(cause);
	}

	@Test
	void executionThatReturnsWithoutAnOutcomeWasRevokedBeforeItStarted() {
		this.observer.observe(TaskMessage.builder("id-1", "observed.task").build(), "tasks",
				() -> CompletableFuture.completedFuture(null));
		assertThat(low(this.stopped.get(0), "taskqueue.outcome")).isEqualTo("revoked");
	}

	@Test
	void outcomeThatCouldNotBeStoredEndsInErrorOnceTheStoreFails() {
		CompletableFuture<Void> store = new CompletableFuture<>();
		run(TaskMessage.builder("id-1", "observed.task").build(), "tasks", "worker-a@host", (context) -> {
			this.observer.afterReturn(context, TaskState.SUCCESS, null);
			return store;
		});
		assertThat(this.stopped).isEmpty();
		IllegalStateException down = new IllegalStateException("Redis is down");
		store.completeExceptionally(down);
		assertThat(low(this.stopped.get(0), "taskqueue.outcome")).isEqualTo("error");
		assertThat(this.stopped.get(0).getError()).isSameAs(down);
	}

	@Test
	void executionThatThrowsEndsInErrorAndTheExceptionPropagates() {
		assertThatIllegalStateException().isThrownBy(
				() -> this.observer.observe(TaskMessage.builder("id-1", "observed.task").build(), "tasks", () -> {
					throw new IllegalStateException("broker gone");
				}))
			.withMessage("broker gone");
		assertThat(low(this.stopped.get(0), "taskqueue.outcome")).isEqualTo("error");
	}

	@Test
	void registrysGlobalConventionReplacesTheDefault() {
		this.registry.observationConfig().observationConvention(new GlobalObservationConvention<TaskExecuteContext>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof TaskExecuteContext;
			}

			@Override
			public String getName() {
				return "custom.execute";
			}

			@Override
			public KeyValues getLowCardinalityKeyValues(TaskExecuteContext context) {
				return KeyValues.of("task", context.getTaskName());
			}

		});
		this.observer.observe(TaskMessage.builder("id-1", "observed.task").build(), "tasks",
				() -> CompletableFuture.completedFuture(null));
		assertThat(this.stopped.get(0).getName()).isEqualTo("custom.execute");
		assertThat(low(this.stopped.get(0), "task")).isEqualTo("observed.task");
	}

	@Test
	void givenConventionReplacesTheRegistrysAndTheDefault() {
		this.registry.observationConfig().observationConvention(new GlobalObservationConvention<TaskExecuteContext>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof TaskExecuteContext;
			}

			@Override
			public String getName() {
				return "global.execute";
			}

		});
		TaskExecutionObserver observer = new TaskExecutionObserver(this.registry,
				new TaskExecuteObservationConvention() {

					@Override
					public String getName() {
						return "given.execute";
					}

					@Override
					public KeyValues getLowCardinalityKeyValues(TaskExecuteContext context) {
						return KeyValues.of("worker", String.valueOf(context.getWorker()));
					}

				}, "worker-b@host");
		observer.observe(TaskMessage.builder("id-1", "observed.task").build(), "tasks",
				() -> CompletableFuture.completedFuture(null));
		assertThat(this.stopped.get(0).getName()).isEqualTo("given.execute");
		assertThat(low(this.stopped.get(0), "worker")).isEqualTo("worker-b@host");
	}

	@Test
	void noopRegistryObservesNothing() {
		TaskExecutionObserver noop = new TaskExecutionObserver(ObservationRegistry.NOOP, null, "worker-a@host");
		CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
		assertThat(noop.isObserving()).isFalse();
		assertThat(noop.observe(TaskMessage.builder("id-1", "observed.task").build(), "tasks", () -> done))
			.isSameAs(done);
	}

	/**
	 * Run a task as the listener does: the execution starts it, then ends it.
	 */
	private void run(TaskMessage task, String queue, String worker,
			Function<TaskContext, CompletableFuture<Void>> body) {
		run(this.observer, task, queue, worker, body);
	}

	private static void run(TaskExecutionObserver observer, TaskMessage task, String queue, String worker,
			Function<TaskContext, CompletableFuture<Void>> body) {
		observer.observe(task, queue, () -> {
			MessageTaskContext context = new MessageTaskContext(task, queue, worker, false);
			observer.beforeStart(context);
			return body.apply(context);
		});
	}

	private static @Nullable String low(Observation.Context context, String key) {
		KeyValue value = context.getLowCardinalityKeyValue(key);
		return (value != null) ? value.getValue() : null;
	}

}
