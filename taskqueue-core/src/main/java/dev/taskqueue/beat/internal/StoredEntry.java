package dev.taskqueue.beat.internal;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

import dev.taskqueue.beat.PeriodicTask;
import dev.taskqueue.beat.Schedule;
import org.jspecify.annotations.Nullable;

/**
 * An entry as read from Redis: the raw fields (what a fenced write compares against), and
 * what they mean, or why they cannot be read.
 */
public final class StoredEntry {

	private final String key;

	private final String name;

	private final @Nullable Double score;

	private final @Nullable String rawDefinition;

	private final @Nullable String rawMeta;

	private final @Nullable String rawExtras;

	private final RedBeatJson.@Nullable Definition definition;

	private final RedBeatJson.@Nullable Meta meta;

	private final EntryExtras extras;

	private final @Nullable Schedule schedule;

	private final @Nullable String problem;

	private StoredEntry(String key, String name, @Nullable Double score, @Nullable String rawDefinition,
			@Nullable String rawMeta, @Nullable String rawExtras, RedBeatJson.@Nullable Definition definition,
			RedBeatJson.@Nullable Meta meta, EntryExtras extras, @Nullable Schedule schedule,
			@Nullable String problem) {
		this.key = key;
		this.name = name;
		this.score = score;
		this.rawDefinition = rawDefinition;
		this.rawMeta = rawMeta;
		this.rawExtras = rawExtras;
		this.definition = definition;
		this.meta = meta;
		this.extras = extras;
		this.schedule = schedule;
		this.problem = problem;
	}

	/**
	 * Read an entry's fields.
	 * @param key the hash's key (the schedule's member)
	 * @param name the entry's name (the key without the prefix)
	 * @param score its score, or {@code null} when it is not in the schedule
	 * @param definition the {@code definition} field, or {@code null}
	 * @param meta the {@code meta} field, or {@code null}
	 * @param extras the {@value EntryExtras#FIELD} field, or {@code null}
	 * @param codec the codec
	 * @return the entry; with a problem when it cannot be read
	 */
	static StoredEntry read(String key, String name, @Nullable Double score, @Nullable String definition,
			@Nullable String meta, @Nullable String extras, RedBeatJson codec) {
		EntryExtras decodedExtras = EntryExtras.read(extras, codec);
		if (definition == null) {
			return new StoredEntry(key, name, score, null, meta, extras, null, null, decodedExtras, null,
					"the entry's hash has no definition");
		}
		try {
			RedBeatJson.Definition decoded = codec.readDefinition(definition);
			RedBeatJson.Meta decodedMeta = codec.readMeta(meta);
			return new StoredEntry(key, name, score, definition, meta, extras, decoded, decodedMeta, decodedExtras,
					schedule(decoded.schedule(), decodedExtras), null);
		}
		catch (RuntimeException ex) {
			return new StoredEntry(key, name, score, definition, meta, extras, null, null, decodedExtras, null,
					String.valueOf(ex.getMessage()));
		}
	}

	/**
	 * The stored crontab, shown in the cron text it was given when that still means the
	 * same times (another writer may have changed it since).
	 */
	private static Schedule schedule(Schedule stored, EntryExtras extras) {
		if (stored instanceof CrontabSchedule crontab && extras.expression() != null) {
			try {
				CrontabSchedule given = CrontabSchedule.parse(extras.expression());
				if (given.sameTimes(crontab) && given.stored().equals(crontab.stored())) {
					return given;
				}
			}
			catch (IllegalArgumentException ex) {
				// The stored crontab is what counts.
			}
		}
		return stored;
	}

	/**
	 * Return the hash's key, the schedule's member.
	 * @return the hash's key, the schedule's member
	 */
	public String key() {
		return this.key;
	}

	/**
	 * Return the entry's name (from the key, whatever the definition says).
	 * @return the entry's name (from the key, whatever the definition says)
	 */
	public String name() {
		return this.name;
	}

	@Nullable Double score() {
		return this.score;
	}

	@Nullable String rawDefinition() {
		return this.rawDefinition;
	}

	@Nullable String rawMeta() {
		return this.rawMeta;
	}

