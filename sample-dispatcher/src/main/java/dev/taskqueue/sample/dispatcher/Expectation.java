package dev.taskqueue.sample.dispatcher;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import dev.taskqueue.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Scenario} must give. {@link #check} returns {@code null} when the outcome
 * is the expected one, or says what differs.
 *
 * @param description how the report shows the expectation
 * @param check checks an outcome, with the earlier outcomes at hand
 */
public record Expectation(String description, Check check) {

	/**
	 * Checks one outcome.
	 */
	@FunctionalInterface
	public interface Check {

		/**
		 * Check an outcome.
		 * @param outcome what the scenario gave
		 * @param context the earlier outcomes
		 * @return {@code null} if it is as expected, else what differs
		 */
		@Nullable String mismatch(ScenarioOutcome outcome, ScenarioContext context);

	}

	/**
	 * Check the outcome.
	 * @param outcome what the scenario gave
	 * @param context the earlier outcomes
	 * @return {@code null} if it is as expected, else what differs
	 */
	public @Nullable String mismatch(ScenarioOutcome outcome, ScenarioContext context) {
		return this.check.mismatch(outcome, context);
	}

	/**
	 * The task succeeded and returned this number.
	 * @param expected the number
	 * @return the expectation
	 */
	public static Expectation success(double expected) {
		return new Expectation("SUCCESS " + expected, (outcome, context) -> {
			String state = state(outcome, TaskState.SUCCESS);
			if (state != null) {
				return state;
			}
			return (outcome.result() instanceof Number number && number.doubleValue() == expected) ? null
					: "result " + outcome.result() + " is not " + expected;
		});
	}

	/**
	 * The task failed with this exception type and message.
	 * @param type the exception's type name
	 * @param message the exception's message
	 * @return the expectation
	 */
	public static Expectation failure(String type, String message) {
		return new Expectation("FAILURE " + type + " \"" + message + "\"", (outcome, context) -> {
			String state = state(outcome, TaskState.FAILURE);
			if (state != null) {
				return state;
			}
			if (outcome.error() == null) {
				return "no exception was stored";
			}
			if (!type.equals(outcome.error().type()) || !message.equals(outcome.error().message())) {
				return "exception is " + outcome.error().type() + " \"" + outcome.error().message() + "\"";
			}
			return null;
		});
	}

	/**
	 * The task succeeded and returned a map holding these entries.
	 * @param description how the report shows the entries
	 * @param entries computes the entries from the earlier outcomes
	 * @return the expectation
	 */
	public static Expectation successWithEntries(String description,
			Function<ScenarioContext, Map<String, ?>> entries) {
		return new Expectation("SUCCESS " + description, (outcome, context) -> {
			String state = state(outcome, TaskState.SUCCESS);
			if (state != null) {
				return state;
			}
			if (!(outcome.result() instanceof Map<?, ?> map)) {
				return "result " + outcome.result() + " is not a map";
			}
			for (Map.Entry<String, ?> entry : entries.apply(context).entrySet()) {
				if (!Objects.equals(map.get(entry.getKey()), entry.getValue())) {
					return entry.getKey() + " is " + map.get(entry.getKey()) + ", not " + entry.getValue();
				}
			}
			return null;
		});
	}

	/**
	 * This expectation, and the task took at least this long from sending to its result.
	 * @param minimum the shortest allowed time
	 * @return the expectation
	 */
	public Expectation notBefore(Duration minimum) {
		return new Expectation(this.description + ", not before " + minimum.toMillis() / 1000.0 + " s",
				(outcome, context) -> {
					String mismatch = mismatch(outcome, context);
					if (mismatch != null) {
						return mismatch;
					}
					return (outcome.elapsed().compareTo(minimum) >= 0) ? null : "finished after "
							+ outcome.elapsed().toMillis() + " ms, before " + minimum.toMillis() + " ms had passed";
				});
	}

	private static @Nullable String state(ScenarioOutcome outcome, TaskState expected) {
		if (outcome.problem() != null) {
			return outcome.problem();
		}
		return (outcome.state() == expected) ? null : "state is " + outcome.state() + ", not " + expected;
	}

}
