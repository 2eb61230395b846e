package dev.taskqueue.beat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.jspecify.annotations.Nullable;

/**
 * An entry of the schedule as it stands in Redis: its definition, when it last ran and
 * runs next.
 *
 * @param name the entry's name
 * @param task the entry, or {@code null} when it cannot be read (see {@code problem})
 * @param zone the zone its schedule is evaluated in, or {@code null} when unreadable
 * @param nextRunAt when it runs next, or {@code null} when disabled, finished or
 * unreadable
 * @param lastRunAt when it last ran, or {@code null} if it never did (or is to run now)
 * @param totalRunCount how many times it ran
 * @param origin who defined it
 * @param problem why the beat leaves the entry alone (it cannot be read, or never
 * matches), or {@code null}
 */
public record ScheduledTask(String name, @Nullable PeriodicTask task, @Nullable ZoneId zone,
		@Nullable Instant nextRunAt, @Nullable ZonedDateTime lastRunAt, long totalRunCount, Origin origin,
		@Nullable String problem) {

	/**
	 * Return whether the entry fires.
	 * @return whether the entry fires
	 */
	public boolean isEnabled() {
		return this.task != null && this.task.isEnabled();
	}

	/**
	 * Who defined an entry.
	 */
	public enum Origin {

		/** {@code taskqueue.beat.schedule.*}. */
		CONFIGURATION,

		/** {@link Periodic @Periodic} on a task method. */
		ANNOTATION,

		/** {@link PeriodicTasks} at runtime. */
		API,

		/** Another writer of the schedule, such as Python's RedBeat. */
		OTHER

	}

}
