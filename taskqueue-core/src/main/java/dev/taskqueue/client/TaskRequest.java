package dev.taskqueue.client;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Everything a caller may say about one task call: Celery's {@code apply_async} options.
 * Build it with {@link #builder(String)}. <pre class="code">
 * TaskRequest request = TaskRequest.builder("worker.divide")
 *     .args(16, 2)
 *     .countdown(Duration.ofSeconds(10))
 *     .expires(Duration.ofMinutes(5))
 *     .build();
 * TaskResult result = client.send(request);
 * </pre>
 */
public final class TaskRequest {

	private final String name;

	private final List<@Nullable Object> args;

	private final Map<String, @Nullable Object> kwargs;

	private final @Nullable String queue;

	private final @Nullable String exchange;

	private final @Nullable String routingKey;

	private final @Nullable Duration countdown;

	private final @Nullable OffsetDateTime eta;

	private final @Nullable Duration expiresIn;

	private final @Nullable OffsetDateTime expiresAt;

	private final @Nullable Integer priority;

	private final @Nullable String taskId;

	private final Map<String, @Nullable Object> headers;

	private final @Nullable Boolean ignoreResult;

	private final List<Signature> links;

	private final List<Signature> linkErrors;

	private final @Nullable String parentId;

	private final @Nullable String rootId;

	private final @Nullable String group;

	private final @Nullable Integer groupIndex;

	private final @Nullable List<Signature> chain;

	private final @Nullable Signature chord;

	private final @Nullable String replyTo;

	private final @Nullable String serializer;

	private final @Nullable String compression;

	private final @Nullable Duration timeLimit;

	private final @Nullable Duration softTimeLimit;

	private final @Nullable Duration uniqueFor;

	private final boolean uniqueByArgs;

	private TaskRequest(Builder builder) {
		this.name = builder.name;
		this.args = Collections.unmodifiableList(new ArrayList<>(builder.args));
		this.kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(builder.kwargs));
		this.queue = builder.queue;
		this.exchange = builder.exchange;
		this.routingKey = builder.routingKey;
		this.countdown = builder.countdown;
		this.eta = builder.eta;
		this.expiresIn = builder.expiresIn;
		this.expiresAt = builder.expiresAt;
		this.priority = builder.priority;
		this.taskId = builder.taskId;
		this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(builder.headers));
		this.ignoreResult = builder.ignoreResult;
		this.links = List.copyOf(builder.links);
		this.linkErrors = List.copyOf(builder.linkErrors);
		this.parentId = builder.parentId;
		this.rootId = builder.rootId;
		this.group = builder.group;
		this.groupIndex = builder.groupIndex;
		this.chain = (builder.chain != null) ? List.copyOf(builder.chain) : null;
		this.chord = builder.chord;
		this.replyTo = builder.replyTo;
		this.serializer = builder.serializer;
		this.compression = builder.compression;
		this.timeLimit = builder.timeLimit;
		this.softTimeLimit = builder.softTimeLimit;
		this.uniqueFor = builder.uniqueFor;
		this.uniqueByArgs = builder.uniqueByArgs;
	}

	/**
	 * Start a request for a task.
	 * @param name the task name, as registered on the workers
	 * @return a builder
	 */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	/**
	 * Return the name of the task to run.
	 * @return the task's name
	 */
	public String getTaskName() {
		return this.name;
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
	 * Return the queue override, or {@code null} to route by configuration.
	 * @return the queue override, or {@code null} to route by configuration
	 */
	public @Nullable String getQueue() {
		return this.queue;
	}

	/**
	 * Return the exchange override, or {@code null}.
	 * @return the exchange override, or {@code null}
	 */
	public @Nullable String getExchange() {
		return this.exchange;
	}

	/**
	 * Return the routing key override, or {@code null}.
	 * @return the routing key override, or {@code null}
	 */
	public @Nullable String getRoutingKey() {
		return this.routingKey;
	}

	/**
	 * Return the delay before the task may run, or {@code null}.
	 * @return the delay before the task may run, or {@code null}
	 */
	public @Nullable Duration getCountdown() {
		return this.countdown;
	}

	/**
	 * Return the earliest time the task may run, or {@code null}.
	 * @return the earliest time the task may run, or {@code null}
	 */
	public @Nullable OffsetDateTime getEta() {
		return this.eta;
	}

	/**
	 * Return how long after sending the task expires, or {@code null}.
	 * @return how long after sending the task expires, or {@code null}
	 */
	public @Nullable Duration getExpiresIn() {
		return this.expiresIn;
	}

	/**
	 * Return when the task expires, or {@code null}.
	 * @return when the task expires, or {@code null}
	 */
	public @Nullable OffsetDateTime getExpiresAt() {
		return this.expiresAt;
	}

	/**
	 * Return the message priority, or {@code null} for the default (0).
	 * @return the message priority, or {@code null} for the default (0)
	 */
	public @Nullable Integer getPriority() {
		return this.priority;
	}

	/**
	 * Return the caller-chosen task id, or {@code null} to generate one.
	 * @return the caller-chosen task id, or {@code null} to generate one
	 */
	public @Nullable String getTaskId() {
		return this.taskId;
	}

	/**
	 * Return extra message headers.
	 * @return extra message headers
	 */
	public Map<String, @Nullable Object> getHeaders() {
		return this.headers;
	}

	/**
	 * Return whether to store no result, or {@code null} for the task's default.
	 * @return whether to store no result, or {@code null} for the task's default
	 */
	public @Nullable Boolean getIgnoreResult() {
		return this.ignoreResult;
	}

	/**
	 * Return the callbacks sent after the task succeeds.
	 * @return the callbacks sent after the task succeeds
	 */
	public List<Signature> getLinks() {
		return this.links;
	}

	/**
	 * Return the errbacks sent after the task fails.
	 * @return the errbacks sent after the task fails
	 */
	public List<Signature> getLinkErrors() {
		return this.linkErrors;
	}

	@Nullable String getParentId() {
		return this.parentId;
	}

	@Nullable String getRootId() {
		return this.rootId;
	}

	@Nullable String getGroup() {
		return this.group;
	}

	@Nullable Integer getGroupIndex() {
		return this.groupIndex;
	}

	@Nullable List<Signature> getChain() {
		return this.chain;
	}

	@Nullable Signature getChord() {
		return this.chord;
	}

	@Nullable String getReplyTo() {
		return this.replyTo;
	}

	/**
	 * Return the hard time limit for this call, or {@code null} for the task's own.
	 * @return the hard time limit for this call, or {@code null} for the task's own
	 */
	public @Nullable Duration getTimeLimit() {
		return this.timeLimit;
	}

	/**
	 * Return the soft time limit for this call, or {@code null} for the task's own.
	 * @return the soft time limit for this call, or {@code null} for the task's own
	 */
	public @Nullable Duration getSoftTimeLimit() {
		return this.softTimeLimit;
	}

	/**
	 * @return how long a duplicate of this call is dropped while this one is pending, or
	 * {@code null} if duplicates are sent
	 */
	public @Nullable Duration getUniqueFor() {
		return this.uniqueFor;
	}

	/**
	 * @return whether duplicates are recognised by task name and arguments ({@code true})
	 * or by task id ({@code false})
	 */
	public boolean isUniqueByArgs() {
		return this.uniqueByArgs;
	}

	/**
	 * @return the serializer name or content type to send with, or {@code null} for the
	 * task's or the client's
	 */
	public @Nullable String getSerializer() {
		return this.serializer;
	}

	/**
	 * Return the compression to send with, or {@code null} for the client's.
	 * @return the compression to send with, or {@code null} for the client's
	 */
	public @Nullable String getCompression() {
		return this.compression;
	}

	/**
	 * Builds a {@link TaskRequest}.
	 */
	public static final class Builder {

		private final String name;

		private List<@Nullable Object> args = new ArrayList<>();

		private final Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();

		private @Nullable String queue;

		private @Nullable String exchange;

		private @Nullable String routingKey;

		private @Nullable Duration countdown;

		private @Nullable OffsetDateTime eta;

		private @Nullable Duration expiresIn;

		private @Nullable OffsetDateTime expiresAt;

		private @Nullable Integer priority;

		private @Nullable String taskId;

		private final Map<String, @Nullable Object> headers = new LinkedHashMap<>();

		private @Nullable Boolean ignoreResult;

		private final List<Signature> links = new ArrayList<>();

		private final List<Signature> linkErrors = new ArrayList<>();

		private @Nullable String parentId;

		private @Nullable String rootId;

		private @Nullable String group;

		private @Nullable Integer groupIndex;

		private @Nullable List<Signature> chain;

		private @Nullable Signature chord;

		private @Nullable String replyTo;

		private @Nullable String serializer;

		private @Nullable String compression;

		private @Nullable Duration timeLimit;

		private @Nullable Duration softTimeLimit;

		private @Nullable Duration uniqueFor;

		private boolean uniqueByArgs;

		private Builder(String name) {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("Task name must not be empty");
			}
			this.name = name;
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
		 * Add a keyword argument, bound to the task method's parameter of that name.
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
		 * Send to this queue, whatever the routes say.
		 * @param queue the queue
		 * @return this builder
		 */
		public Builder queue(String queue) {
			this.queue = queue;
			return this;
		}

		/**
		 * Publish to this exchange.
		 * @param exchange the exchange
		 * @return this builder
		 */
		public Builder exchange(String exchange) {
			this.exchange = exchange;
			return this;
		}

		/**
		 * Publish with this routing key.
		 * @param routingKey the routing key
		 * @return this builder
		 */
		public Builder routingKey(String routingKey) {
			this.routingKey = routingKey;
			return this;
		}

		/**
		 * Run no sooner than this long after sending (Celery's {@code countdown}).
		 * @param countdown the delay
		 * @return this builder
		 */
		public Builder countdown(Duration countdown) {
			this.countdown = countdown;
			this.eta = null;
			return this;
		}

		/**
		 * Run no sooner than this time (Celery's {@code eta}).
		 * @param eta the time
		 * @return this builder
		 */
		public Builder eta(OffsetDateTime eta) {
			this.eta = eta;
			this.countdown = null;
			return this;
		}

		/**
		 * Run no sooner than this instant.
		 * @param eta the instant
		 * @return this builder
		 */
		public Builder eta(Instant eta) {
			return eta(eta.atOffset(ZoneOffset.UTC));
		}

		/**
		 * Expire this long after sending: a worker that receives it later does not run
		 * it.
		 * @param expires the time to live
		 * @return this builder
		 */
		public Builder expires(Duration expires) {
			this.expiresIn = expires;
			this.expiresAt = null;
			return this;
		}

		/**
		 * Expire at this time.
		 * @param expires the time
		 * @return this builder
		 */
		public Builder expires(OffsetDateTime expires) {
			this.expiresAt = expires;
			this.expiresIn = null;
			return this;
		}

		/**
		 * Set the message priority (0-255; honoured by queues declared with a maximum
		 * priority).
		 * @param priority the priority
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
		 * Add a message header. Celery's own headers cannot be overridden this way.
		 * @param name the header name
		 * @param value the value (a string, number, boolean, list or null)
		 * @return this builder
		 */
		public Builder header(String name, @Nullable Object value) {
			this.headers.put(Objects.requireNonNull(name, "name"), value);
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
		 * Send a callback after the task succeeds (Celery's {@code link}): the task's
		 * result is put in front of the callback's arguments unless the callback is
		 * immutable.
		 * @param callback the callback
		 * @return this builder
		 */
		public Builder link(Signature callback) {
			this.links.add(Objects.requireNonNull(callback, "callback"));
			return this;
		}

		/**
		 * Send an errback after the task fails (Celery's {@code link_error}): it is
		 * called with the failed task's id in front of its own arguments. A Java errback
		 * may declare a {@link dev.taskqueue.worker.TaskFailure} parameter to see the
		 * failed call.
		 * @param errback the errback
		 * @return this builder
		 */
		public Builder linkError(Signature errback) {
			this.linkErrors.add(Objects.requireNonNull(errback, "errback"));
			return this;
		}

		Builder parentId(@Nullable String parentId) {
			this.parentId = parentId;
			return this;
		}

		Builder rootId(@Nullable String rootId) {
			this.rootId = rootId;
			return this;
		}

		Builder group(@Nullable String group) {
			this.group = group;
			return this;
		}

		Builder groupIndex(@Nullable Integer groupIndex) {
			this.groupIndex = groupIndex;
			return this;
		}

		Builder chain(@Nullable List<Signature> chain) {
			this.chain = (chain != null) ? new ArrayList<>(chain) : null;
			return this;
		}

		Builder chord(@Nullable Signature body) {
			this.chord = body;
			return this;
		}

		Builder replyTo(@Nullable String replyTo) {
			this.replyTo = replyTo;
			return this;
		}

		/**
		 * Set the hard time limit of this call (Celery's {@code time_limit} option, sent
		 * in the {@code timelimit} header): it wins over the task's and the worker's.
		 * @param timeLimit the limit, or {@code null} for the task's own
		 * @return this builder
		 */
		public Builder timeLimit(@Nullable Duration timeLimit) {
			this.timeLimit = positive(timeLimit, "timeLimit");
			return this;
		}

		/**
		 * Set the soft time limit of this call (Celery's {@code soft_time_limit} option,
		 * sent in the {@code timelimit} header): it wins over the task's and the
		 * worker's.
		 * @param softTimeLimit the limit, or {@code null} for the task's own
		 * @return this builder
		 */
		public Builder softTimeLimit(@Nullable Duration softTimeLimit) {
			this.softTimeLimit = positive(softTimeLimit, "softTimeLimit");
			return this;
		}

		/**
		 * Send this call only if no call with the same task id is pending (celery-once's
		 * {@code QueueOnce}, keyed by id): a lock
		 * {@code <key-prefix>taskqueue-unique-<hash>} is taken in Redis with
		 * {@code SET NX PX}, held until the task's outcome is stored or for {@code ttl},
		 * whichever comes first. A duplicate publishes nothing and
		 * {@link TaskClient#send(TaskRequest)} returns the {@link TaskResult} of the
		 * pending call's id. Meant with {@link #taskId(String)}: without one every call
		 * has a fresh id.
		 * @param ttl how long the lock lasts at most
		 * @return this builder
		 */
		public Builder unique(Duration ttl) {
			this.uniqueFor = positive(Objects.requireNonNull(ttl, "ttl"), "unique");
			this.uniqueByArgs = false;
			return this;
		}

		/**
		 * Send this call only if no call of the same task with equal arguments (args and
		 * kwargs) is pending: as {@link #unique(Duration)}, keyed by a SHA-256 hash of
		 * the task name and the arguments' JSON.
		 * @param ttl how long the lock lasts at most
		 * @return this builder
		 */
		public Builder uniqueByArgs(Duration ttl) {
			this.uniqueFor = positive(Objects.requireNonNull(ttl, "ttl"), "uniqueByArgs");
			this.uniqueByArgs = true;
			return this;
		}

		private static @Nullable Duration positive(@Nullable Duration duration, String name) {
			if (duration != null && (duration.isNegative() || duration.isZero())) {
				throw new IllegalArgumentException(name + " must be positive, got " + duration);
			}
			return duration;
		}

		/**
		 * Send with this serializer (Celery's {@code apply_async(serializer=...)}), over
		 * the task's and the client's default. The workers must accept it.
		 * @param serializer a name ({@code json}, {@code msgpack}, or an application's
		 * own serializer's) or content type
		 * @return this builder
		 */
		public Builder serializer(String serializer) {
			this.serializer = Objects.requireNonNull(serializer, "serializer");
			return this;
		}

		/**
		 * Compress the body (Celery's {@code apply_async(compression=...)}), over the
		 * client's default.
		 * @param compression {@code gzip}, {@code zlib} (the same to kombu) or
		 * {@code application/x-gzip}
		 * @return this builder
		 */
		public Builder compression(String compression) {
			this.compression = Objects.requireNonNull(compression, "compression");
			return this;
		}

		/**
		 * Return the request.
		 * @return the request
		 */
		public TaskRequest build() {
			return new TaskRequest(this);
		}

	}

}
