package dev.taskqueue.autoconfigure.beat;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.beat.MissedRunPolicy;
import dev.taskqueue.beat.PeriodicTask;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of periodic tasks ({@code taskqueue.beat.*}): the beat, and
 * the entries of the schedule this application defines. The schedule is kept in Redis in
 * Python RedBeat's format. An unknown property under {@code taskqueue.beat} stops the
 * application at start-up.
 */
@ConfigurationProperties(prefix = "taskqueue.beat", ignoreUnknownFields = false)
public class TaskQueueBeatProperties {

	/**
	 * Whether this application runs a beat. Every application that does may fire the
	 * schedule; one at a time holds the lock, the others stand by.
	 */
	private boolean enabled;

	/**
	 * Prefix of the schedule's Redis keys (RedBeat's redbeat_key_prefix, with its
	 * trailing colon). Use the Python beats' prefix to share their schedule and lock; on
	 * Redis Cluster, one with a hash tag, such as '{rb}:'.
	 */
	private String keyPrefix = "redbeat:";

	/**
	 * Key of the lock (RedBeat's redbeat_lock_key); the prefix and ':lock' by default. A
	 * key that does not start with the prefix gets it prepended, as RedBeat does.
	 */
	private @Nullable String lockKey;

	/**
	 * Time to live of the lock, renewed at every tick: a standby takes over within it and
	 * one max-interval after the holder dies. Python beats sharing the lock should use
	 * the same (redbeat_lock_timeout).
	 */
	private Duration lockTimeout = Duration.ofSeconds(30);

	/**
	 * Longest time between two ticks: how soon a runtime change or a standby's retry for
	 * the lock takes effect (Celery's beat_max_loop_interval). Shorter than the lock
	 * timeout.
	 */
	private Duration maxInterval = Duration.ofSeconds(5);

	/**
	 * Zone of entries that name none: their crontabs are evaluated in it and their
	 * last_run_at is written in it (Celery's timezone; use the Python app's).
	 */
	private ZoneId zone = ZoneId.of("UTC");

	/**
	 * How late a run may still be fired by an entry whose missed-runs policy is 'skip'.
	 */
	private Duration missedRunGrace = Duration.ofMinutes(1);

	/**
	 * Which set lists the names of the entries this configuration defines: 'java' (a set
	 * of the Java beats' own; Python beats with other configurations leave them alone) or
	 * 'redbeat' (RedBeat's statics set, for Java and Python beats with the same entries).
	 */
	private StaticsSet staticsSet = StaticsSet.JAVA;

	/**
	 * How many batches of due runs the leader sends at once, each in one pipelined bulk
	 * send.
	 */
	private int publishThreads = 4;

	/**
	 * How many due runs one fencing script advances in Redis and one bulk send then
	 * publishes.
	 */
	private int batchSize = 1000;

	/**
	 * Entries of the schedule by name, written to Redis by whichever beat takes the lock.
	 */
	private Map<String, Entry> schedule = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public @Nullable String getLockKey() {
		return this.lockKey;
	}

	public void setLockKey(@Nullable String lockKey) {
		this.lockKey = lockKey;
	}

	public Duration getLockTimeout() {
		return this.lockTimeout;
	}

	public void setLockTimeout(Duration lockTimeout) {
		this.lockTimeout = lockTimeout;
	}

	public Duration getMaxInterval() {
		return this.maxInterval;
	}

	public void setMaxInterval(Duration maxInterval) {
		this.maxInterval = maxInterval;
	}

	public ZoneId getZone() {
		return this.zone;
	}

	public void setZone(ZoneId zone) {
		this.zone = zone;
	}

	public Duration getMissedRunGrace() {
		return this.missedRunGrace;
	}

	public void setMissedRunGrace(Duration missedRunGrace) {
		this.missedRunGrace = missedRunGrace;
	}

	public StaticsSet getStaticsSet() {
		return this.staticsSet;
	}

	public void setStaticsSet(StaticsSet staticsSet) {
		this.staticsSet = staticsSet;
	}

	public int getPublishThreads() {
		return this.publishThreads;
	}

