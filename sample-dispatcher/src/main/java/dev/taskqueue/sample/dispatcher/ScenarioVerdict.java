package dev.taskqueue.sample.dispatcher;

import org.jspecify.annotations.Nullable;

/**
 * A scenario's outcome checked against its expectation.
 *
 * @param outcome what the scenario gave
 * @param mismatch what differs from the expectation, or {@code null} if nothing does
 */
public record ScenarioVerdict(ScenarioOutcome outcome, @Nullable String mismatch) {

	/**
	 * Return whether the scenario gave its expected outcome.
	 * @return whether the scenario gave its expected outcome
	 */
	public boolean passed() {
		return this.mismatch == null;
	}

}
