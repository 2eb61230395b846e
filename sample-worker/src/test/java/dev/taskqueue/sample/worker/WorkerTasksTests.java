package dev.taskqueue.sample.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.test.AutoConfigureTaskQueue;
import dev.taskqueue.test.TaskQueueTestMode;
import dev.taskqueue.test.TaskRecorder;
import dev.taskqueue.test.TestClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static dev.taskqueue.test.TaskQueueAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's tasks, with its routes and rate limit, run in the test's JVM through the
 * real codec and worker (no RabbitMQ or Redis): the tutorial's calls.
 */
@SpringBootTest
@AutoConfigureTaskQueue(mode = TaskQueueTestMode.INLINE)
class WorkerTasksTests {

	@Autowired
	TaskClient client;

	@Autowired
	TaskRecorder recorder;

	@Autowired
	TestClock clock;

	@BeforeEach
	void refillRateLimit() {
		// worker.divide runs at most once a second, in every test of this context.
		this.clock.advance(Duration.ofSeconds(2));
	}

	@Test
	void divide() {
		TaskResult result = this.client.send("worker.divide", 1, 2);
		assertThat(result).hasResult(0.5);
		assertThat(this.recorder).sent("worker.divide").withArgs(1, 2).onQueue("divide").once();
	}

	@Test
	void divideByZeroFails() {
		assertThat(this.client.send("worker.divide", 1, 0)).hasFailedWith("ArithmeticException");
	}

	@Test
	void linkSendsTheQuotientToDivide() {
		String callbackId = UUID.randomUUID().toString();
		this.client.send(TaskRequest.builder("worker.divide")
			.args(16, 2)
			.link(Signature.of("worker.divide", 8).withTaskId(callbackId))
			.build());
		TaskResult callback = this.client.result(callbackId);
		// The callback is worker.divide too, limited to 1/s.
		assertThat(callback).isPending();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(callback).hasResult(1.0);
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
			.containsEntry("name", "worker.divide")
			.containsEntry("args", List.of(1, 0));
	}

	@Test
	void countdownRunsWhenItIsDue() {
		TaskResult result = this.client
			.send(TaskRequest.builder("worker.divide").args(1, 2).countdown(Duration.ofSeconds(2)).build());
		assertThat(result).isPending();
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(result).hasResult(0.5);
	}

	@Test
	void rateLimitLetsOneDivisionRunPerSecond() {
		TaskResult first = this.client.send("worker.divide", 1, 1);
		TaskResult second = this.client.send("worker.divide", 2, 1);
		assertThat(first).hasResult(1.0);
		assertThat(second).isPending();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(second).hasResult(2.0);
	}

}
