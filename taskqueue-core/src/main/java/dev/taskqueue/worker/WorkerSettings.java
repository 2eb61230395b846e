package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How a worker runs tasks.
 *
 * @param name the worker's name in results ({@code worker} field) and logs
 * @param queues the queues to consume (Celery's {@code -Q})
 * @param concurrency how many tasks run at once (consumers)
 * @param prefetch how many unacknowledged messages each consumer may hold
 * @param extendedResults whether results carry name, args, kwargs, worker, retries and
 * queue
 * @param storeErrorsEvenIfIgnored whether failures are stored for tasks whose result is
 * ignored
 * @param redeliveryBackoff how long to wait before returning a message to its queue when
 * it could not be finished for a reason outside the task (result store or broker down)
 * @param tasks options by task name, overriding those of the annotations
 * @param timeLimit the hard time limit of tasks that set none (Celery's
 * {@code task_time_limit}), or {@code null} for none
 * @param softTimeLimit the soft time limit of tasks that set none (Celery's
 * {@code task_soft_time_limit}), or {@code null} for none
 * @param maxMessageSize the largest message body accepted, in bytes; larger ones are
 * dead-lettered unread
 * @param queueOptions consumer settings of single queues by name, overriding
 * {@code concurrency} and {@code prefetch} for them: each such queue gets consumers of
 * its own
 * @param fairMargin {@code null} to let each consumer hold {@code prefetch} messages;
 * otherwise fair dispatch: each consumer holds at most its running task plus this many
 * messages, so a long task traps at most that many others behind it
 * @param maxDeliveries how many deliveries of a task may end without it finishing (its
 * worker died, or its outcome could not be stored) before it is dead-lettered as
 * {@code FAILURE} instead of run again ({@code 0} for no limit): stops a task that kills
 * its worker every time from looping forever. Counted in the result backend, so not
 * enforced without one
 * @param shutdownTimeout how long stopping the worker waits for running tasks to finish
 * before their messages are returned to the queue unacknowledged
 * @param heartbeatInterval how often the worker writes its heartbeat record to Redis
 * ({@link Duration#ZERO}: never)
 */
public record WorkerSettings(String name, List<String> queues, int concurrency, int prefetch, boolean extendedResults,
		boolean storeErrorsEvenIfIgnored, Duration redeliveryBackoff, Map<String, TaskOptions> tasks,
		@Nullable Duration timeLimit, @Nullable Duration softTimeLimit, long maxMessageSize,
		Map<String, QueueOptions> queueOptions, @Nullable Integer fairMargin, int maxDeliveries,
		Duration shutdownTimeout, Duration heartbeatInterval) {

	/** The default of {@link #maxMessageSize()}: 10 MB. */
	public static final long DEFAULT_MAX_MESSAGE_SIZE = 10L * 1024 * 1024;

	/**
	 * The consumer settings of one queue.
	 * @param queue the queue name
	 * @return its settings, {@link QueueOptions#NONE} if none are configured
	 */
	public QueueOptions queueOptionsOf(String queue) {
		return this.queueOptions.getOrDefault(queue, QueueOptions.NONE);
	}

	/**
	 * How many messages each consumer of a queue may hold unacknowledged: the queue's own
	 * prefetch, else one plus the fair-dispatch margin, else the worker's prefetch.
	 * @param queue the queue name
	 * @return the prefetch count, at least 1
	 */
	public int prefetchOf(String queue) {
		Integer own = queueOptionsOf(queue).prefetch();
		if (own != null) {
			return Math.max(1, own);
		}
		return Math.max(1, (this.fairMargin != null) ? 1 + this.fairMargin : this.prefetch);
	}

	/**
	 * How many consumers (tasks at once) a queue gets.
	 * @param queue the queue name
	 * @return its own concurrency, else the worker's
	 */
	public int concurrencyOf(String queue) {
		Integer own = queueOptionsOf(queue).concurrency();
		return Math.max(1, (own != null) ? own : this.concurrency);
	}

	/**
	 * Consumer settings of one queue ({@code taskqueue.queues.<name>.*}); {@code null}
	 * takes the worker's.
	 *
	 * @param concurrency how many tasks of this queue run at once
	 * @param prefetch how many unacknowledged messages each of its consumers may hold
	 */
	public record QueueOptions(@Nullable Integer concurrency, @Nullable Integer prefetch) {

		/** Nothing of its own: the queue shares the worker's consumers. */
		public static final QueueOptions NONE = new QueueOptions(null, null);

		/**
		 * Return whether the queue has consumers of its own.
		 * @return whether the queue has consumers of its own
		 */
		public boolean isOwn() {
			return this.concurrency != null || this.prefetch != null;
		}

	}

	/**
	 * The options configured for a task.
	 * @param taskName the task name
	 * @return the options, {@link TaskOptions#NONE} if none are configured
	 */
	public TaskOptions optionsOf(String taskName) {
		return this.tasks.getOrDefault(taskName, TaskOptions.NONE);
	}

	/**
	 * The default worker name: {@code taskqueue-<pid>@<host>}, unique per JVM.
	 * @return the name
	 */
	public static String defaultName() {
		return "taskqueue-" + dev.taskqueue.protocol.internal.ProcessIdentity.pid() + "@"
				+ dev.taskqueue.protocol.internal.ProcessIdentity.hostname();
	}

	/**
	 * A builder with the defaults of a worker started without configuration: concurrency
	 * 1, prefetch 1, extended results, failures of ignored tasks not stored, 1 s
	 * redelivery backoff, no time limits, messages up to 10 MB, at most 5 deliveries per
	 * task, 30 s for running tasks to finish on stop, a heartbeat every 2 s.
	 * @param name the worker's name
	 * @param queues the queues to consume
	 * @return the builder
	 */
	public static Builder builder(String name, List<String> queues) {
		return new Builder(name, queues);
	}

	/**
	 * Builds {@link WorkerSettings}; new settings get a default here, so callers only
	 * name what they change.
	 */
	public static final class Builder {

		private final String name;

		private final List<String> queues;

		private int concurrency = 1;

		private int prefetch = 1;

		private boolean extendedResults = true;

		private boolean storeErrorsEvenIfIgnored;

		private Duration redeliveryBackoff = Duration.ofSeconds(1);

		private Map<String, TaskOptions> tasks = Map.of();

		private @Nullable Duration timeLimit;

		private @Nullable Duration softTimeLimit;

		private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

		private Map<String, QueueOptions> queueOptions = Map.of();

		private @Nullable Integer fairMargin;

		private int maxDeliveries = 5;

		private Duration shutdownTimeout = Duration.ofSeconds(30);

		private Duration heartbeatInterval = Duration.ofSeconds(2);

		private Builder(String name, List<String> queues) {
			this.name = name;
			this.queues = List.copyOf(queues);
		}

		/**
		 * @param concurrency how many tasks run at once
		 * @return this builder
		 */
		public Builder concurrency(int concurrency) {
			this.concurrency = concurrency;
			return this;
		}

		/**
		 * @param prefetch how many unacknowledged messages each consumer may hold
		 * @return this builder
		 */
		public Builder prefetch(int prefetch) {
			this.prefetch = prefetch;
			return this;
		}

		/**
		 * @param extendedResults whether results carry name, args, kwargs, worker,
		 * retries and queue
		 * @return this builder
		 */
		public Builder extendedResults(boolean extendedResults) {
			this.extendedResults = extendedResults;
			return this;
		}

		/**
		 * @param storeErrorsEvenIfIgnored whether failures are stored for tasks whose
		 * result is ignored
		 * @return this builder
		 */
		public Builder storeErrorsEvenIfIgnored(boolean storeErrorsEvenIfIgnored) {
			this.storeErrorsEvenIfIgnored = storeErrorsEvenIfIgnored;
			return this;
		}

		/**
		 * @param redeliveryBackoff the pause before a message that could not be finished
		 * goes back
		 * @return this builder
		 */
		public Builder redeliveryBackoff(Duration redeliveryBackoff) {
			this.redeliveryBackoff = redeliveryBackoff;
			return this;
		}

		/**
		 * @param tasks options by task name
		 * @return this builder
		 */
		public Builder tasks(Map<String, TaskOptions> tasks) {
			this.tasks = Map.copyOf(tasks);
			return this;
		}

		/**
		 * @param timeLimit the hard time limit of tasks that set none, or {@code null}
		 * for none
		 * @return this builder
		 */
		public Builder timeLimit(@Nullable Duration timeLimit) {
			this.timeLimit = timeLimit;
			return this;
		}

		/**
		 * @param queueOptions consumer settings of single queues by name (none by
		 * default)
		 * @return this builder
		 */
		public Builder queueOptions(Map<String, QueueOptions> queueOptions) {
			this.queueOptions = Map.copyOf(queueOptions);
			return this;
		}

		/**
		 * @param softTimeLimit the soft time limit of tasks that set none, or
		 * {@code null} for none
		 * @return this builder
		 */
		public Builder softTimeLimit(@Nullable Duration softTimeLimit) {
			this.softTimeLimit = softTimeLimit;
			return this;
		}

		/**
		 * @param maxMessageSize the largest message body accepted, in bytes
		 * @return this builder
		 */
		public Builder maxMessageSize(long maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
			return this;
		}

		/**
		 * @param fairMargin messages each consumer may hold beyond its running task (fair
		 * dispatch), or {@code null} to hold {@code prefetch} (the default)
		 * @return this builder
		 */
		public Builder fairMargin(@Nullable Integer fairMargin) {
			this.fairMargin = fairMargin;
			return this;
		}

		/**
		 * @param maxDeliveries how many deliveries of a task may end without it finishing
		 * before it is dead-lettered ({@code 0} for no limit)
		 * @return this builder
		 */
		public Builder maxDeliveries(int maxDeliveries) {
			if (maxDeliveries < 0) {
				throw new IllegalArgumentException("maxDeliveries must be 0 (no limit) or more, not " + maxDeliveries);
			}
			this.maxDeliveries = maxDeliveries;
			return this;
		}

		/**
		 * @param shutdownTimeout how long stopping waits for running tasks
		 * @return this builder
		 */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
			return this;
		}

		/**
		 * @param heartbeatInterval how often the worker writes its heartbeat record
		 * ({@link Duration#ZERO}: never)
		 * @return this builder
		 */
		public Builder heartbeatInterval(Duration heartbeatInterval) {
			if (heartbeatInterval.isNegative()) {
				throw new IllegalArgumentException("The heartbeat interval must not be negative: " + heartbeatInterval);
			}
			this.heartbeatInterval = heartbeatInterval;
			return this;
		}

		/**
		 * Return the settings.
		 * @return the settings
		 */
		public WorkerSettings build() {
			return new WorkerSettings(this.name, this.queues, this.concurrency, this.prefetch, this.extendedResults,
					this.storeErrorsEvenIfIgnored, this.redeliveryBackoff, this.tasks, this.timeLimit,
					this.softTimeLimit, this.maxMessageSize, this.queueOptions, this.fairMargin, this.maxDeliveries,
					this.shutdownTimeout, this.heartbeatInterval);
		}

	}

}
