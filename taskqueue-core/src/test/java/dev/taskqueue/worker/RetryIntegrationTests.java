package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.event.TaskEvent;
import dev.taskqueue.event.TaskRetriedEvent;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Retries asked for by a task and automatic ones, with Celery's semantics.
 */
class RetryIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final WorkflowTasks tasks = new WorkflowTasks();

	private final List<TaskEvent> events = new CopyOnWriteArrayList<>();

	private Stack stack;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(this.tasks).build();
		this.stack.startWorker(this.stack.settings(List.of(this.stack.defaultQueue)), List.of(),
				(event) -> this.events.add((TaskEvent) event));
	}

	@AfterEach
	void stop() {
		this.stack.close();
	}

	private List<TaskRetriedEvent> retriesOf(String id) {
		return this.events.stream()
			.filter((e) -> e instanceof TaskRetriedEvent && e.getTaskId().equals(id))
			.map(TaskRetriedEvent.class::cast)
			.toList();
	}

	@Test
	void retryFromTheTaskContextRunsTheSameTaskIdAgain() {
		TaskResult result = this.stack.client.send("wf.flaky", 2, 100);
		assertThat(result.get(TIMEOUT)).isEqualTo("ok after 2 retries");
		assertThat(this.tasks.attempts.get(result.getId())).hasValue(3);
		assertThat(result.getRecord().retries()).isEqualTo(2);
		assertThat(retriesOf(result.getId())).hasSize(2)
			.allSatisfy((e) -> assertThat(e.getException()).hasMessage("transient failure"));
	}

	@Test
	void retryOfASecondOrMoreIsParkedInTheBrokerAndRunsWhenDue() {
		long start = System.nanoTime();
		TaskResult result = this.stack.client.send("wf.flaky", 1, 1500);
		assertThat(result.get(TIMEOUT)).isEqualTo("ok after 1 retries");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
	}

	@Test
	void retryStoresTheRetryStateWithTheException() {
		TaskResult result = this.stack.client.send("wf.flaky", 1, 3000);
		org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> result.getState() == TaskState.RETRY);
		var meta = result.getRecord();
		assertThat(meta.exception().type()).isEqualTo("IllegalStateException");
		assertThat(meta.exception().message()).isEqualTo("transient failure");
		assertThat(meta.traceback()).contains("dev.taskqueue.worker.RetryException: Retry in 3.0s");
		assertThat(result.get(TIMEOUT)).isEqualTo("ok after 1 retries");
	}

	@Test
	void autoRetryWithBackoffUntilSuccess() {
		TaskResult result = this.stack.client.send("wf.auto", "k1", 2);
		assertThat(result.get(TIMEOUT)).isEqualTo(3);
		List<TaskRetriedEvent> retries = retriesOf(result.getId());
		assertThat(retries).hasSize(2);
		// Exponential back-off without jitter, capped at 1 s: 1 s, then 1 s.
		assertThat(retries).extracting(TaskRetriedEvent::getCountdown)
			.containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
	}

	@Test
	void autoRetryUntilExhaustionFailsWithTheLastException() {
		TaskResult result = this.stack.client.send("wf.always_fails", "k2", false);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("IllegalStateException");
			assertThat(ex.getRemoteMessage()).isEqualTo("still broken");
			assertThat(ex.getRemoteTraceback())
				.startsWith("dev.taskqueue.worker.MaxRetriesExceededException: Can't retry wf.always_fails[");
		});
		assertThat(this.tasks.attempts.get("k2")).hasValue(3);
		assertThat(result.getRecord().retries()).isEqualTo(2);
	}

	@Test
	void dontAutoRetryForWins() {
		TaskResult result = this.stack.client.send("wf.always_fails", "k3", true);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("UnsupportedOperationException"));
		assertThat(this.tasks.attempts.get("k3")).hasValue(1);
		assertThat(retriesOf(result.getId())).isEmpty();
	}

	@Test
	void retryWithoutACausePastTheLimitFailsWithMaxRetriesExceeded() {
		TaskResult result = this.stack.client.send("wf.retry_no_cause", "k4");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("MaxRetriesExceededException"));
		assertThat(this.tasks.attempts.get("k4")).hasValue(2);
	}

	@Test
	void argumentErrorsAreNeverRetried() {
		TaskResult result = this.stack.client.send("wf.auto", "k5");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("TaskArgumentException"));
		assertThat(retriesOf(result.getId())).isEmpty();
	}

}
