package dev.taskqueue.worker;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.event.TaskEvent;
import dev.taskqueue.event.TaskRevokedEvent;
import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationEventPublisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Revocations kept in Redis and announced to every worker, on the real broker and Redis.
 */
class RevocationIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final RevocableTasks tasks = new RevocableTasks();

	private final List<TaskEvent> events = new CopyOnWriteArrayList<>();

	private final ApplicationEventPublisher publisher = (event) -> {
		if (event instanceof TaskEvent taskEvent) {
			this.events.add(taskEvent);
		}
	};

	private Stack stack;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(this.tasks).build();
	}

	@AfterEach
	void stop() {
		this.stack.close();
	}

	private WorkerContainer startWorker() {
		return this.stack.startWorker(this.stack.settings(List.of(this.stack.defaultQueue)), List.of(), this.publisher);
	}

	private long messagesIn(String queue) {
		var info = this.stack.admin().getQueueInfo(queue);
		return (info != null) ? info.getMessageCount() : 0;
	}

	@Test
	void taskRevokedBeforeAnyWorkerStartedNeverRuns() {
		TaskResult result = this.stack.client.send("revoke.record", "first");
		result.revoke();
		WorkerContainer worker = startWorker();
		assertRevoked(result);
		assertThat(this.tasks.runs).isEmpty();
		// The event follows the stored state, which a waiter may see first.
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.events).filteredOn(TaskRevokedEvent.class::isInstance)
				.singleElement()
				.satisfies((event) -> {
					assertThat(event.getTaskId()).isEqualTo(result.getId());
					assertThat(((TaskRevokedEvent) event).getReason()).isEqualTo("revoked");
				}));
		// Acknowledged: nothing is left in the queue, and the next task runs.
		await().atMost(TIMEOUT).until(() -> messagesIn(this.stack.defaultQueue) == 0);
		assertThat(this.stack.client.send("revoke.record", "second").get(TIMEOUT)).isEqualTo("second");
		assertThat(this.tasks.runs).containsExactly("second");
		// The result is published before the worker's thread leaves the task.
		await().atMost(TIMEOUT).until(() -> worker.getActiveTasks().size() == 0);
	}

	@Test
	void waitingCountdownTaskRevokedIsNotRunWhenDue() {
		startWorker();
		TaskResult result = this.stack.client.send(TaskRequest.builder("revoke.record")
			.args(List.of("later"))
			.eta(OffsetDateTime.now().plusSeconds(2))
			.build());
		// Parked by the worker in the broker's delay queues, then revoked while it waits.
		await().atMost(TIMEOUT).until(() -> messagesIn(this.stack.defaultQueue) == 0);
		this.stack.client.revoke(result.getId());
		assertRevoked(result);
		assertThat(this.tasks.runs).isEmpty();
	}

	@Test
	void terminateInterruptsARunningTaskWhichEndsRevoked() throws Exception {
		WorkerContainer worker = startWorker();
		TaskResult result = this.stack.client.send("revoke.block");
		assertThat(this.tasks.blocking.await(10, TimeUnit.SECONDS)).isTrue();
		result.revoke(true);
		assertRevoked(result);
		assertThat(this.tasks.interrupted).isTrue();
		await().atMost(TIMEOUT).until(() -> worker.getActiveTasks().size() == 0);
		// The consumer thread is not left interrupted: the next task runs and is
		// acknowledged.
		assertThat(this.stack.client.send("revoke.record", "after").get(TIMEOUT)).isEqualTo("after");
		await().atMost(TIMEOUT).until(() -> messagesIn(this.stack.defaultQueue) == 0);
	}

	@Test
	void revokeWithoutTerminateLetsARunningTaskFinish() throws Exception {
		startWorker();
		TaskResult result = this.stack.client.send("revoke.block");
		assertThat(this.tasks.blocking.await(10, TimeUnit.SECONDS)).isTrue();
		result.revoke();
		Thread.sleep(300);
		this.tasks.release.countDown();
		assertThat(result.get(TIMEOUT)).isEqualTo("released");
	}

	@Test
	void revokingAnUnknownIdIsHarmless() {
		startWorker();
		String unknown = UUID.randomUUID().toString();
		this.stack.client.revoke(unknown, true);
		assertThat(this.stack.client.result(unknown).getState()).isEqualTo(TaskState.PENDING);
		assertThat(this.stack.client.send("revoke.record", "fine").get(TIMEOUT)).isEqualTo("fine");
		assertThat(
				this.stack.redis.getConnection().keyCommands().ttl(this.stack.control.revokedKey(unknown).getBytes()))
			.isPositive();
	}

	private void assertRevoked(TaskResult result) {
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getState()).isEqualTo(TaskState.REVOKED));
		ExceptionInfo info = (ExceptionInfo) result.getInfo();
		assertThat(info.type()).isEqualTo("TaskRevokedError");
		assertThat(info.module()).isEqualTo("celery.exceptions");
		assertThat(info.message()).isEqualTo("revoked");
	}

	public static class RevocableTasks {

		final List<String> runs = new CopyOnWriteArrayList<>();

		final CountDownLatch blocking = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicBoolean interrupted = new AtomicBoolean();

		@QueueTask("revoke.record")
		String record(String text) {
			this.runs.add(text);
			return text;
		}

		@QueueTask("revoke.block")
		String block() throws InterruptedException {
			this.blocking.countDown();
			try {
				this.release.await(30, TimeUnit.SECONDS);
				return "released";
			}
			catch (InterruptedException ex) {
				this.interrupted.set(true);
				throw ex;
			}
		}

	}

}
