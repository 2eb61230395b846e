package dev.taskqueue.beat.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import dev.taskqueue.beat.PeriodicTask;
import org.jspecify.annotations.Nullable;

/**
 * Where a saved entry stands: its {@code last_run_at} as RedBeat's {@code save()} leaves
 * it, and the score that follows.
 *
 * @param newLastRunAt the {@code last_run_at} of a new entry
 * @param score the entry's score
 */
record SchedulePoint(ZonedDateTime newLastRunAt, double score) {

	static SchedulePoint of(PeriodicTask task, @Nullable StoredEntry existing, ZoneId defaultZone, Instant now) {
		ZoneId zone = (task.getZone() != null) ? task.getZone() : defaultZone;
		ZonedDateTime created = now.atZone(zone);
		ZonedDateTime last = created;
		RedBeatJson.Meta meta = (existing != null) ? existing.meta() : null;
		if (existing != null && existing.rawMeta() != null) {
			if (meta == null) {
				// Unreadable meta: the entry is reported, not fired; keep its place.
				Double score = existing.score();
				return new SchedulePoint(created, (score != null) ? score : -1);
			}
			if (meta.lastRunAt() == null) {
				return new SchedulePoint(created, now.getEpochSecond());
			}
			last = meta.lastRunAt().withZoneSameInstant(zone);
		}
		ZonedDateTime next = task.getSchedule().next(last);
		return new SchedulePoint(created, (next != null) ? next.toInstant().getEpochSecond() : -1);
	}

}
