package dev.taskqueue.autoconfigure.beat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.taskqueue.beat.BeatStatus;
import dev.taskqueue.beat.PeriodicTask;
import dev.taskqueue.beat.PeriodicTasks;
import dev.taskqueue.beat.ScheduledTask;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code taskqueue} actuator endpoint shows and does about periodic tasks: the
 * schedule's entries and who holds the lock; run now, enable and disable.
 */
public final class BeatOperations {

	private BeatOperations() {
	}

	/**
	 * Describe the schedule.
	 * @param tasks the schedule
	 * @return the description; with an error instead of entries when Redis cannot be read
	 */
	public static BeatDescriptor describe(PeriodicTasks tasks) {
		BeatStatus status = tasks.status();
		String state = status.state().name().toLowerCase(Locale.ROOT);
		try {
			List<EntryDescriptor> entries = tasks.list().stream().map(BeatOperations::entry).toList();
			return new BeatDescriptor(state, status.instance(), status.lockHolder(), status.problem(), entries, null);
		}
		catch (RuntimeException ex) {
			return new BeatDescriptor(state, status.instance(), status.lockHolder(), status.problem(), null,
					"Could not read the schedule from Redis: " + ex.getMessage());
		}
	}

	/**
	 * Run an entry now, enable or disable it.
	 * @param tasks the schedule
	 * @param entry the entry's name
	 * @param action {@code run}, {@code enable} or {@code disable}
	 * @return what was done
	 * @throws IllegalArgumentException if the action is unknown
	 * @throws IllegalStateException if the entry does not exist or cannot be changed
	 */
	public static EntryChange change(PeriodicTasks tasks, String entry, String action) {
		switch (action.toLowerCase(Locale.ROOT)) {
			case "run" -> tasks.runNow(entry);
			case "enable" -> tasks.enable(entry);
			case "disable" -> tasks.disable(entry);
			default -> throw new IllegalArgumentException(
					"Unknown action '" + action + "' on periodic task '" + entry + "': use run, enable or disable");
		}
		return new EntryChange(entry, action.toLowerCase(Locale.ROOT));
	}

	private static EntryDescriptor entry(ScheduledTask entry) {
		PeriodicTask task = entry.task();
		return new EntryDescriptor(entry.name(), (task != null) ? task.getTask() : null,
				(task != null) ? task.getSchedule().describe() : null,
				(entry.zone() != null) ? entry.zone().getId() : null, entry.nextRunAt(),
				(entry.lastRunAt() != null) ? entry.lastRunAt().toOffsetDateTime() : null, entry.totalRunCount(),
				entry.isEnabled(), entry.origin().name().toLowerCase(Locale.ROOT), entry.problem());
	}

	/**
	 * The schedule as the endpoint shows it.
	 *
	 * @param state this application's beat: {@code leader}, {@code standby},
	 * {@code paused} or {@code stopped} (it runs none)
	 * @param instance this beat's lock token, if it runs one
	 * @param lockHolder the lock token of the beat that fires the schedule now
	 * @param problem why this beat is paused, if it is
	 * @param entries the entries by name
	 * @param error why the entries could not be read, if they could not
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record BeatDescriptor(String state, @Nullable String instance, @Nullable String lockHolder,
			@Nullable String problem, @Nullable List<EntryDescriptor> entries, @Nullable String error) {

	}

	/**
	 * One entry of the schedule.
	 *
	 * @param name the entry's name
	 * @param task the task it sends
	 * @param schedule its schedule
	 * @param zone the zone its schedule is evaluated in
	 * @param nextRunAt when it runs next
	 * @param lastRunAt when it last ran
	 * @param totalRunCount how many times it ran
	 * @param enabled whether it fires
	 * @param origin {@code configuration}, {@code annotation}, {@code api} or
	 * {@code other} (another writer, such as Python's RedBeat)
	 * @param problem why the beat leaves it alone, if it does
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record EntryDescriptor(String name, @Nullable String task, @Nullable String schedule, @Nullable String zone,
			@Nullable Instant nextRunAt, @Nullable OffsetDateTime lastRunAt, long totalRunCount, boolean enabled,
			String origin, @Nullable String problem) {

	}

	/**
	 * A change made through the endpoint.
	 *
	 * @param entry the entry's name
	 * @param action {@code run}, {@code enable} or {@code disable}
	 */
	public record EntryChange(String entry, String action) {

	}

}
