package dev.taskqueue.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping a worker: it takes no new task, lets running ones finish within its shutdown
 * timeout, returns everything else (prefetched, or still running when the time is up) to
 * the queue, and acknowledges nothing that did not finish.
 */
@Isolated("bounds the time a stop takes")
class GracefulStopIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final Slow tasks = new Slow();

	private Stack stack;

	private String queue;

	@BeforeEach
	void build() {
		this.stack = Stack.builder().tasks(this.tasks).build();
		this.queue = this.stack.defaultQueue;
	}

	@AfterEach
	void close() {
		this.stack.close();
	}

	@Test
	void stopLetsRunningTasksFinishAndReturnsPrefetchedOnes() {
		WorkerContainer worker = this.stack.startWorker(this.stack.settingsBuilder(List.of(this.queue))
			.concurrency(1)
			.prefetch(5)
			.shutdownTimeout(Duration.ofSeconds(20))
			.build());
		List<TaskResult> results = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			results.add(this.stack.client.send("stop.sleep", 1500));
		}
		await().atMost(TIMEOUT).until(() -> this.tasks.started.size() == 1);
		worker.stop();
		String first = this.tasks.started.iterator().next();
		assertThat(this.tasks.finished).containsExactly(first);
		assertThat(this.stack.client.result(first).getState()).isEqualTo(TaskState.SUCCESS);
		// Nothing else started, and the other four are back in the queue, unacknowledged.
		assertThat(this.tasks.started).containsExactly(first);
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(this.stack.admin().getQueueInfo(this.queue).getMessageCount()).isEqualTo(4));
		for (TaskResult result : results) {
			if (!result.getId().equals(first)) {
				assertThat(result.getState()).isEqualTo(TaskState.PENDING);
			}
		}
		// A restarted worker runs the rest, and the finished task is not run twice.
		worker.start();
		for (TaskResult result : results) {
			assertThat(result.get(TIMEOUT)).isEqualTo(1500);
		}
		assertThat(this.tasks.runs).hasSize(5);
		assertThat(this.tasks.runs.stream().filter(first::equals)).hasSize(1);
	}

	@Test
	void taskStillRunningAfterTheShutdownTimeoutGoesBackToTheQueue() {
		WorkerContainer worker = this.stack.startWorker(this.stack.settingsBuilder(List.of(this.queue))
			.concurrency(1)
			.prefetch(1)
			.shutdownTimeout(Duration.ofMillis(500))
			.build());
		TaskResult result = this.stack.client.send("stop.sleep", 4000);
		await().atMost(TIMEOUT).until(() -> this.tasks.started.size() == 1);
		long start = System.nanoTime();
		worker.stop();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(this.stack.admin().getQueueInfo(this.queue).getMessageCount()).isEqualTo(1));
		// The run was interrupted, not failed: nothing stored, nothing acknowledged.
		assertThat(this.tasks.finished).isEmpty();
		assertThat(result.getState()).isEqualTo(TaskState.PENDING);
		worker.start();
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.stack.admin().getQueueInfo(this.queue).getMessageCount()).isZero());
		assertThat(result.get(TIMEOUT)).isEqualTo(4000);
		assertThat(this.tasks.runs).containsExactly(result.getId(), result.getId());
	}

	static class Slow {

		final Set<String> started = ConcurrentHashMap.newKeySet();

		final Set<String> finished = ConcurrentHashMap.newKeySet();

		final List<String> runs = java.util.Collections.synchronizedList(new ArrayList<>());

		@QueueTask("stop.sleep")
		long sleep(long millis, TaskContext task) throws InterruptedException {
			this.started.add(task.getId());
			this.runs.add(task.getId());
			Thread.sleep(millis);
			this.finished.add(task.getId());
			return millis;
		}

	}

}
