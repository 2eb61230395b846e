package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.event.TaskEvent;
import dev.taskqueue.event.TaskFailedEvent;
import dev.taskqueue.event.TaskReceivedEvent;
import dev.taskqueue.event.TaskRejectedEvent;
import dev.taskqueue.event.TaskRetriedEvent;
import dev.taskqueue.event.TaskRevokedEvent;
import dev.taskqueue.event.TaskSentEvent;
import dev.taskqueue.event.TaskStartedEvent;
import dev.taskqueue.event.TaskSucceededEvent;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Stack;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Task listeners (global and per task) and Spring events.
 */
class ListenerIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private final WorkflowTasks tasks = new WorkflowTasks();

	private final ConcurrentLinkedQueue<String> global = new ConcurrentLinkedQueue<>();

	private final List<TaskEvent> events = new CopyOnWriteArrayList<>();

	private Stack stack;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(this.tasks).build();
		this.stack.client.setApplicationEventPublisher((event) -> this.events.add((TaskEvent) event));
		TaskListener recording = new TaskListener() {

			@Override
			public void beforeStart(TaskContext task) {
				ListenerIntegrationTests.this.global.add(task.getId() + " beforeStart");
			}

			@Override
			public void onSuccess(TaskContext task, @Nullable Object result) {
				ListenerIntegrationTests.this.global.add(task.getId() + " onSuccess " + result);
			}

			@Override
			public void afterReturn(TaskContext task, TaskState state, @Nullable Object result) {
				ListenerIntegrationTests.this.global.add(task.getId() + " afterReturn " + state);
			}

		};
		TaskListener throwing = new TaskListener() {

			@Override
			public void beforeStart(TaskContext task) {
				throw new IllegalStateException("listener bug");
			}

			@Override
			public void onSuccess(TaskContext task, @Nullable Object result) {
				throw new IllegalStateException("listener bug");
			}

		};
		this.stack.startWorker(this.stack.settings(List.of(this.stack.defaultQueue)), List.of(throwing, recording),
				(event) -> {
					this.events.add((TaskEvent) event);
					if (event instanceof TaskStartedEvent) {
						throw new IllegalStateException("event listener bug");
					}
				});
	}

	@AfterEach
	void stop() {
		this.stack.close();
	}

	private List<String> global(String id) {
		return this.global.stream()
			.filter((c) -> c.startsWith(id + " "))
			.map((c) -> c.substring(id.length() + 1))
			.toList();
	}

	private List<Class<?>> eventsOf(String id) {
		return this.events.stream().filter((e) -> e.getTaskId().equals(id)).<Class<?>>map(Object::getClass).toList();
	}

	@Test
	void globalListenersSeeTheLifeOfASuccessfulTaskInOrder() {
		TaskResult result = this.stack.client.send("wf.add", 1, 2);
		assertThat(result.get(TIMEOUT)).isEqualTo(3);
		await().atMost(TIMEOUT).until(() -> global(result.getId()).size() == 3);
		assertThat(global(result.getId())).containsExactly("beforeStart", "onSuccess 3", "afterReturn SUCCESS");
	}

	@Test
	void perTaskListenerSeesTheArgumentsOfAFailedCall() {
		TaskResult result = this.stack.client.send("wf.listened", -1);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT));
		await().atMost(TIMEOUT).until(() -> WorkflowTasks.RecordingListener.of(result.getId()).size() == 3);
		assertThat(WorkflowTasks.RecordingListener.of(result.getId())).containsExactly("beforeStart",
				"onFailure [-1] negative: -1", "afterReturn FAILURE");
	}

	@Test
	void perTaskListenerAppliesOnlyToItsTask() {
		TaskResult listened = this.stack.client.send("wf.listened", 4);
		TaskResult other = this.stack.client.send("wf.add", 4, 4);
		assertThat(listened.get(TIMEOUT)).isEqualTo(8);
		other.get(TIMEOUT);
		await().atMost(TIMEOUT).until(() -> WorkflowTasks.RecordingListener.of(listened.getId()).size() == 3);
		assertThat(WorkflowTasks.RecordingListener.of(other.getId())).isEmpty();
		assertThat(global(listened.getId())).contains("onSuccess 8");
	}

	@Test
	void throwingListenersDoNotChangeTheOutcome() {
		assertThat(this.stack.client.send("wf.add", 5, 5).get(TIMEOUT)).isEqualTo(10);
	}

	@Test
	void eventsFollowASuccessfulTask() {
		TaskResult result = this.stack.client.send("wf.add", 1, 1);
		result.get(TIMEOUT);
		await().atMost(TIMEOUT).until(() -> eventsOf(result.getId()).contains(TaskSucceededEvent.class));
		// The sender's event is published once the broker confirms, which may be after
		// the worker
		// has already started: only the worker's own events have an order.
		assertThat(eventsOf(result.getId())).containsOnlyOnce(TaskSentEvent.class)
			.filteredOn((type) -> type != TaskSentEvent.class)
			.containsExactly(TaskReceivedEvent.class, TaskStartedEvent.class, TaskSucceededEvent.class);
		TaskSucceededEvent succeeded = (TaskSucceededEvent) this.events.stream()
			.filter((e) -> e instanceof TaskSucceededEvent && e.getTaskId().equals(result.getId()))
			.findFirst()
			.get();
		assertThat(succeeded.getResult()).isEqualTo(2);
		assertThat(succeeded.getTaskName()).isEqualTo("wf.add");
	}

	@Test
	void eventsFollowFailedRetriedRevokedAndRejectedTasks() {
		TaskResult failed = this.stack.client.send("wf.divide", 1, 0);
		TaskResult retried = this.stack.client.send("wf.flaky", 1, 10);
		TaskResult revoked = this.stack.client.send(TaskRequest.builder("wf.add")
			.args(1, 1)
			.expires(java.time.OffsetDateTime.now().minusSeconds(5))
			.build());
		TaskResult rejected = this.stack.client.send("wf.nope");
		await().atMost(TIMEOUT).untilAsserted(() -> {
			assertThat(eventsOf(failed.getId())).contains(TaskFailedEvent.class);
			assertThat(eventsOf(retried.getId())).contains(TaskRetriedEvent.class, TaskSucceededEvent.class);
			assertThat(eventsOf(revoked.getId())).contains(TaskRevokedEvent.class);
			assertThat(eventsOf(rejected.getId())).contains(TaskRejectedEvent.class);
		});
		assertThat(eventsOf(revoked.getId())).doesNotContain(TaskStartedEvent.class);
		assertThat(eventsOf(rejected.getId())).doesNotContain(TaskReceivedEvent.class);
	}

}
