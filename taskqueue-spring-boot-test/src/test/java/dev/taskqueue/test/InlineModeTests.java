package dev.taskqueue.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.taskqueue.client.GroupResult;
import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.TaskState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static dev.taskqueue.test.TaskQueueAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The inline mode: each send runs in the test's JVM through the real codec and the real
 * worker's listener, with the tutorial's scenarios.
 */
@SpringBootTest(classes = SampleApplication.class)
@AutoConfigureTaskQueue(mode = TaskQueueTestMode.INLINE)
class InlineModeTests {

	@Autowired
	TaskClient client;

	@Autowired
	TaskRecorder recorder;

	@Autowired
	TestClock clock;

	@Autowired
	SampleTasks tasks;

	@BeforeEach
	void refillRateLimits() {
		// worker.divide is limited to 1/s, and the context (so its token bucket) is
		// shared by the test methods.
		this.clock.advance(Duration.ofSeconds(2));
	}

	@Test
	void divide() {
		TaskResult result = this.client.send("worker.divide", 1, 2);
		assertThat(result.get(Duration.ZERO)).isEqualTo(0.5);
		assertThat(result).isSuccessful().hasResult(0.5);
		assertThat(result.getRecord().queue()).isEqualTo("divide");
	}

	@Test
	void divideWithKwargs() {
		TaskResult result = this.client.send(TaskRequest.builder("worker.divide").kwarg("x", 16).kwarg("y", 2).build());
		assertThat(result.get(Duration.ZERO, Double.class)).isEqualTo(8.0);
	}

	@Test
	void divisionByZeroFailsWithTheTasksException() {
		TaskResult result = this.client.send("worker.divide", 1, 0);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(Duration.ZERO))
			.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("ArithmeticException"));
	}

	@Test
	void linkSendsTheResultToDivide() {
		String callbackId = UUID.randomUUID().toString();
		this.client.send(TaskRequest.builder("worker.divide")
			.args(16, 2)
			.link(Signature.of("worker.divide", 8).withTaskId(callbackId))
			.build());
		// The callback is worker.divide again: its rate limit of 1/s holds it a second.
		TaskResult callback = this.client.result(callbackId);
		assertThat(callback).isPending();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(callback.get(Duration.ZERO)).isEqualTo(1.0);
		assertThat(this.recorder).sentInOrder("worker.divide", "worker.divide");
		assertThat(this.recorder).sent("worker.divide").withArgs(8.0, 8).once();
	}

	@Test
	void linkErrorSendsTheFailedCallToTheErrorHandler() {
		String errbackId = UUID.randomUUID().toString();
		this.client.send(TaskRequest.builder("worker.divide")
			.args(List.of(1, 0))
			.linkError(Signature.of("worker.error_handler").withTaskId(errbackId))
			.build());
		assertThat(this.recorder).sent("worker.error_handler").onQueue("error").once();
		assertThat(this.client.result(errbackId).get(Duration.ZERO, Map.class)).containsEntry("state", "FAILURE")
			.containsEntry("type", "ArithmeticException")
			.containsEntry("name", "worker.divide")
			.containsEntry("args", List.of(1, 0));
	}

	@Test
	void countdownRunsWhenTheTestClockReachesIt() {
		TaskResult result = this.client
			.send(TaskRequest.builder("worker.divide").args(1, 2).countdown(Duration.ofSeconds(2)).build());
		assertThat(result).isPending();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(result).isPending();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(result).hasResult(0.5);
	}

	@Test
	void rateLimitOfOnePerSecondFollowsTheTestClock() {
		TaskResult first = this.client.send("worker.divide", 1, 1);
		TaskResult second = this.client.send("worker.divide", 2, 1);
		TaskResult third = this.client.send("worker.divide", 3, 1);
		assertThat(first).hasResult(1.0);
		assertThat(second).isPending();
		assertThat(third).isPending();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(second).hasResult(2.0);
		assertThat(third).isPending();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(third).hasResult(3.0);
	}

	@Test
	void retriesWaitForTheTestClock() {
		this.tasks.flakyRuns.set(0);
		TaskResult result = this.client.send("test.flaky");
		assertThat(result).hasState(TaskState.RETRY);
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(result).hasState(TaskState.RETRY);
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(result).hasResult("done after 2 retries");
		assertThat(this.tasks.flakyRuns).hasValue(3);
	}

	@Test
	void chainRunsStepByStep() {
		TaskResult result = this.client
			.chain(Signature.of("test.add", 1, 2), Signature.of("test.add", 3), Signature.of("worker.divide", 2))
			.send();
		assertThat(result.get(Duration.ZERO)).isEqualTo(3.0);
		assertThat(this.recorder).sentExactly("test.add", "test.add", "worker.divide");
	}

	@Test
	void groupRunsEveryMember() {
		GroupResult group = this.client.group(Signature.of("test.add", 1, 1), Signature.of("test.add", 2, 2)).send();
		assertThat(group.get(Duration.ZERO)).containsExactly(2, 4);
	}

	@Test
	void chordRunsItsBodyWithTheHeadersResults() {
		TaskResult result = this.client
			.chord(List.of(Signature.of("test.add", 1, 1), Signature.of("test.add", 2, 2)), Signature.of("test.sum"))
			.send();
		assertThat(result.get(Duration.ZERO)).isEqualTo(6);
	}

	@Test
	void unknownKeywordArgumentFailsAsOnAWorker() {
		TaskResult result = this.client.send(TaskRequest.builder("test.add").kwarg("x", 1).kwarg("z", 2).build());
		assertThat(result).hasState(TaskState.FAILURE);
		assertThat(result).hasFailedWith("TaskArgumentException");
	}

	@Test
	void unregisteredTaskIsRefusedAsOnAWorker() {
		TaskResult result = this.client.send("python.only", 1);
		assertThat(result).hasFailedWith("NotRegistered");
	}

	@Test
	void argumentTheCodecCannotWriteFailsTheSend() {
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> this.client.send("test.add", new Unwritable(), 1));
		assertThat(this.recorder).sentNothing();
	}

	@Test
	void argumentIsBoundFromWhatTheCodecWrote() {
		// A record goes as a JSON object: a task taking a list cannot bind it.
		TaskResult result = this.client.send("test.sum", new Point(1, 2));
		assertThat(result).hasFailedWith("TaskArgumentException");
	}

	record Point(int x, int y) {
	}

	public static class Unwritable {

		public String getValue() {
			throw new IllegalStateException("cannot be read");
		}

	}

	@Test
	void stubbedTaskDoesNotRun() {
		this.recorder.stubResult("worker.divide", 42);
		assertThat(this.client.send("worker.divide", 1, 0).get(Duration.ZERO)).isEqualTo(42);
	}

}
