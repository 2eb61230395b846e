package dev.taskqueue.worker;

import java.time.Duration;

import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RoundTripIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private Stack stack;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(new Tasks()).build();
		this.stack.startWorker(this.stack.defaultQueue);
	}

	@AfterEach
	void stop() {
		this.stack.close();
	}

	@Test
	void taskSentByNameRunsAndItsResultIsReturned() {
		TaskResult result = this.stack.client.send("test.add", 2, 3);
		assertThat(result.get(TIMEOUT, Integer.class)).isEqualTo(5);
		assertThat(result.getState()).isEqualTo(TaskState.SUCCESS);
	}

	@Test
	void failureCarriesTheRemoteException() {
		TaskResult result = this.stack.client.send("test.divide", 1, 0);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("ArithmeticException");
			assertThat(ex.getExceptionModule()).isEqualTo("java.lang");
			assertThat(ex.getRemoteMessage()).isEqualTo("division by zero");
			assertThat(ex.getRemoteTraceback())
				.contains("at dev.taskqueue.worker.RoundTripIntegrationTests$Tasks.divide");
		});
	}

	@Test
	void aClientListeningBeforeItSendsGetsResultsAndFailures() {
		this.stack.client.setSubscribeBeforeSend(Duration.ofMinutes(1));
		for (int i = 0; i < 3; i++) {
			assertThat(this.stack.client.send("test.add", i, 3).get(TIMEOUT, Integer.class)).isEqualTo(i + 3);
		}
		TaskResult failed = this.stack.client.send("test.divide", 1, 0);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failed.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage()).isEqualTo("division by zero"));
		assertThat(failed.getState()).isEqualTo(TaskState.FAILURE);
	}

	static class Tasks {

		@QueueTask("test.add")
		int add(int x, int y) {
			return x + y;
		}

		@QueueTask("test.divide")
		double divide(double x, double y) {
			if (y == 0) {
				throw new ArithmeticException("division by zero");
			}
			return x / y;
		}

	}

}
