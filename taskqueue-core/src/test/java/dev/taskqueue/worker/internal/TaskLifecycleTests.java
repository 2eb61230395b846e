package dev.taskqueue.worker.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.taskqueue.event.TaskEvent;
import dev.taskqueue.event.TaskStartedEvent;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskContext;
import dev.taskqueue.worker.TaskListener;
import dev.taskqueue.worker.Tasks;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task's lifecycle fans out from one place: to its listeners in order, then to the
 * application's events, and nothing a listener does changes the task's outcome.
 */
class TaskLifecycleTests {

	private final List<String> heard = new CopyOnWriteArrayList<>();

	private final Object worker = new Object();

	private final TaskLifecycle lifecycle = new TaskLifecycle(this.worker, "worker-a@host");

	private final TaskRegistry registry = new TaskRegistry();

	private final MessageTaskContext context = new MessageTaskContext(TaskMessage.builder("t1", "life.work").build(),
			"q", "w1", false);

	TaskLifecycleTests() {
		new QueueTaskBeanPostProcessor(this.registry, JsonMapper.builder().build())
			.postProcessAfterInitialization(new Tasks(), "tasks");
	}

	@Test
	void aTasksListenersAreTheWorkersThenItsOwn() {
		TaskListener global = new Recording("global");
		this.lifecycle.setTaskListeners(List.of(global));
		List<TaskListener> listeners = this.lifecycle.listenersOf(method());
		assertThat(listeners).hasSize(2);
		assertThat(listeners.get(0)).isSameAs(global);
		assertThat(listeners.get(1)).isInstanceOf(OwnListener.class);
	}

	@Test
	void theObservationListensLastWhenExecutionsAreObserved() {
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler((context) -> true);
		this.lifecycle.setObservationRegistry(observations);
		List<TaskListener> listeners = this.lifecycle.listenersOf(method());
		assertThat(listeners.get(listeners.size() - 1)).isInstanceOf(TaskExecutionObserver.class);
	}

	@Test
	void noObservationListensWhenNothingObserves() {
		assertThat(this.lifecycle.listenersOf(method())).noneMatch(TaskExecutionObserver.class::isInstance);
	}

	@Test
	void eachMomentReachesTheListenersInOrderThenTheEvents() {
		this.lifecycle.setEventPublisher((event) -> this.heard.add("event " + event.getClass().getSimpleName()));
		TaskRuntimes.TaskRuntime runtime = runtime(new Recording("first"), new Recording("second"));
		this.lifecycle.started(runtime, this.context);
		this.lifecycle.succeeded(runtime, this.context, 3, System.nanoTime());
		this.lifecycle.returned(runtime, this.context, TaskState.SUCCESS, 3);
		assertThat(this.heard).containsExactly("first beforeStart", "second beforeStart", "event TaskStartedEvent",
				"first onSuccess 3", "second onSuccess 3", "event TaskSucceededEvent", "first afterReturn SUCCESS",
				"second afterReturn SUCCESS");
	}

	@Test
	void aRetryAndAFailureAreHeardAsWell() {
		this.lifecycle.setEventPublisher((event) -> this.heard.add("event " + event.getClass().getSimpleName()));
		TaskRuntimes.TaskRuntime runtime = runtime(new Recording("only"));
		IllegalStateException cause = new IllegalStateException("boom");
		this.lifecycle.retried(runtime, this.context, cause, Duration.ofSeconds(1));
		this.lifecycle.failed(runtime, this.context, cause, System.nanoTime());
		assertThat(this.heard).containsExactly("only onRetry boom", "event TaskRetriedEvent", "only onFailure boom",
				"event TaskFailedEvent");
	}

	@Test
	void aListenerThatThrowsStopsNeitherTheOtherListenersNorTheEvents() {
		this.lifecycle.setEventPublisher((event) -> this.heard.add("event " + event.getClass().getSimpleName()));
		TaskListener throwing = new TaskListener() {

			@Override
			public void beforeStart(TaskContext task) {
				throw new IllegalStateException("listener bug");
			}

		};
		this.lifecycle.started(runtime(throwing, new Recording("after")), this.context);
		assertThat(this.heard).containsExactly("after beforeStart", "event TaskStartedEvent");
	}

	@Test
	void anEventListenerThatThrowsDoesNotReachTheTask() {
		this.lifecycle.setEventPublisher((event) -> {
			throw new IllegalStateException("event listener bug");
		});
		this.lifecycle.started(runtime(new Recording("listener")), this.context);
		assertThat(this.heard).containsExactly("listener beforeStart");
	}

	@Test
	void eventsNameTheTaskAndTheWorkerAsTheirSource() {
		List<Object> events = new CopyOnWriteArrayList<>();
		this.lifecycle.setEventPublisher(events::add);
		this.lifecycle.started(runtime(), this.context);
		assertThat(events).singleElement().isInstanceOfSatisfying(TaskStartedEvent.class, (event) -> {
			assertThat(event.getSource()).isSameAs(this.worker);
			assertThat(event.getTaskId()).isEqualTo("t1");
			assertThat(event.getTaskName()).isEqualTo("life.work");
		});
	}

	@Test
	void momentsBeforeTheTaskRunsAreEventsOnly() {
		List<TaskEvent> events = new CopyOnWriteArrayList<>();
		this.lifecycle.setEventPublisher((event) -> events.add((TaskEvent) event));
		TaskMessage task = this.context.message();
		this.lifecycle.received(task);
		this.lifecycle.rateLimited(task, 1500, true);
		this.lifecycle.revoked(task, "revoked", false);
		this.lifecycle.rejected(null, null, "not protocol v2");
		assertThat(events).extracting((event) -> event.getClass().getSimpleName())
			.containsExactly("TaskReceivedEvent", "TaskRateLimitedEvent", "TaskRevokedEvent", "TaskRejectedEvent");
		assertThat(events.get(3).getTaskId()).isEmpty();
	}

	private TaskMethod method() {
		TaskMethod method = this.registry.get("life.work");
		assertThat(method).isNotNull();
		return method;
	}

	private static TaskRuntimes.TaskRuntime runtime(TaskListener... listeners) {
		return new TaskRuntimes.TaskRuntime(null, RetryPolicy.DEFAULT, List.of(listeners));
	}

	private final class Recording implements TaskListener {

		private final String name;

		Recording(String name) {
			this.name = name;
		}

		@Override
		public void beforeStart(TaskContext task) {
			TaskLifecycleTests.this.heard.add(this.name + " beforeStart");
		}

		@Override
		public void onSuccess(TaskContext task, @Nullable Object result) {
			TaskLifecycleTests.this.heard.add(this.name + " onSuccess " + result);
		}

		@Override
		public void onRetry(TaskContext task, @Nullable Throwable exception) {
			TaskLifecycleTests.this.heard
				.add(this.name + " onRetry " + ((exception != null) ? exception.getMessage() : null));
		}

		@Override
		public void onFailure(TaskContext task, Throwable exception) {
			TaskLifecycleTests.this.heard.add(this.name + " onFailure " + exception.getMessage());
		}

		@Override
		public void afterReturn(TaskContext task, TaskState state, @Nullable Object result) {
			TaskLifecycleTests.this.heard.add(this.name + " afterReturn " + state);
		}

	}

	public static class OwnListener implements TaskListener {

	}

	static class Tasks {

		@QueueTask(name = "life.work", listeners = OwnListener.class)
		int work() {
			return 3;
		}

	}

}
