package dev.taskqueue.beat.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.taskqueue.beat.Schedule;
import org.jspecify.annotations.Nullable;

/**
 * Decides what a tick does with an entry, as Celery's {@code is_due} does, from the
 * entry's {@code last_run_at} and schedule (the score only selected it): nothing yet, one
 * run, or, after missed runs, what the entry's {@link dev.taskqueue.beat.MissedRunPolicy}
 * says. Each run gets a task id made of the entry's name and the time it was due, so
 * every beat that could fire it names it alike.
 */
final class FirePlanner {

	/** A bound on the missed runs counted for one entry. */
	private static final int MAX_SLOTS = 1_000_000;

	private final RedBeatJson codec;

	private final ZoneId defaultZone;

	private final Duration grace;

	/**
	 * Create a planner.
	 * @param codec writes the new meta
	 * @param defaultZone the beat's zone
	 * @param grace how late a run may be fired before {@code skip} counts it missed
	 */
	FirePlanner(RedBeatJson codec, ZoneId defaultZone, Duration grace) {
		this.codec = codec;
		this.defaultZone = defaultZone;
		this.grace = grace;
	}

	/**
	 * What to do with an entry now.
	 *
	 * @param fires the advances, in order
	 * @param nextCheck when the entry should be looked at again, or {@code null}
	 * @param skipped how many missed runs the advances skip
	 */
	record Plan(List<Fire> fires, @Nullable Instant nextCheck, long skipped) {

		static final Plan NOTHING = new Plan(List.of(), null, 0);

	}

	/**
	 * Plan an entry.
	 * @param entry a readable entry
	 * @param now now
	 * @return the plan
	 */
	Plan plan(StoredEntry entry, Instant now) {
		if (!entry.isEnabled()) {
			return Plan.NOTHING;
		}
		ZoneId zone = entry.zone(this.defaultZone);
		Schedule schedule = entry.schedule();
		ZonedDateTime last = entry.lastRunAt(this.defaultZone);
		RedBeatJson.Meta meta = entry.meta();
		long count = (meta != null) ? meta.totalRunCount() : 0;
		ZonedDateTime current = now.atZone(zone);
		if (last == null) {
			// Never ran, or asked to run now: due at once, named by the score it was
			// given.
			Double score = entry.score();
			Instant due = (score != null && score >= 0 && score <= now.getEpochSecond())
					? Instant.ofEpochSecond(score.longValue()) : Instant.ofEpochSecond(now.getEpochSecond());
			return single(entry, due, current, count, schedule);
		}
		ZonedDateTime next = schedule.next(last);
		if (next == null) {
			return finished(entry, last, count);
		}
		if (next.toInstant().isAfter(now)) {
			return new Plan(List.of(), next.toInstant(), 0);
		}
		return switch (entry.extras().missedRuns()) {
			case ONCE -> single(entry, next.toInstant(), current, count, schedule);
			case SKIP -> skip(entry, next, now, count, schedule);
			case ALL -> all(entry, next, now, count, schedule);
		};
	}

	/**
	 * A schedule with no more runs scores {@code -1}, so no beat loads it again; its meta
	 * stays as it is.
	 */
	private Plan finished(StoredEntry entry, ZonedDateTime last, long count) {
		Double score = entry.score();
		String meta = entry.rawMeta();
		if (score == null || score == -1 || meta == null) {
			return Plan.NOTHING;
		}
		return new Plan(List.of(new Fire(entry, last.toInstant(), null, last, count, meta, -1, score, meta)), null, 0);
	}

	/** Fire once; the next run counts from now, as Celery's beat does. */
	private Plan single(StoredEntry entry, Instant due, ZonedDateTime now, long count, Schedule schedule) {
		Fire fire = fire(entry, due, true, now, count + 1, schedule, entry.score(), entry.rawMeta());
		return new Plan(List.of(fire), next(fire), 0);
	}

	private Plan skip(StoredEntry entry, ZonedDateTime next, Instant now, long count, Schedule schedule) {
		Slots slots = slots(next, now, schedule, 1);
		ZonedDateTime latest = slots.latest.getLast();
		long skipped = slots.total - 1;
		if (Duration.between(latest.toInstant(), now).compareTo(this.grace) <= 0) {
			Fire fire = fire(entry, latest.toInstant(), true, now.atZone(latest.getZone()), count + 1, schedule,
					entry.score(), entry.rawMeta());
			return new Plan(List.of(fire), next(fire), skipped);
		}
		// Every run was missed by more than the grace: move past them, send nothing.
		Fire moved = fire(entry, latest.toInstant(), false, latest, count, schedule, entry.score(), entry.rawMeta());
		return new Plan(List.of(moved), next(moved), slots.total);
	}

	private Plan all(StoredEntry entry, ZonedDateTime next, Instant now, long count, Schedule schedule) {
		int limit = entry.extras().missedRunLimit();
		Slots slots = slots(next, now, schedule, limit);
		List<Fire> fires = new ArrayList<>();
		Double expectedScore = entry.score();
		String expectedMeta = entry.rawMeta();
		long runs = count;
		for (ZonedDateTime slot : slots.latest) {
			// The catch-up runs are their slots: each one's successor is the next slot.
			Fire fire = fire(entry, slot.toInstant(), true, slot, ++runs, schedule, expectedScore, expectedMeta);
			fires.add(fire);
			expectedScore = fire.score();
			expectedMeta = fire.meta();
		}
		return new Plan(fires, next(fires.get(fires.size() - 1)), slots.total - slots.latest.size());
	}

	private Fire fire(StoredEntry entry, Instant due, boolean sends, ZonedDateTime lastRunAt, long count,
			Schedule schedule, @Nullable Double expectedScore, @Nullable String expectedMeta) {
		ZonedDateTime following = schedule.next(lastRunAt);
		double score = (following != null) ? Math.floor(following.toInstant().getEpochSecond()) : -1;
		String meta = this.codec.writeMeta(lastRunAt, count);
		return new Fire(entry, due, sends ? id(entry.name(), due) : null, lastRunAt, count, meta, score, expectedScore,
				expectedMeta);
	}

	private static @Nullable Instant next(Fire fire) {
		return (fire.score() >= 0) ? Instant.ofEpochSecond((long) fire.score()) : null;
	}

	/**
	 * The task id of a run: the same on every beat that fires that run.
	 * @param name the entry's name
	 * @param due when the run was due
	 * @return the id
	 */
	static String id(String name, Instant due) {
		int millis = due.getNano() / 1_000_000;
		return "beat:" + name + ":" + due.getEpochSecond() + ((millis != 0) ? String.format(".%03d", millis) : "");
	}

	private record Slots(Deque<ZonedDateTime> latest, long total) {

	}

	/** The runs due from {@code first} up to now: how many, and the latest few. */
	private static Slots slots(ZonedDateTime first, Instant now, Schedule schedule, int keep) {
		Deque<ZonedDateTime> latest = new ArrayDeque<>(Math.min(keep, 1024));
		long total = 0;
		ZonedDateTime slot = first;
		while (slot != null && !slot.toInstant().isAfter(now) && total < MAX_SLOTS) {
			total++;
			if (latest.size() == keep) {
				latest.removeFirst();
			}
			latest.addLast(slot);
			slot = schedule.next(slot);
		}
		return new Slots(latest, total);
	}

}
