package dev.taskqueue.beat.internal;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.taskqueue.beat.MissedRunPolicy;
import dev.taskqueue.beat.PeriodicTask;
import dev.taskqueue.beat.ScheduledTask;
import org.jspecify.annotations.Nullable;

/**
 * What the Java beat keeps about an entry beyond RedBeat's fields, in a third field of
 * the entry's hash ({@value #FIELD}), which Python's RedBeat ignores, keeps on
 * {@code save()} and deletes with the hash: the zone the schedule is evaluated in (Python
 * follows the zone of {@code last_run_at}, and writes its own), the missed-run policy,
 * who defined the entry, the cron text it was given, and an enabled flag set at runtime
 * on a configured entry.
 *
 * @param zone the zone, or {@code null}
 * @param missedRuns the missed-run policy
 * @param missedRunLimit the limit of {@link MissedRunPolicy#ALL}
 * @param origin who defined the entry
 * @param expression the cron expression it was given, or {@code null}
 * @param enabledOverride enabled or disabled at runtime, over the configuration, or
 * {@code null}
 */
public record EntryExtras(@Nullable ZoneId zone, MissedRunPolicy missedRuns, int missedRunLimit,
		ScheduledTask.Origin origin, @Nullable String expression, @Nullable Boolean enabledOverride) {

	/** The hash field. */
	public static final String FIELD = "x-taskqueue";

	/** What an entry another writer created has. */
	static final EntryExtras NONE = new EntryExtras(null, MissedRunPolicy.ONCE, PeriodicTask.DEFAULT_MISSED_RUN_LIMIT,
			ScheduledTask.Origin.OTHER, null, null);

	/**
	 * The extras of an entry.
	 * @param task the entry
	 * @param origin who defines it
	 * @return the extras
	 */
	static EntryExtras of(PeriodicTask task, ScheduledTask.Origin origin) {
		return new EntryExtras(task.getZone(), task.getMissedRuns(), task.getMissedRunLimit(), origin,
				(task.getSchedule() instanceof CrontabSchedule crontab) ? crontab.getExpression() : null, null);
	}

	/**
	 * Return whether the configuration defines the entry.
	 * @return whether the configuration defines the entry
	 */
	boolean isStatic() {
		return this.origin == ScheduledTask.Origin.CONFIGURATION || this.origin == ScheduledTask.Origin.ANNOTATION;
	}

	EntryExtras withEnabledOverride(@Nullable Boolean enabled) {
		return new EntryExtras(this.zone, this.missedRuns, this.missedRunLimit, this.origin, this.expression, enabled);
	}

	/**
	 * Read the field; what cannot be read counts as absent.
	 * @param json the field, or {@code null}
	 * @param codec the codec
	 * @return the extras
	 */
	static EntryExtras read(@Nullable String json, RedBeatJson codec) {
		if (json == null) {
			return NONE;
		}
		try {
			Map<String, @Nullable Object> map = codec.object(json, FIELD);
			Object zone = map.get("zone");
			Object policy = map.get("missed_runs");
			Object limit = map.get("missed_runs_limit");
			Object origin = map.get("origin");
			Object expression = map.get("cron");
			Object enabled = map.get("enabled");
			return new EntryExtras((zone instanceof String id) ? ZoneId.of(id) : null,
					(policy instanceof String name) ? MissedRunPolicy.valueOf(name.toUpperCase(Locale.ROOT))
							: MissedRunPolicy.ONCE,
					(limit instanceof Number number) ? Math.max(1, number.intValue())
							: PeriodicTask.DEFAULT_MISSED_RUN_LIMIT,
					(origin instanceof String name) ? ScheduledTask.Origin.valueOf(name.toUpperCase(Locale.ROOT))
							: ScheduledTask.Origin.OTHER,
					(expression instanceof String text) ? text : null, (enabled instanceof Boolean flag) ? flag : null);
		}
		catch (RuntimeException ex) {
			return NONE;
		}
	}

	/**
	 * Write the field.
	 * @param codec the codec
	 * @return the JSON
	 */
	String write(RedBeatJson codec) {
		Map<String, Object> map = new LinkedHashMap<>();
		if (this.zone != null) {
			map.put("zone", this.zone.getId());
		}
		map.put("missed_runs", this.missedRuns.name().toLowerCase(Locale.ROOT));
		map.put("missed_runs_limit", this.missedRunLimit);
		map.put("origin", this.origin.name().toLowerCase(Locale.ROOT));
		if (this.expression != null) {
			map.put("cron", this.expression);
		}
		if (this.enabledOverride != null) {
			map.put("enabled", this.enabledOverride);
		}
		return codec.write(map);
	}

}