	@Nullable String rawExtras() {
		return this.rawExtras;
	}

	RedBeatJson.@Nullable Definition definition() {
		return this.definition;
	}

	RedBeatJson.@Nullable Meta meta() {
		return this.meta;
	}

	EntryExtras extras() {
		return this.extras;
	}

	/**
	 * Return why the beat leaves the entry alone, or {@code null} if it can fire it.
	 * @return why the beat leaves the entry alone, or {@code null} if it can fire it
	 */
	public @Nullable String problem() {
		return this.problem;
	}

	/**
	 * Return whether the definition names the entry differently than its key.
	 * @return whether the definition names the entry differently than its key
	 */
	boolean isMisnamed() {
		return this.definition != null && !this.definition.name().equals(this.name);
	}

	/**
	 * Return the schedule.
	 * @return the schedule
	 * @throws IllegalStateException if the entry cannot be read
	 */
	Schedule schedule() {
		if (this.schedule == null) {
			throw new IllegalStateException("Entry " + this.name + " cannot be read: " + this.problem);
		}
		return this.schedule;
	}

	/**
	 * Return whether the entry fires (readable and enabled).
	 * @return whether the entry fires (readable and enabled)
	 */
	boolean isEnabled() {
		return this.definition != null && this.definition.enabled();
	}

	/**
	 * The zone the entry's schedule is evaluated in: the Java beat's record of it, else
	 * that of {@code last_run_at} (as Python does), else the beat's.
	 * @param defaultZone the beat's zone
	 * @return the zone
	 */
	ZoneId zone(ZoneId defaultZone) {
		if (this.extras.zone() != null) {
			return this.extras.zone();
		}
		if (this.meta != null && this.meta.lastRunAt() != null) {
			return this.meta.lastRunAt().getZone();
		}
		return defaultZone;
	}

	/**
	 * Return the last run in the entry's zone, or {@code null} if it never ran.
	 * @param defaultZone the beat's zone
	 * @return the last run
	 */
	@Nullable ZonedDateTime lastRunAt(ZoneId defaultZone) {
		ZonedDateTime last = (this.meta != null) ? this.meta.lastRunAt() : null;
		return (last != null) ? last.withZoneSameInstant(zone(defaultZone)) : null;
	}

	/**
	 * Return whether the stored last run carries another zone than the one the Java beat
	 * evaluates the entry in (a Python beat fired it in its app's zone).
	 * @param defaultZone the beat's zone
	 * @return whether the zones differ
	 */
	boolean hasForeignZone(ZoneId defaultZone) {
		ZonedDateTime last = (this.meta != null) ? this.meta.lastRunAt() : null;
		return last != null && this.extras.zone() != null && !last.getZone().equals(this.extras.zone());
	}

	/**
	 * The entry as a {@link PeriodicTask}: options a send does not take are left out.
	 * @param defaultZone the beat's zone
	 * @return the entry, or {@code null} when it cannot be read
	 */
	@Nullable PeriodicTask toTask(ZoneId defaultZone) {
		RedBeatJson.Definition definition = this.definition;
		if (definition == null || this.schedule == null) {
			return null;
		}
		PeriodicTask.Builder builder = PeriodicTask.builder(this.name, definition.task())
			.args(definition.args())
			.kwargs(definition.kwargs())
			.schedule(this.schedule)
			.enabled(definition.enabled())
			.missedRuns(this.extras.missedRuns())
			.missedRunLimit(this.extras.missedRunLimit());
		ZoneId zone = zone(defaultZone);
		try {
			builder.zone(zone);
		}
		catch (IllegalArgumentException ex) {
			// A fixed offset Python wrote: the entry is evaluated in it, but a task names
			// IANA zones only.
		}
		for (Map.Entry<String, Object> option : definition.options().entrySet()) {
			if (PeriodicTask.OPTIONS.contains(option.getKey())) {
				try {
					builder.option(option.getKey(), option.getValue());
				}
				catch (IllegalArgumentException ex) {
					// Shown without the option the Java API would refuse.
				}
			}
		}
		return builder.build();
	}

}
