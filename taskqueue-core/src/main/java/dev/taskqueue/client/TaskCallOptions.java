package dev.taskqueue.client;

import java.time.Duration;
import java.time.OffsetDateTime;

import org.jspecify.annotations.Nullable;

/**
 * The options of one call of a task interface method, as its last parameter: they win
 * over the method's and the interface's {@link TaskExchange} attributes.
 * <pre class="code">
 * &#64;TaskExchange("reports.render")
 * TaskResult render(long reportId, TaskCallOptions options);
 *
 * reports.render(42, TaskCallOptions.builder().countdown(Duration.ofMinutes(5)).build());
 * </pre> Every option is a {@link TaskRequest} option; a call by name sets them on its
 * request.
 */
public final class TaskCallOptions {

	/** No options: the method's and the interface's apply. */
	public static final TaskCallOptions NONE = builder().build();

	private final @Nullable String queue;

	private final @Nullable Integer priority;

	private final @Nullable Duration countdown;

	private final @Nullable OffsetDateTime eta;

	private final @Nullable Duration expires;

	private final @Nullable String taskId;

	private final @Nullable String serializer;

	private final @Nullable Boolean ignoreResult;

	private final @Nullable Duration timeout;

	private TaskCallOptions(Builder builder) {
		this.queue = builder.queue;
		this.priority = builder.priority;
		this.countdown = builder.countdown;
		this.eta = builder.eta;
		this.expires = builder.expires;
		this.taskId = builder.taskId;
		this.serializer = builder.serializer;
		this.ignoreResult = builder.ignoreResult;
		this.timeout = builder.timeout;
	}

	/**
	 * Start building options.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the queue to send to, or {@code null}.
	 * @return the queue, or {@code null}
	 */
	public @Nullable String getQueue() {
		return this.queue;
	}

	/**
	 * Return the message priority, or {@code null}.
	 * @return the priority, or {@code null}
	 */
	public @Nullable Integer getPriority() {
		return this.priority;
	}

	/**
	 * Return the delay before the task may run, or {@code null}.
	 * @return the countdown, or {@code null}
	 */
	public @Nullable Duration getCountdown() {
		return this.countdown;
	}

	/**
	 * Return the earliest time the task may run, or {@code null}.
	 * @return the eta, or {@code null}
	 */
	public @Nullable OffsetDateTime getEta() {
		return this.eta;
	}

	/**
	 * Return how long after sending the task expires, or {@code null}.
	 * @return the time to live, or {@code null}
	 */
	public @Nullable Duration getExpires() {
		return this.expires;
	}

	/**
	 * Return the task id to use, or {@code null} for a generated one.
	 * @return the task id, or {@code null}
	 */
	public @Nullable String getTaskId() {
		return this.taskId;
	}

	/**
	 * Return the serializer to send with, or {@code null}.
	 * @return the serializer, or {@code null}
	 */
	public @Nullable String getSerializer() {
		return this.serializer;
	}

	/**
	 * Return whether to store no result, or {@code null} for the task's default.
	 * @return whether to ignore the result, or {@code null}
	 */
	public @Nullable Boolean getIgnoreResult() {
		return this.ignoreResult;
	}

	/**
	 * Return how long a method that returns the result waits for it, or {@code null}.
	 * @return the timeout, or {@code null}
	 */
	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * Builds {@link TaskCallOptions}.
	 */
	public static final class Builder {

		private @Nullable String queue;

		private @Nullable Integer priority;

		private @Nullable Duration countdown;

		private @Nullable OffsetDateTime eta;

		private @Nullable Duration expires;

		private @Nullable String taskId;

		private @Nullable String serializer;

		private @Nullable Boolean ignoreResult;

		private @Nullable Duration timeout;

		private Builder() {
		}

		/**
		 * Send to this queue, whatever the routes say.
		 * @param queue the queue
		 * @return this builder
		 */
		public Builder queue(String queue) {
			this.queue = queue;
			return this;
		}

		/**
		 * Set the message priority.
		 * @param priority the priority (0-255)
		 * @return this builder
		 */
		public Builder priority(int priority) {
			if (priority < 0 || priority > 255) {
				throw new IllegalArgumentException("Priority must be between 0 and 255, got " + priority);
			}
			this.priority = priority;
			return this;
		}

		/**
		 * Run no sooner than this long after sending.
		 * @param countdown the delay
		 * @return this builder
		 */
		public Builder countdown(Duration countdown) {
			this.countdown = countdown;
			this.eta = null;
			return this;
		}

		/**
		 * Run no sooner than this time.
		 * @param eta the time
		 * @return this builder
		 */
		public Builder eta(OffsetDateTime eta) {
			this.eta = eta;
			this.countdown = null;
			return this;
		}

		/**
		 * Expire this long after sending.
		 * @param expires the time to live
		 * @return this builder
		 */
		public Builder expires(Duration expires) {
			this.expires = expires;
			return this;
		}

		/**
		 * Use this task id instead of a generated one.
		 * @param taskId the id
		 * @return this builder
		 */
		public Builder taskId(String taskId) {
			if (taskId == null || taskId.isBlank()) {
				throw new IllegalArgumentException("Task id must not be empty");
			}
			this.taskId = taskId;
			return this;
		}

		/**
		 * Send with this serializer.
		 * @param serializer the serializer name or content type
		 * @return this builder
		 */
		public Builder serializer(String serializer) {
			this.serializer = serializer;
			return this;
		}

		/**
		 * Store no result for this call.
		 * @param ignoreResult whether to ignore the result
		 * @return this builder
		 */
		public Builder ignoreResult(boolean ignoreResult) {
			this.ignoreResult = ignoreResult;
			return this;
		}

		/**
		 * Wait this long for the result, when the method returns it.
		 * @param timeout the timeout
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			if (timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("Timeout must be positive, got " + timeout);
			}
			this.timeout = timeout;
			return this;
		}

		/**
		 * Build the options.
		 * @return the options
		 */
		public TaskCallOptions build() {
			return new TaskCallOptions(this);
		}

	}

}
