package dev.taskqueue.beat.internal;

import java.time.Instant;
import java.time.ZonedDateTime;

import org.jspecify.annotations.Nullable;

/**
 * One advance of an entry the planner decided on: usually a run to send, or (missed runs
 * skipped) only the entry moved past them.
 *
 * @param entry the entry as read
 * @param due when the run was due
 * @param id the run's task id ({@code beat:<name>:<due epoch seconds>}), or {@code null}
 * when nothing is sent
 * @param lastRunAt the entry's new {@code last_run_at}
 * @param totalRunCount its new run count
 * @param meta its new meta, as written
 * @param score its new score ({@code -1} when it has no more runs)
 * @param expectedScore the score the entry must still have
 * @param expectedMeta the meta the entry must still have
 */
record Fire(StoredEntry entry, Instant due, @Nullable String id, ZonedDateTime lastRunAt, long totalRunCount,
		String meta, double score, @Nullable Double expectedScore, @Nullable String expectedMeta) {

	/**
	 * Return whether the fire sends a task.
	 * @return whether the fire sends a task
	 */
	boolean sends() {
		return this.id != null;
	}

}
