package dev.taskqueue.sample.dispatcher;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.TaskState;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What makes a scenario pass or fail, so that the demo's exit code means something.
 */
class ExpectationTests {

	private final ScenarioContext context = new ScenarioContext(null);

	@Test
	void successMatchesTheNumberWhateverItsJsonType() {
		assertThat(Expectation.success(8.0).mismatch(success(8), this.context)).isNull();
		assertThat(Expectation.success(8.0).mismatch(success(8.0), this.context)).isNull();
	}

	@Test
	void successMismatchesAnotherNumberOrAFailure() {
		assertThat(Expectation.success(0.5).mismatch(success(0), this.context)).isEqualTo("result 0 is not 0.5");
		assertThat(Expectation.success(0.5).mismatch(failure("ArithmeticException", "division by zero"), this.context))
			.isEqualTo("state is FAILURE, not SUCCESS");
	}

	@Test
	void failureMatchesTypeAndMessage() {
		Expectation expected = Expectation.failure("ArithmeticException", "division by zero");
		assertThat(expected.mismatch(failure("ArithmeticException", "division by zero"), this.context)).isNull();
		assertThat(expected.mismatch(failure("ZeroDivisionError", "division by zero"), this.context))
			.isEqualTo("exception is ZeroDivisionError \"division by zero\"");
	}

	@Test
	void aTimedOutTaskNeverMatches() {
		ScenarioOutcome timedOut = new ScenarioOutcome(scenario(), "id", TaskState.PENDING, null, null,
				"no result within 30 s", Duration.ofSeconds(30));
		assertThat(Expectation.success(0.5).mismatch(timedOut, this.context)).isEqualTo("no result within 30 s");
	}

	@Test
	void notBeforeMismatchesATaskThatFinishedTooSoon() {
		Expectation expected = Expectation.success(0.5).notBefore(Duration.ofSeconds(2));
		assertThat(expected.mismatch(outcome(TaskState.SUCCESS, 0.5, null, Duration.ofMillis(1999)), this.context))
			.isEqualTo("finished after 1999 ms, before 2000 ms had passed");
		assertThat(expected.mismatch(outcome(TaskState.SUCCESS, 0.5, null, Duration.ofMillis(2000)), this.context))
			.isNull();
	}

	@Test
	void successWithEntriesComparesOnlyTheGivenEntries() {
		Expectation expected = Expectation.successWithEntries("{state=FAILURE}",
				(context) -> Map.of("state", "FAILURE"));
		assertThat(expected.mismatch(success(Map.of("state", "FAILURE", "info", "x")), this.context)).isNull();
		assertThat(expected.mismatch(success(Map.of("state", "PENDING")), this.context))
			.isEqualTo("state is PENDING, not FAILURE");
	}

	private static ScenarioOutcome success(Object result) {
		return outcome(TaskState.SUCCESS, result, null, Duration.ZERO);
	}

	private static ScenarioOutcome failure(String type, String message) {
		return outcome(TaskState.FAILURE, null, new ExceptionInfo(type, null, List.of(message), null), Duration.ZERO);
	}

	private static ScenarioOutcome outcome(TaskState state, @Nullable Object result, @Nullable ExceptionInfo error,
			Duration elapsed) {
		return new ScenarioOutcome(scenario(), "id", state, result, error, null, elapsed);
	}

	private static Scenario scenario() {
		return new Scenario("x", "x()", "x()", (context) -> {
			throw new UnsupportedOperationException();
		}, Expectation.success(0));
	}

}
