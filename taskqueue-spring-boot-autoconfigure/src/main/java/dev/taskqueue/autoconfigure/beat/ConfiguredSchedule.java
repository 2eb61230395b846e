package dev.taskqueue.autoconfigure.beat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.taskqueue.beat.PeriodicTask;
import dev.taskqueue.beat.Schedule;
import dev.taskqueue.beat.ScheduledTask;
import dev.taskqueue.beat.internal.StaticTask;
import org.jspecify.annotations.Nullable;

/**
 * The entries of {@code taskqueue.beat.schedule}, checked when the application starts
 * (whether it runs a beat or not): each problem stops it with a message that names the
 * property.
 */
final class ConfiguredSchedule {

	private static final String SCHEDULE = "taskqueue.beat.schedule";

	private final List<StaticTask> tasks;

	/**
	 * Read the configured entries.
	 * @param properties the properties
	 * @throws IllegalStateException naming the property that is wrong
	 */
	ConfiguredSchedule(TaskQueueBeatProperties properties) {
		List<StaticTask> tasks = new ArrayList<>();
		properties.getSchedule()
			.forEach((name, entry) -> tasks
				.add(new StaticTask(entry(name, entry), ScheduledTask.Origin.CONFIGURATION, property(name, "*"))));
		this.tasks = List.copyOf(tasks);
	}

	/**
	 * Return the entries, in their order.
	 * @return the entries, in their order
	 */
	List<StaticTask> tasks() {
		return this.tasks;
	}

	private static PeriodicTask entry(String name, TaskQueueBeatProperties.Entry entry) {
		if (entry.getTask() == null || entry.getTask().isBlank()) {
			throw new IllegalStateException(property(name, "task") + " must name the task to send");
		}
		PeriodicTask.Builder builder;
		try {
			builder = PeriodicTask.builder(name, entry.getTask());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(property(name, "*") + ": " + ex.getMessage(), ex);
		}
		builder.schedule(schedule(name, entry))
			.args(entry.getArgs())
			.kwargs(entry.getKwargs())
			.enabled(entry.isEnabled())
			.missedRuns(entry.getMissedRuns());
		apply(name, "missed-runs-limit", () -> builder.missedRunLimit(entry.getMissedRunsLimit()));
		apply(name, "zone", () -> builder.zone(entry.getZone()));
		options(name, entry.getOptions(), builder);
		PeriodicTask task = builder.build();
		ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
		if (task.getSchedule().next(now) == null) {
			throw new IllegalStateException(property(name, scheduleProperty(entry)) + " never runs");
		}
		return task;
	}

	private static Schedule schedule(String name, TaskQueueBeatProperties.Entry entry) {
		int given = ((entry.getCron() != null) ? 1 : 0) + ((entry.getCrontab() != null) ? 1 : 0)
				+ ((entry.getEvery() != null) ? 1 : 0);
		if (given != 1) {
			throw new IllegalStateException(property(name, "*") + " needs exactly one of cron, crontab and every"
					+ ((given == 0) ? "" : ", not " + given));
		}
		String property = property(name, scheduleProperty(entry));
		try {
			if (entry.getCron() != null) {
				return Schedule.cron(entry.getCron());
			}
			TaskQueueBeatProperties.Crontab crontab = entry.getCrontab();
			if (crontab != null) {
				return Schedule.crontab(crontab.getMinute(), crontab.getHour(), crontab.getDayOfWeek(),
						crontab.getDayOfMonth(), crontab.getMonthOfYear());
			}
			return Schedule.every(Objects.requireNonNull(entry.getEvery()), entry.isRelative());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(property + ": " + ex.getMessage(), ex);
		}
	}

	private static String scheduleProperty(TaskQueueBeatProperties.Entry entry) {
		return (entry.getCron() != null) ? "cron" : (entry.getCrontab() != null) ? "crontab" : "every";
	}

	private static void options(String name, TaskQueueBeatProperties.Options options, PeriodicTask.Builder builder) {
		Map<String, Runnable> given = new LinkedHashMap<>();
		if (options.getQueue() != null) {
			given.put("queue", () -> builder.queue(options.getQueue()));
		}
		if (options.getRoutingKey() != null) {
			given.put("routing-key", () -> builder.routingKey(options.getRoutingKey()));
		}
		if (options.getExchange() != null) {
			given.put("exchange", () -> builder.exchange(options.getExchange()));
		}
		if (options.getPriority() != null) {
			given.put("priority", () -> builder.priority(options.getPriority()));
		}
		if (options.getExpires() != null) {
			given.put("expires", () -> builder.expires(options.getExpires()));
		}
		if (options.getCountdown() != null) {
			given.put("countdown", () -> builder.countdown(options.getCountdown()));
		}
		options.getHeaders().forEach((header, value) -> given.put("headers", () -> builder.header(header, value)));
		if (options.getSerializer() != null) {
			given.put("serializer", () -> builder.option("serializer", options.getSerializer()));
		}
		if (options.getCompression() != null) {
			given.put("compression", () -> builder.option("compression", options.getCompression()));
		}
		if (options.getIgnoreResult() != null) {
			given.put("ignore-result", () -> builder.option("ignore_result", options.getIgnoreResult()));
		}
		if (options.getTimeLimit() != null) {
			given.put("time-limit", () -> builder.option("time_limit", seconds(options.getTimeLimit())));
		}
		if (options.getSoftTimeLimit() != null) {
			given.put("soft-time-limit", () -> builder.option("soft_time_limit", seconds(options.getSoftTimeLimit())));
		}
		given.forEach((option, apply) -> apply(name, "options." + option, apply));
	}

	private static Number seconds(Duration duration) {
		return (duration.getNano() == 0) ? (Number) duration.getSeconds() : duration.toNanos() / 1_000_000_000d;
	}

	private static void apply(String name, String property, Runnable apply) {
		try {
			apply.run();
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(property(name, property) + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * The name of an entry's property as users write it: names that are not a plain
	 * lowercase word go in brackets, or they would not bind to that entry.
	 */
	static String property(String name, @Nullable String property) {
		String element = name.matches("[a-z0-9-]+") ? name : "[" + name + "]";
		return SCHEDULE + "." + element + (("*".equals(property) || property == null) ? "" : "." + property);
	}

}