	public void setPublishThreads(int publishThreads) {
		this.publishThreads = publishThreads;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	public Map<String, Entry> getSchedule() {
		return this.schedule;
	}

	public void setSchedule(Map<String, Entry> schedule) {
		this.schedule = schedule;
	}

	/**
	 * Which set lists the configured entries' names.
	 */
	public enum StaticsSet {

		/** The Java beats' own set, {@code <prefix>:statics:java}. */
		JAVA,

		/** RedBeat's {@code <prefix>:statics}, reconciled by Python beats too. */
		REDBEAT

	}

	/**
	 * One entry of the schedule.
	 */
	public static class Entry {

		/**
		 * Name of the task to send.
		 */
		private @Nullable String task;

		/**
		 * Crontab: Spring's six fields ('0 30 9 * * MON-FRI', seconds 0) or Celery's five
		 * ('30 9 * * mon-fri'). One of cron, crontab and every.
		 */
		private @Nullable String cron;

		/**
		 * Crontab in Celery's fields. One of cron, crontab and every.
		 */
		private @Nullable Crontab crontab;

		/**
		 * Interval between runs. One of cron, crontab and every.
		 */
		private @Nullable Duration every;

		/**
		 * Whether each run of the interval is rounded down to its unit (Celery's
		 * relative=True).
		 */
		private boolean relative;

		/**
		 * Positional arguments.
		 */
		private List<Object> args = new ArrayList<>();

		/**
		 * Keyword arguments.
		 */
		private Map<String, Object> kwargs = new LinkedHashMap<>();

		/**
		 * Send options of every run.
		 */
		private Options options = new Options();

		/**
		 * IANA zone the crontab is evaluated in; taskqueue.beat.zone by default.
		 */
		private @Nullable ZoneId zone;

		/**
		 * Whether the entry fires.
		 */
		private boolean enabled = true;

		/**
		 * What the entry does about runs missed while no beat could fire them: 'once'
		 * (Celery's: one run), 'skip' (wait for the next run) or 'all' (every run, up to
		 * missed-runs-limit).
		 */
		private MissedRunPolicy missedRuns = MissedRunPolicy.ONCE;

		/**
		 * How many missed runs 'all' fires at most (the latest ones).
		 */
		private int missedRunsLimit = PeriodicTask.DEFAULT_MISSED_RUN_LIMIT;

		public @Nullable String getTask() {
			return this.task;
		}

		public void setTask(@Nullable String task) {
			this.task = task;
		}

		public @Nullable String getCron() {
			return this.cron;
		}

		public void setCron(@Nullable String cron) {
			this.cron = cron;
		}

		public @Nullable Crontab getCrontab() {
			return this.crontab;
		}

		public void setCrontab(@Nullable Crontab crontab) {
			this.crontab = crontab;
		}

		public @Nullable Duration getEvery() {
			return this.every;
		}

		public void setEvery(@Nullable Duration every) {
			this.every = every;
		}

		public boolean isRelative() {
			return this.relative;
		}

		public void setRelative(boolean relative) {
			this.relative = relative;
		}

		public List<Object> getArgs() {
			return this.args;
		}

		public void setArgs(List<Object> args) {
			this.args = args;
		}

		public Map<String, Object> getKwargs() {
			return this.kwargs;
		}

		public void setKwargs(Map<String, Object> kwargs) {
			this.kwargs = kwargs;
		}

		public Options getOptions() {
			return this.options;
		}

		public void setOptions(Options options) {
			this.options = options;
		}

		public @Nullable ZoneId getZone() {
			return this.zone;
		}

		public void setZone(@Nullable ZoneId zone) {
			this.zone = zone;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public MissedRunPolicy getMissedRuns() {
			return this.missedRuns;
		}

		public void setMissedRuns(MissedRunPolicy missedRuns) {
			this.missedRuns = missedRuns;
		}

		public int getMissedRunsLimit() {
			return this.missedRunsLimit;
		}

		public void setMissedRunsLimit(int missedRunsLimit) {
			this.missedRunsLimit = missedRunsLimit;
		}

	}

	/**
	 * Celery's crontab fields, each in Celery's syntax.
	 */
	public static class Crontab {

		/**
		 * Minutes.
		 */
		private String minute = "*";

		/**
		 * Hours.
		 */
		private String hour = "*";

		/**
		 * Days of the week (0 or 'sun' is Sunday).
		 */
		private String dayOfWeek = "*";

		/**
		 * Days of the month.
		 */
		private String dayOfMonth = "*";

		/**
		 * Months.
		 */
		private String monthOfYear = "*";

		public String getMinute() {
			return this.minute;
		}

		public void setMinute(String minute) {
			this.minute = minute;
		}

		public String getHour() {
			return this.hour;
		}

		public void setHour(String hour) {
			this.hour = hour;
		}

		public String getDayOfWeek() {
			return this.dayOfWeek;
		}

		public void setDayOfWeek(String dayOfWeek) {
			this.dayOfWeek = dayOfWeek;
		}

		public String getDayOfMonth() {
			return this.dayOfMonth;
		}

		public void setDayOfMonth(String dayOfMonth) {
			this.dayOfMonth = dayOfMonth;
		}

		public String getMonthOfYear() {
			return this.monthOfYear;
		}

		public void setMonthOfYear(String monthOfYear) {
			this.monthOfYear = monthOfYear;
		}

	}

	/**
	 * The send options of an entry's runs (Celery's apply_async options).
	 */
	public static class Options {

		/**
		 * Queue to send to; routed as any send by default.
		 */
		private @Nullable String queue;

		/**
		 * Routing key.
		 */
		private @Nullable String routingKey;

		/**
		 * Exchange.
		 */
		private @Nullable String exchange;

		/**
		 * Message priority, 0-255.
		 */
		private @Nullable Integer priority;

		/**
		 * How long after it is sent a run expires.
		 */
		private @Nullable Duration expires;

		/**
		 * How long after it is sent a run may start.
		 */
		private @Nullable Duration countdown;

		/**
		 * Extra message headers.
		 */
		private Map<String, String> headers = new LinkedHashMap<>();

		/**
		 * Serializer of the runs' messages.
		 */
		private @Nullable String serializer;

		/**
		 * Compression of the runs' messages.
		 */
		private @Nullable String compression;

		/**
		 * Whether the runs' results are not stored.
		 */
		private @Nullable Boolean ignoreResult;

		/**
		 * Hard time limit of a run.
		 */
		private @Nullable Duration timeLimit;

		/**
		 * Soft time limit of a run.
		 */
		private @Nullable Duration softTimeLimit;

		public @Nullable String getQueue() {
			return this.queue;
		}

		public void setQueue(@Nullable String queue) {
			this.queue = queue;
		}

		public @Nullable String getRoutingKey() {
			return this.routingKey;
		}

		public void setRoutingKey(@Nullable String routingKey) {
			this.routingKey = routingKey;
		}

		public @Nullable String getExchange() {
			return this.exchange;
		}

		public void setExchange(@Nullable String exchange) {
			this.exchange = exchange;
		}

		public @Nullable Integer getPriority() {
			return this.priority;
		}

		public void setPriority(@Nullable Integer priority) {
			this.priority = priority;
		}

		public @Nullable Duration getExpires() {
			return this.expires;
		}

		public void setExpires(@Nullable Duration expires) {
			this.expires = expires;
		}

		public @Nullable Duration getCountdown() {
			return this.countdown;
		}

		public void setCountdown(@Nullable Duration countdown) {
			this.countdown = countdown;
		}

		public Map<String, String> getHeaders() {
			return this.headers;
		}

		public void setHeaders(Map<String, String> headers) {
			this.headers = headers;
		}

		public @Nullable String getSerializer() {
			return this.serializer;
		}

		public void setSerializer(@Nullable String serializer) {
			this.serializer = serializer;
		}

		public @Nullable String getCompression() {
			return this.compression;
		}

		public void setCompression(@Nullable String compression) {
			this.compression = compression;
		}

		public @Nullable Boolean getIgnoreResult() {
			return this.ignoreResult;
		}

		public void setIgnoreResult(@Nullable Boolean ignoreResult) {
			this.ignoreResult = ignoreResult;
		}

		public @Nullable Duration getTimeLimit() {
			return this.timeLimit;
		}

		public void setTimeLimit(@Nullable Duration timeLimit) {
			this.timeLimit = timeLimit;
		}

		public @Nullable Duration getSoftTimeLimit() {
			return this.softTimeLimit;
		}

		public void setSoftTimeLimit(@Nullable Duration softTimeLimit) {
			this.softTimeLimit = softTimeLimit;
		}

	}

}
