package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.LogCapture;
import dev.taskqueue.support.Stack;
import dev.taskqueue.worker.internal.TimeLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Soft and hard time limits (Celery's {@code soft_time_limit} and {@code time_limit}) on
 * the real broker and Redis.
 */
@Isolated("time limits of a fraction of a second")
class TimeLimitIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final TimeLimitTasks tasks = new TimeLimitTasks();

	private Stack stack;

	private LogCapture log;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(this.tasks).build();
		this.log = LogCapture.of(TimeLimits.class);
	}

	@AfterEach
	void stop() {
		this.tasks.release.countDown();
		this.log.close();
		this.stack.close();
	}

	private WorkerContainer startWorker(WorkerSettings.Builder settings) {
		return this.stack.startWorker(settings.build());
	}

	private WorkerSettings.Builder settings() {
		return this.stack.settingsBuilder(List.of(this.stack.defaultQueue));
	}

	@Test
	void softLimitInterruptsTheTaskWhichCleansUpAndFails() throws Exception {
		startWorker(settings());
		TaskResult result = this.stack.client.send("limits.soft");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("SoftTimeLimitExceeded");
			assertThat(ex.getExceptionModule()).isEqualTo("billiard.exceptions");
			assertThat(ex.getRemoteTraceback()).contains("java.lang.InterruptedException");
		});
		assertThat(this.tasks.cleanedUp.await(1, TimeUnit.SECONDS)).isTrue();
		assertThat(this.log.messages(Level.WARN)).anySatisfy((line) -> assertThat(line)
			.contains("Soft time limit (0.5s) exceeded for limits.soft[" + result.getId()));
		assertThat(this.tasks.calls).containsExactly("soft");
	}

	@Test
	void taskThatHandlesItsSoftLimitSucceeds() {
		startWorker(settings());
		assertThat(this.stack.client.send("limits.soft-caught").get(TIMEOUT)).isEqualTo("partial");
	}

	@Test
	void hardLimitAbandonsTheTaskStoresFailureAndFreesTheConsumer() {
		// One consumer, prefetch one: the next task can only run if the stuck one gave
		// its slot back.
		WorkerContainer worker = startWorker(settings().concurrency(1).prefetch(1));
		TaskResult stuck = this.stack.client.send("limits.stuck");
		TaskResult next = this.stack.client.send("limits.quick", 21);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> stuck.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("TimeLimitExceeded");
			assertThat(ex.getExceptionModule()).isEqualTo("billiard.exceptions");
			assertThat(ex.getExceptionArgs()).isEqualTo(List.of(1.0));
		});
		assertThat(next.get(TIMEOUT)).isEqualTo(42);
		// Still running, on a daemon thread of its own, and told to stop.
		assertThat(this.tasks.stuckThread.isAlive()).isTrue();
		assertThat(this.tasks.stuckThread.isDaemon()).isTrue();
		assertThat(this.tasks.interruptsIgnored.get()).isPositive();
		assertThat(worker.getAbandonedTaskCount()).isEqualTo(1);
		assertThat(this.log.messages(Level.ERROR)).anySatisfy((line) -> assertThat(line)
			.contains("Hard time limit (1.0s) exceeded for limits.stuck[" + stuck.getId() + "]"));
		// Settled once: acknowledged, not redelivered, not run again.
		await().atMost(TIMEOUT)
			.until(() -> this.stack.admin().getQueueInfo(this.stack.defaultQueue).getMessageCount() == 0);
		assertThat(this.tasks.calls).containsExactly("stuck", "quick");
		this.tasks.release.countDown();
		await().atMost(TIMEOUT).until(() -> worker.getAbandonedTaskCount() == 0);
	}

	@Test
	void abandonedTaskThatFinishesLaterDoesNotChangeTheStoredOutcome() {
		startWorker(settings());
		TaskResult stuck = this.stack.client.send("limits.stuck");
		await().atMost(TIMEOUT).until(() -> stuck.getState() == TaskState.FAILURE);
		this.tasks.release.countDown();
		await().atMost(TIMEOUT)
			.until(() -> this.log.messages(Level.WARN).stream().anyMatch((line) -> line.contains("discarded")));
		assertThat(this.log.messages(Level.WARN)).anySatisfy((line) -> assertThat(line)
			.contains("limits.stuck[" + stuck.getId() + "], abandoned at its hard time limit, returned")
			.contains("its outcome is discarded"));
		assertThat(stuck.getState()).isEqualTo(TaskState.FAILURE);
	}

	@Test
	void limitsSentWithTheCallWinOverTheTasks() {
		startWorker(settings());
		TaskResult result = this.stack.client
			.send(TaskRequest.builder("limits.stubborn").timeLimit(Duration.ofMillis(700)).build());
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionArgs()).isEqualTo(List.of(0.7)));
		// The annotation says 30 s; the call says half a second.
		TaskResult soft = this.stack.client
			.send(TaskRequest.builder("limits.annotated").softTimeLimit(Duration.ofMillis(500)).build());
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> soft.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("SoftTimeLimitExceeded"));
	}

	@Test
	void configuredLimitsWinOverTheAnnotationAndWorkerDefaultsApplyToTheRest() {
		startWorker(settings().softTimeLimit(Duration.ofMillis(500))
			.tasks(Map.of("limits.annotated",
					new TaskOptions(null, null, null, null, null, null, null, null, null, Duration.ofMillis(600)))));
		TaskResult annotated = this.stack.client.send("limits.annotated");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> annotated.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage()).contains("Soft time limit (0.6s) exceeded"));
		// limits.none sets nothing: the worker's default soft limit interrupts its wait.
		TaskResult none = this.stack.client.send("limits.none");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> none.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage()).contains("Soft time limit (0.5s) exceeded"));
	}

	@Test
	void taskWithinItsLimitsSucceeds() {
		startWorker(settings());
		assertThat(this.stack.client.send("limits.quick", 4).get(TIMEOUT)).isEqualTo(8);
	}

	@Test
	void revokeWithTerminateReachesATaskRunningUnderAHardLimit() {
		startWorker(settings());
		TaskResult result = this.stack.client
			.send(TaskRequest.builder("limits.none").timeLimit(Duration.ofSeconds(60)).build());
		await().atMost(TIMEOUT).until(() -> this.tasks.calls.contains("none"));
		this.stack.client.revoke(result.getId(), true);
		await().atMost(TIMEOUT).until(() -> result.getState() == TaskState.REVOKED);
	}

	@Test
	void abandonedTaskDoesNotHoldUpTheWorkersShutdown() {
		WorkerContainer worker = startWorker(settings().timeLimit(Duration.ofSeconds(2)));
		TaskResult stuck = this.stack.client.send("limits.stubborn");
		await().atMost(TIMEOUT).until(() -> this.tasks.stuckThread != null);
		await().atMost(TIMEOUT).until(() -> stuck.getState() == TaskState.FAILURE);
		worker.stop();
		worker.destroy();
		assertThat(worker.isRunning()).isFalse();
		// The abandoned thread ignores every interrupt; as a daemon it cannot keep the
		// JVM alive.
		assertThat(this.tasks.stuckThread.isAlive()).isTrue();
		assertThat(this.tasks.stuckThread.isDaemon()).isTrue();
	}

}
