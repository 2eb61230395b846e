package dev.taskqueue.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.taskqueue.client.GroupResult;
import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.TaskTimeoutException;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.worker.WorkerContainer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static dev.taskqueue.test.TaskQueueAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The record mode: the client publishes nothing (no broker or Redis is reachable where
 * the unit tests run) and every send is recorded as the codec reads it back.
 */
@SpringBootTest(classes = SampleApplication.class)
@AutoConfigureTaskQueue
class RecordModeTests {

	@Autowired
	TaskClient client;

	@Autowired
	TaskRecorder recorder;

	@Autowired
	TestClock clock;

	@Autowired
	WorkerContainer worker;

	@Test
	void sendIsRecordedWithItsArgumentsAndRoute() {
		TaskResult result = this.client.send("worker.divide", 16, 2);
		assertThat(this.recorder).sent("worker.divide").withArgs(16, 2).onQueue("divide").withoutEta().once();
		assertThat(this.recorder).hasSentCount(1);
		assertThat(this.recorder.getSentTasks().get(0).id()).isEqualTo(result.getId());
		assertThat(result).isPending();
	}

	@Test
	void workerDoesNotConsume() {
		assertThat(this.worker.isAutoStartup()).isFalse();
		assertThat(this.worker.isRunning()).isFalse();
	}

	@Test
	void recordedArgumentsAreWhatTheWorkerWouldRead() {
		this.client.send(TaskRequest.builder("worker.divide").kwarg("x", 16).kwarg("y", 2L).build());
		SentTask sent = assertThat(this.recorder).sent("worker.divide").withKwargs(Map.of("x", 16, "y", 2)).single();
		assertThat(sent.kwargs()).containsEntry("x", 16);
		assertThat(sent.contentType()).isEqualTo("application/json");
	}

	@Test
	void mismatchNamesWhatWasSent() {
		this.client.send("worker.divide", 16, 2);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).sent("worker.divide").withArgs(16, 3))
			.withMessageContaining("with args [16, 3]")
			.withMessageContaining("worker.divide[16, 2]");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).sent("worker.multiply"))
			.withMessageContaining("[worker.divide]");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).sent("worker.divide").onQueue("celery"));
	}

	@Test
	void countdownIsCountedFromTheTestClock() {
		this.client.send(TaskRequest.builder("worker.divide").args(1, 2).countdown(Duration.ofSeconds(10)).build());
		assertThat(this.recorder).sent("worker.divide").dueAt(this.clock.instant().plusSeconds(10)).once();
	}

	@Test
	void linksAndErrbacksAreRecorded() {
		this.client.send(TaskRequest.builder("worker.divide")
			.args(16, 2)
			.link(Signature.of("worker.divide", 8))
			.linkError(Signature.of("worker.error_handler"))
			.build());
		SentTask sent = assertThat(this.recorder).sent("worker.divide")
			.withLink("worker.divide")
			.withErrback("worker.error_handler")
			.single();
		assertThat(sent.links()).singleElement().satisfies((link) -> assertThat(link.args()).containsExactly(8));
	}

	@Test
	void chainSendsItsFirstStepCarryingTheOthers() {
		this.client.chain(Signature.of("test.add", 1, 2), Signature.of("test.add", 3), Signature.of("worker.divide", 2))
			.send();
		assertThat(this.recorder).sentExactly("test.add");
		assertThat(this.recorder).sent("test.add").withArgs(1, 2).withChain("test.add", "worker.divide").once();
	}

	@Test
	void groupAndChordSendTheirMembers() {
		GroupResult group = this.client.group(Signature.of("test.add", 1, 1), Signature.of("test.add", 2, 2)).send();
		assertThat(group.size()).isEqualTo(2);
		assertThat(this.recorder).sent("test.add").inGroup().times(2);
		this.recorder.clear();
		this.client
			.chord(List.of(Signature.of("test.add", 1, 1), Signature.of("test.add", 2, 2)), Signature.of("test.sum"))
			.send();
		assertThat(this.recorder).sent("test.add").inGroup().matching("a chord part", SentTask::chord).times(2);
		assertThat(this.recorder).didNotSend("test.sum");
	}

	@Test
	void stubbedResultIsReturnedAtOnce() {
		this.recorder.stubResult("worker.divide", 8.0);
		TaskResult result = this.client.send("worker.divide", 16, 2);
		assertThat(result.get(Duration.ZERO, Double.class)).isEqualTo(8.0);
		assertThat(result).isSuccessful().hasResult(8);
	}

	@Test
	void stubbedFailureFailsAsAWorkerWould() {
		this.recorder.stubFailure("worker.divide", new ArithmeticException("division by zero"));
		TaskResult result = this.client.send("worker.divide", 1, 0);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(Duration.ZERO))
			.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("ArithmeticException"));
		assertThat(result).hasFailedWith("ArithmeticException");
	}

	@Test
	void unstubbedResultStaysPending() {
		TaskResult result = this.client.send("worker.divide", 1, 2);
		assertThatExceptionOfType(TaskTimeoutException.class).isThrownBy(() -> result.get(Duration.ofMillis(1)));
		assertThat(result.getState()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void eachTestStartsWithNothingRecorded() {
		// Other test methods of this class sent tasks with the same cached context.
		assertThat(this.recorder).sentNothing();
	}

}
