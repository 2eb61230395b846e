package dev.taskqueue.beat.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.beat.PeriodicTask;
import dev.taskqueue.beat.ScheduledTask;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Writes the configuration's entries to the schedule as RedBeat's {@code setup_schedule}
 * does: entries whose names the statics set holds but the configuration no longer defines
 * are deleted, configured ones get their definition written and keep their meta (when
 * they last ran) and a disable made at runtime. The beat runs it only while it holds the
 * lock, so a standby with another configuration changes nothing.
 */
final class StaticsReconciler {

	private static final Log logger = LogFactory.getLog(StaticsReconciler.class);

	private final RedBeatStore store;

	private final ZoneId defaultZone;

	StaticsReconciler(RedBeatStore store, ZoneId defaultZone) {
		this.store = store;
		this.defaultZone = defaultZone;
	}

	/**
	 * Reconcile the schedule with the configuration.
	 * @param configured the configured entries
	 * @param now the time new entries are stamped with
	 */
	void reconcile(List<StaticTask> configured, Instant now) {
		Map<String, StaticTask> byName = new LinkedHashMap<>();
		configured.forEach((task) -> byName.put(task.task().getName(), task));
		for (String name : this.store.statics()) {
			if (!byName.containsKey(name)) {
				this.store.delete(name, true);
				logger.info("Periodic task " + name + " is no longer configured; removed it from the schedule");
			}
		}
		for (StaticTask task : byName.values()) {
			save(task.task(), task.origin(), now);
		}
		this.store.addStatics(byName.keySet());
		if (!byName.isEmpty()) {
			logger.info("Configured periodic tasks in " + this.store.keys().schedule() + ": " + byName.keySet());
		}
	}

	private void save(PeriodicTask task, ScheduledTask.Origin origin, Instant now) {
		StoredEntry existing = this.store.get(task.getName());
		Boolean override = (existing != null && existing.extras().isStatic()) ? existing.extras().enabledOverride()
				: null;
		boolean enabled = (override != null) ? override : task.isEnabled();
		EntryExtras extras = EntryExtras.of(task, origin).withEnabledOverride(override);
		SchedulePoint point = SchedulePoint.of(task, existing, this.defaultZone, now);
		String definition = this.store.codec()
			.writeDefinition(task.getName(), task.getTask(), task.getArgs(), task.getKwargs(), task.getOptions(),
					task.getSchedule(), enabled);
		this.store.save(task.getName(), definition, this.store.codec().writeMeta(point.newLastRunAt(), null),
				extras.write(this.store.codec()), point.score(), false);
	}

}
