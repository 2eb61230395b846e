package dev.taskqueue.beat.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.taskqueue.beat.BeatStatus;
import dev.taskqueue.beat.PeriodicTask;
import dev.taskqueue.beat.PeriodicTasks;
import dev.taskqueue.beat.ScheduledTask;
import org.jspecify.annotations.Nullable;

/**
 * {@link PeriodicTasks} on the Redis schedule: writes as RedBeat's {@code save()} and
 * {@code delete()} do (any application may, without the lock), and wakes this
 * application's beat so a change it can fire takes effect at once.
 */
public class DefaultPeriodicTasks implements PeriodicTasks {

	private static final int ATTEMPTS = 5;

	private final RedBeatStore store;

	private final @Nullable Beat beat;

	private final ZoneId defaultZone;

	private final Clock clock;

	/**
	 * Create the API.
	 * @param store the schedule
	 * @param beat this application's beat, or {@code null} when it runs none
	 * @param defaultZone the zone of entries that name none
	 * @param clock the clock new entries are stamped with
	 */
	public DefaultPeriodicTasks(RedBeatStore store, @Nullable Beat beat, ZoneId defaultZone, Clock clock) {
		this.store = store;
		this.beat = beat;
		this.defaultZone = defaultZone;
		this.clock = clock;
	}

	@Override
	public void add(PeriodicTask task) {
		Instant now = this.clock.instant();
		SchedulePoint point = point(task, null, now);
		EntryExtras extras = EntryExtras.of(task, ScheduledTask.Origin.API);
		if (!this.store.add(task.getName(), definition(task, task.isEnabled()),
				this.store.codec().writeMeta(point.newLastRunAt(), null), extras.write(this.store.codec()),
				point.score())) {
			throw new IllegalStateException("Periodic task '" + task.getName() + "' exists; replace it instead");
		}
		wakeUp();
	}

	@Override
	public void replace(PeriodicTask task) {
		StoredEntry existing = existing(task.getName());
		refuseStatic(existing, "replaced");
		SchedulePoint point = point(task, existing, this.clock.instant());
		EntryExtras extras = EntryExtras.of(task, existing.extras().origin() == ScheduledTask.Origin.OTHER
				? ScheduledTask.Origin.OTHER : ScheduledTask.Origin.API);
		if (!this.store.save(task.getName(), definition(task, task.isEnabled()),
				this.store.codec().writeMeta(point.newLastRunAt(), null), extras.write(this.store.codec()),
				point.score(), true)) {
			throw new IllegalStateException("Periodic task '" + task.getName() + "' was removed meanwhile");
		}
		wakeUp();
	}

	@Override
	public boolean remove(String name) {
		StoredEntry existing = this.store.get(name);
		if (existing == null) {
			return false;
		}
		refuseStatic(existing, "removed");
		boolean removed = this.store.delete(name, false);
		wakeUp();
		return removed;
	}

	@Override
	public void enable(String name) {
		setEnabled(name, true);
	}

	@Override
	public void disable(String name) {
		setEnabled(name, false);
	}

