package dev.taskqueue.beat;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One periodic task: which task to send, with which arguments and options, on which
 * schedule (Celery's beat entry). Build it with {@link #builder(String, String)}:
 * <pre class="code">
 * PeriodicTask report = PeriodicTask.builder("daily-report", "reports.daily")
 *     .schedule(Schedule.cron("0 30 9 * * MON-FRI"))
 *     .zone(ZoneId.of("Europe/Berlin"))
 *     .kwarg("kind", "weekday")
 *     .queue("reports")
 *     .build();
 * </pre> Options are kept under Celery's names ({@code queue}, {@code routing_key},
 * {@code expires}, ...), as Python's RedBeat stores and sends them.
 */
public final class PeriodicTask {

	/**
	 * The send options an entry may carry, by Celery's name: what {@code apply_async}
	 * takes and {@link dev.taskqueue.client.TaskRequest} sends.
	 */
	public static final Set<String> OPTIONS = Set.of("queue", "routing_key", "exchange", "priority", "expires",
			"countdown", "headers", "serializer", "compression", "ignore_result", "time_limit", "soft_time_limit");

	/**
	 * IANA zone ids, read once: {@code ZoneId.getAvailableZoneIds()} copies them on every
	 * call.
	 */
	private static final Set<String> IANA_ZONES = ZoneId.getAvailableZoneIds();

	/** How many missed runs {@link MissedRunPolicy#ALL} fires by default. */
	public static final int DEFAULT_MISSED_RUN_LIMIT = 10;

	private final String name;

	private final String task;

	private final List<@Nullable Object> args;

	private final Map<String, @Nullable Object> kwargs;

	private final Map<String, Object> options;

	private final Schedule schedule;

	private final @Nullable ZoneId zone;

	private final boolean enabled;

	private final MissedRunPolicy missedRuns;

	private final int missedRunLimit;

