package dev.taskqueue.test;

import java.time.Duration;

import dev.taskqueue.client.GroupResult;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.TaskTimeoutException;
import dev.taskqueue.result.TaskState;
import org.junit.jupiter.api.Test;

import static dev.taskqueue.test.TaskQueueAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Results in any state, without an application context.
 */
class TaskResultsTests {

	@Test
	void successReturnsItsValueAsTheClientWould() {
		TaskResult result = TaskResults.success("t-1", java.util.List.of(1, 2));
		assertThat(result.getId()).isEqualTo("t-1");
		assertThat(result.isSuccessful()).isTrue();
		assertThat(result.get(Duration.ZERO, int[].class)).containsExactly(1, 2);
		assertThat(result.getDateDone()).isNotNull();
	}

	@Test
	void failureThrowsTheTaskFailedException() {
		TaskResult result = TaskResults.failure(new IllegalStateException("no stock"));
		assertThat(result.isFailed()).isTrue();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(Duration.ZERO))
			.satisfies((ex) -> {
				assertThat(ex.getExceptionType()).isEqualTo("IllegalStateException");
				assertThat(ex.getExceptionArgs()).isEqualTo(java.util.List.of("no stock"));
			});
	}

	@Test
	void pendingTimesOut() {
		TaskResult result = TaskResults.pending();
		assertThat(result.getState()).isEqualTo(TaskState.PENDING);
		assertThatExceptionOfType(TaskTimeoutException.class).isThrownBy(() -> result.get(Duration.ofMillis(1)));
	}

	@Test
	void anyStateWithItsInformation() {
		TaskResult started = TaskResults.inState("t-2", TaskState.STARTED, java.util.Map.of("pid", 42));
		assertThat(started.getState()).isEqualTo(TaskState.STARTED);
		assertThat(started.isReady()).isFalse();
		assertThat(started.getInfo()).isEqualTo(java.util.Map.of("pid", 42));
	}

	@Test
	void revokeMakesItRevoked() {
		TaskResult result = TaskResults.pending();
		result.revoke();
		assertThat(result.getState()).isEqualTo(TaskState.REVOKED);
	}

	@Test
	void groupKeepsItsMembersStates() {
		GroupResult group = TaskResults.group(TaskResults.success(1), TaskResults.failure(new RuntimeException("x")),
				TaskResults.pending());
		assertThat(group.getStates()).containsExactly(TaskState.SUCCESS, TaskState.FAILURE, TaskState.PENDING);
		assertThat(group.isFailed()).isTrue();
		assertThat(group.completedCount()).isEqualTo(1);
	}

	@Test
	void resultAssertionsSayWhatIsWrong() {
		assertThat(TaskResults.success(8.0)).isSuccessful().hasResult(8);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(
					() -> assertThat(TaskResults.failure(new ArithmeticException("division by zero"))).isSuccessful())
			.withMessageContaining("to be SUCCESS, but it is FAILURE (ArithmeticException: [division by zero])");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(TaskResults.success(8.0)).hasResult(9))
			.withMessageContaining("to return 9, but it returned 8.0");
	}

}