	private void setEnabled(String name, boolean enabled) {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			StoredEntry existing = readable(name);
			Map<String, @Nullable Object> definition = this.store.codec()
				.object(existing.rawDefinition(), "definition");
			definition.put("enabled", enabled);
			EntryExtras extras = existing.extras().isStatic() ? existing.extras().withEnabledOverride(enabled) : null;
			Double score = null;
			if (enabled) {
				PeriodicTask task = existing.toTask(this.defaultZone);
				if (task != null) {
					score = point(task, existing, this.clock.instant()).score();
				}
			}
			if (this.store.update(existing, "definition", this.store.codec().write(definition),
					(extras != null) ? extras.write(this.store.codec()) : null, score)) {
				wakeUp();
				return;
			}
		}
		throw new IllegalStateException("Periodic task '" + name + "' kept changing; try again");
	}

	@Override
	public void runNow(String name) {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			StoredEntry existing = readable(name);
			if (!existing.isEnabled()) {
				throw new IllegalStateException("Periodic task '" + name + "' is disabled; enable it to run it");
			}
			RedBeatJson.Meta meta = existing.meta();
			// As RedBeat's docs: no last run and a score of now make it due at once.
			String runNow = this.store.codec().writeMeta(null, (meta != null) ? meta.totalRunCount() : 0L);
			if (this.store.update(existing, "meta", runNow, null, (double) this.clock.instant().getEpochSecond())) {
				wakeUp();
				return;
			}
		}
		throw new IllegalStateException("Periodic task '" + name + "' kept changing; try again");
	}

	@Override
	public List<ScheduledTask> list() {
		List<ScheduledTask> tasks = new ArrayList<>();
		for (StoredEntry entry : this.store.all()) {
			tasks.add(describe(entry));
		}
		tasks.sort(Comparator.comparing(ScheduledTask::name));
		return tasks;
	}

	@Override
	public Optional<ScheduledTask> get(String name) {
		StoredEntry entry = this.store.get(name);
		return (entry != null) ? Optional.of(describe(entry)) : Optional.empty();
	}

	@Override
	public BeatStatus status() {
		if (this.beat != null) {
			return this.beat.status();
		}
		String holder;
		try {
			holder = this.store.lockHolder();
		}
		catch (RuntimeException ex) {
			holder = null;
		}
		return new BeatStatus(BeatStatus.State.STOPPED, null, holder, null, null);
	}

	private ScheduledTask describe(StoredEntry entry) {
		PeriodicTask task = entry.toTask(this.defaultZone);
		RedBeatJson.Meta meta = entry.meta();
		ZonedDateTime last = (task != null) ? entry.lastRunAt(this.defaultZone) : null;
		Instant next = null;
		if (task != null && task.isEnabled()) {
			if (last == null) {
				Double score = entry.score();
				next = (score != null && score >= 0) ? Instant.ofEpochSecond(score.longValue()) : null;
			}
			else {
				ZonedDateTime following = task.getSchedule().next(last);
				next = (following != null) ? following.toInstant() : null;
			}
		}
		return new ScheduledTask(entry.name(), task, (task != null) ? entry.zone(this.defaultZone) : null, next, last,
				(meta != null) ? meta.totalRunCount() : 0, entry.extras().origin(), entry.problem());
	}

	private SchedulePoint point(PeriodicTask task, @Nullable StoredEntry existing, Instant now) {
		ZoneId zone = (task.getZone() != null) ? task.getZone() : this.defaultZone;
		if (task.getSchedule().next(now.atZone(zone)) == null) {
			throw new IllegalArgumentException(
					"Periodic task '" + task.getName() + "' never runs: " + task.getSchedule().describe());
		}
		return SchedulePoint.of(task, existing, this.defaultZone, now);
	}

	private String definition(PeriodicTask task, boolean enabled) {
		return this.store.codec()
			.writeDefinition(task.getName(), task.getTask(), task.getArgs(), task.getKwargs(), task.getOptions(),
					task.getSchedule(), enabled);
	}

	private StoredEntry existing(String name) {
		StoredEntry existing = this.store.get(name);
		if (existing == null) {
			throw new IllegalStateException("There is no periodic task '" + name + "'");
		}
		return existing;
	}

	private StoredEntry readable(String name) {
		StoredEntry existing = existing(name);
		if (existing.problem() != null || existing.rawDefinition() == null) {
			throw new IllegalStateException(
					"Periodic task '" + name + "' cannot be read, so it is left alone: " + existing.problem());
		}
		return existing;
	}

	private static void refuseStatic(StoredEntry existing, String what) {
		if (existing.extras().isStatic()) {
			throw new IllegalStateException("Periodic task '" + existing.name() + "' is defined by the application's "
					+ ((existing.extras().origin() == ScheduledTask.Origin.ANNOTATION) ? "@Periodic annotation"
							: "taskqueue.beat.schedule configuration")
					+ "; it cannot be " + what + " at runtime (change it there; enable, disable and run now work)");
		}
	}

	private void wakeUp() {
		if (this.beat != null) {
			this.beat.wakeUp();
		}
	}

}
