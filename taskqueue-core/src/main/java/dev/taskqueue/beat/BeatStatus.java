package dev.taskqueue.beat;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What this application's beat is doing, and who holds the schedule's lock.
 *
 * @param state the beat's state here
 * @param instance the lock token this beat uses, or {@code null} when it does not run
 * @param lockHolder the token of the beat that holds the lock now (Java's start with
 * {@code java:}, Python RedBeat's are hexadecimal), or {@code null} when none does or
 * Redis cannot be asked
 * @param lastTickAt when this beat last ran a tick, or {@code null}
 * @param problem why the beat is paused, or {@code null}
 */
public record BeatStatus(State state, @Nullable String instance, @Nullable String lockHolder,
		@Nullable Instant lastTickAt, @Nullable String problem) {

	/**
	 * Return whether this application's beat holds the lock and fires the schedule.
	 * @return whether this application's beat holds the lock and fires the schedule
	 */
	public boolean isLeader() {
		return this.state == State.LEADER;
	}

	/**
	 * A beat's state.
	 */
	public enum State {

		/** No beat runs in this application (it may still edit the schedule). */
		STOPPED,

		/** Waits for the lock another beat holds. */
		STANDBY,

		/** Holds the lock and fires the schedule. */
		LEADER,

		/** Cannot reach Redis; tries again every tick. */
		PAUSED

	}

}
