package dev.taskqueue.beat.internal;

import java.time.Duration;

/**
 * Hears what the beat does, for metrics. Called on the beat's threads: return quickly and
 * never throw.
 */
public interface BeatListener {

	/**
	 * A run was sent and confirmed by the broker.
	 * @param entry the entry's name
	 * @param task the task's name
	 * @param lateness from when it was due until the broker confirmed it
	 */
	default void fired(String entry, String task, Duration lateness) {
	}

	/**
	 * A run could not be sent; it is sent again at the next tick.
	 * @param entry the entry's name
	 * @param task the task's name
	 * @param failure why
	 */
	default void publishFailed(String entry, String task, RuntimeException failure) {
	}

	/**
	 * A run was not sent by this beat because the fence refused it: the lock or the entry
	 * changed since the tick read it (another beat took over, or already fired it).
	 * @param entry the entry's name
	 */
	default void fenced(String entry) {
	}

	/**
	 * A run a previous leader may have sent was found already delivered, so it was not
	 * sent again.
	 * @param entry the entry's name
	 * @param id the run's task id
	 */
	default void duplicateDropped(String entry, String id) {
	}

	/**
	 * Missed runs were not fired, as the entry's policy says.
	 * @param entry the entry's name
	 * @param count how many
	 */
	default void missedRunsSkipped(String entry, long count) {
	}

}
