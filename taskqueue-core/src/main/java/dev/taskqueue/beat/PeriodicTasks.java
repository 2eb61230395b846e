package dev.taskqueue.beat;

import java.util.List;
import java.util.Optional;

/**
 * The schedule of periodic tasks, changed at runtime from any application: the beat that
 * holds the lock, on whatever instance, applies a change within one tick. Entries are
 * shared with Python's RedBeat.
 * <p>
 * Entries defined in {@code taskqueue.beat.schedule} or by {@link Periodic @Periodic} are
 * the configuration's: they cannot be replaced or removed here (they would come back at
 * the next start), only enabled, disabled or run now.
 */
public interface PeriodicTasks {

	/**
	 * Add an entry. Like Celery's, it first runs one period from now, or at its crontab's
	 * next time.
	 * @param task the entry
	 * @throws IllegalStateException if an entry of that name exists
	 * @throws IllegalArgumentException if the schedule never runs
	 */
	void add(PeriodicTask task);

	/**
	 * Replace an entry's definition, keeping when it last ran.
	 * @param task the entry
	 * @throws IllegalStateException if there is no entry of that name, or the
	 * configuration defines it
	 * @throws IllegalArgumentException if the schedule never runs
	 */
	void replace(PeriodicTask task);

	/**
	 * Remove an entry.
	 * @param name the entry's name
	 * @return whether there was such an entry
	 * @throws IllegalStateException if the configuration defines it
	 */
	boolean remove(String name);

	/**
	 * Let an entry fire again. Runs missed while it was disabled follow its
	 * {@link MissedRunPolicy}.
	 * @param name the entry's name
	 * @throws IllegalStateException if there is no entry of that name
	 */
	void enable(String name);

	/**
	 * Stop an entry from firing; it keeps its place in the schedule.
	 * @param name the entry's name
	 * @throws IllegalStateException if there is no entry of that name
	 */
	void disable(String name);

	/**
	 * Fire an entry at the beat's next tick, then go on with its schedule from then.
	 * @param name the entry's name
	 * @throws IllegalStateException if there is no entry of that name, or it is disabled
	 * or unreadable
	 */
	void runNow(String name);

	/**
	 * Return every entry of the schedule, by name.
	 * @return the entries
	 */
	List<ScheduledTask> list();

	/**
	 * Return one entry.
	 * @param name the entry's name
	 * @return the entry, if there is one
	 */
	Optional<ScheduledTask> get(String name);

	/**
	 * Return what this application's beat is doing and who holds the lock.
	 * @return the status
	 */
	BeatStatus status();

}