	private PeriodicTask(Builder builder) {
		this.name = builder.name;
		this.task = builder.task;
		this.args = Collections.unmodifiableList(new ArrayList<>(builder.args));
		this.kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(builder.kwargs));
		this.options = Collections.unmodifiableMap(new LinkedHashMap<>(builder.options));
		this.schedule = Objects.requireNonNull(builder.schedule);
		this.zone = builder.zone;
		this.enabled = builder.enabled;
		this.missedRuns = builder.missedRuns;
		this.missedRunLimit = builder.missedRunLimit;
	}

	/**
	 * Start an entry.
	 * @param name the entry's name, unique in the schedule (it must not start with
	 * {@code :}, which RedBeat's own keys use)
	 * @param task the name of the task to send
	 * @return a builder
	 */
	public static Builder builder(String name, String task) {
		return new Builder(name, task);
	}

	/**
	 * Return a builder with everything this entry says, to change some of it.
	 * @return a builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder(this.name, this.task).args(this.args)
			.kwargs(this.kwargs)
			.schedule(this.schedule)
			.enabled(this.enabled)
			.missedRuns(this.missedRuns)
			.missedRunLimit(this.missedRunLimit);
		builder.zone = this.zone;
		builder.options.putAll(this.options);
		return builder;
	}

	/**
	 * Return the entry's name.
	 * @return the entry's name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * Return the name of the task sent.
	 * @return the name of the task sent
	 */
	public String getTask() {
		return this.task;
	}

	/**
	 * Return the positional arguments.
	 * @return the positional arguments
	 */
	public List<@Nullable Object> getArgs() {
		return this.args;
	}

	/**
	 * Return the keyword arguments.
	 * @return the keyword arguments
	 */
	public Map<String, @Nullable Object> getKwargs() {
		return this.kwargs;
	}

	/**
	 * Return the send options by Celery's name (numbers of seconds for durations).
	 * @return the send options by Celery's name (numbers of seconds for durations)
	 */
	public Map<String, Object> getOptions() {
		return this.options;
	}

	/**
	 * Return the schedule.
	 * @return the schedule
	 */
	public Schedule getSchedule() {
		return this.schedule;
	}

	/**
	 * Return the zone the schedule is evaluated in, or {@code null} for the beat's.
	 * @return the zone the schedule is evaluated in, or {@code null} for the beat's
	 */
	public @Nullable ZoneId getZone() {
		return this.zone;
	}

	/**
	 * Return whether the entry fires.
	 * @return whether the entry fires
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Return what the entry does about missed runs.
	 * @return what the entry does about missed runs
	 */
	public MissedRunPolicy getMissedRuns() {
		return this.missedRuns;
	}

	/**
	 * Return how many missed runs {@link MissedRunPolicy#ALL} fires at most.
	 * @return how many missed runs {@link MissedRunPolicy#ALL} fires at most
	 */
	public int getMissedRunLimit() {
		return this.missedRunLimit;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof PeriodicTask that && this.name.equals(that.name)
				&& this.task.equals(that.task) && this.args.equals(that.args) && this.kwargs.equals(that.kwargs)
				&& this.options.equals(that.options) && this.schedule.equals(that.schedule)
				&& Objects.equals(this.zone, that.zone) && this.enabled == that.enabled
				&& this.missedRuns == that.missedRuns && this.missedRunLimit == that.missedRunLimit);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.name, this.task, this.schedule);
	}

	@Override
	public String toString() {
		return "PeriodicTask[" + this.name + ": " + this.task + " " + this.schedule.describe()
				+ ((this.zone != null) ? " " + this.zone : "") + (this.enabled ? "" : " disabled") + "]";
	}

	/**
	 * Builds a {@link PeriodicTask}.
	 */
	public static final class Builder {

		private final String name;

		private final String task;

		private List<@Nullable Object> args = new ArrayList<>();

		private final Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();

		private final Map<String, Object> options = new LinkedHashMap<>();

		private @Nullable Schedule schedule;

		private @Nullable ZoneId zone;

		private boolean enabled = true;

		private MissedRunPolicy missedRuns = MissedRunPolicy.ONCE;

		private int missedRunLimit = DEFAULT_MISSED_RUN_LIMIT;

		private Builder(String name, String task) {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("A periodic task needs a name");
			}
			if (name.startsWith(":")) {
				throw new IllegalArgumentException("Periodic task name '" + name
						+ "' must not start with ':' (RedBeat's own keys ':schedule', ':statics' and ':lock' do)");
			}
			if (task == null || task.isBlank()) {
				throw new IllegalArgumentException("Periodic task '" + name + "' needs the name of a task to send");
			}
			this.name = name;
			this.task = task;
		}

		/**
		 * Set the schedule.
		 * @param schedule the schedule
		 * @return this builder
		 */
		public Builder schedule(Schedule schedule) {
			this.schedule = Objects.requireNonNull(schedule, "schedule");
			return this;
		}

		/**
		 * Evaluate the schedule in this zone instead of the beat's
		 * ({@code taskqueue.beat.zone}).
		 * @param zone an IANA zone, such as {@code Europe/Berlin}
		 * @return this builder
		 * @throws IllegalArgumentException if the zone is a fixed offset other than UTC,
		 * which Python cannot read back
		 */
		public Builder zone(@Nullable ZoneId zone) {
			this.zone = (zone != null) ? iana(zone) : null;
			return this;
		}

		/**
		 * Set the positional arguments.
		 * @param args the arguments
		 * @return this builder
		 */
		public Builder args(@Nullable Object... args) {
			this.args = new ArrayList<>(Arrays.asList(args));
			return this;
		}

		/**
		 * Set the positional arguments.
		 * @param args the arguments
		 * @return this builder
		 */
		public Builder args(List<?> args) {
			this.args = new ArrayList<>(args);
			return this;
		}

		/**
		 * Add a keyword argument.
		 * @param name the parameter name
		 * @param value the value
		 * @return this builder
		 */
		public Builder kwarg(String name, @Nullable Object value) {
			this.kwargs.put(Objects.requireNonNull(name, "name"), value);
			return this;
		}

		/**
		 * Add keyword arguments.
		 * @param kwargs the arguments by parameter name
		 * @return this builder
		 */
		public Builder kwargs(Map<String, ?> kwargs) {
			this.kwargs.putAll(kwargs);
			return this;
		}

		/**
		 * Send to this queue.
		 * @param queue the queue
		 * @return this builder
		 */
		public Builder queue(String queue) {
			return option("queue", queue);
		}

		/**
		 * Publish with this routing key.
		 * @param routingKey the routing key
		 * @return this builder
		 */
		public Builder routingKey(String routingKey) {
			return option("routing_key", routingKey);
		}

		/**
		 * Publish to this exchange.
		 * @param exchange the exchange
		 * @return this builder
		 */
		public Builder exchange(String exchange) {
			return option("exchange", exchange);
		}

		/**
		 * Send with this priority (0-255).
		 * @param priority the priority
		 * @return this builder
		 */
		public Builder priority(int priority) {
			return option("priority", priority);
		}

		/**
		 * Let each run expire this long after it is sent.
		 * @param expires the time to live
		 * @return this builder
		 */
		public Builder expires(Duration expires) {
			return option("expires", seconds(expires, "expires"));
		}

		/**
		 * Let each run start no sooner than this long after it is sent.
		 * @param countdown the delay
		 * @return this builder
		 */
		public Builder countdown(Duration countdown) {
			return option("countdown", seconds(countdown, "countdown"));
		}

		/**
		 * Add a message header.
		 * @param name the header name
		 * @param value the value
		 * @return this builder
		 */
		@SuppressWarnings("unchecked")
		public Builder header(String name, Object value) {
			Map<String, Object> headers = (Map<String, Object>) this.options.computeIfAbsent("headers",
					(key) -> new LinkedHashMap<String, Object>());
			headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
			return this;
		}

		/**
		 * Set a send option by Celery's name (one of {@link PeriodicTask#OPTIONS});
		 * durations are numbers of seconds.
		 * @param name the option's name
		 * @param value its value
		 * @return this builder
		 * @throws IllegalArgumentException if the option is not one a send takes
		 */
		public Builder option(String name, Object value) {
			if (!OPTIONS.contains(name)) {
				throw new IllegalArgumentException("Periodic task '" + this.name + "': unknown option '" + name
						+ "'; use one of " + new java.util.TreeSet<>(OPTIONS));
			}
			if ("priority".equals(name) && (!(value instanceof Integer priority) || priority < 0 || priority > 255)) {
				throw new IllegalArgumentException(
						"Periodic task '" + this.name + "': priority must be between 0 and 255, got " + value);
			}
			this.options.put(name, (value instanceof Map<?, ?> map) ? new LinkedHashMap<>(map) : value);
			return this;
		}

		/**
		 * Set whether the entry fires (default {@code true}).
		 * @param enabled whether the entry fires
		 * @return this builder
		 */
		public Builder enabled(boolean enabled) {
			this.enabled = enabled;
			return this;
		}

		/**
		 * Set what the entry does about missed runs (default
		 * {@link MissedRunPolicy#ONCE}).
		 * @param missedRuns the policy
		 * @return this builder
		 */
		public Builder missedRuns(MissedRunPolicy missedRuns) {
			this.missedRuns = Objects.requireNonNull(missedRuns, "missedRuns");
			return this;
		}

		/**
		 * Set how many missed runs {@link MissedRunPolicy#ALL} fires at most (default
		 * {@value PeriodicTask#DEFAULT_MISSED_RUN_LIMIT}).
		 * @param missedRunLimit the limit, at least 1
		 * @return this builder
		 */
		public Builder missedRunLimit(int missedRunLimit) {
			if (missedRunLimit < 1) {
				throw new IllegalArgumentException("Periodic task '" + this.name
						+ "': missed-run limit must be at least 1, got " + missedRunLimit);
			}
			this.missedRunLimit = missedRunLimit;
			return this;
		}

		/**
		 * Return the entry.
		 * @return the entry
		 * @throws IllegalArgumentException if no schedule was set
		 */
		public PeriodicTask build() {
			if (this.schedule == null) {
				throw new IllegalArgumentException("Periodic task '" + this.name + "' needs a schedule");
			}
			return new PeriodicTask(this);
		}

		private Number seconds(Duration duration, String option) {
			if (duration.isNegative()) {
				throw new IllegalArgumentException(
						"Periodic task '" + this.name + "': " + option + " must not be negative, got " + duration);
			}
			if (duration.getNano() == 0) {
				return duration.getSeconds();
			}
			return duration.toNanos() / 1_000_000_000d;
		}

		private static ZoneId iana(ZoneId zone) {
			if (ZoneOffset.UTC.equals(zone)) {
				return ZoneId.of("UTC");
			}
			if (zone instanceof ZoneOffset || !IANA_ZONES.contains(zone.getId())) {
				throw new IllegalArgumentException("Zone '" + zone + "' is not an IANA zone: use one such as "
						+ "'Europe/Berlin' or 'Etc/GMT-2', which Python's zoneinfo can read too");
			}
			return zone;
		}

	}

}
