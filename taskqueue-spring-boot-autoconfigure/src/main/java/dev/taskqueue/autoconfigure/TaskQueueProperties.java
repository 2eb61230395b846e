package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.broker.ExchangeType;
import dev.taskqueue.broker.QueueType;
import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.RateLimitScope;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for taskqueue. Connection settings are Spring Boot's own
 * ({@code spring.rabbitmq.*}, {@code spring.data.redis.*}).
 * <p>
 * Serializers stay names rather than an enum: an application adds its own as
 * {@link dev.taskqueue.protocol.TaskSerializer} beans, so the set is open.
 *
 * @see TaskClientConfigurer
 * @see WorkerContainerConfigurer
 */
@ConfigurationProperties("taskqueue")
public class TaskQueueProperties {

	/**
	 * Queue of tasks that no route and no annotation send elsewhere (Celery's
	 * task_default_queue).
	 */
	private String defaultQueue = "celery";

	/**
	 * Serializer of task messages (Celery's task_serializer): 'json', 'msgpack', the name
	 * of a TaskSerializer bean, or a content type. Tasks and calls may choose another.
	 */
	private String serializer = "json";

	/**
	 * Compression of task message bodies (Celery's task_compression). None by default;
	 * received messages are decompressed whatever this says.
	 */
	private @Nullable Compression compression;

	/**
	 * Serializer names or content types a worker accepts (Celery's accept_content), e.g.
	 * [json, msgpack]. Messages of any other content type are dead-lettered, never
	 * deserialized.
	 */
	private List<String> acceptContent = new ArrayList<>(List.of("json"));

	/**
	 * Routes by task name or glob ('worker.*'), in order (Celery's task_routes). Exact
	 * names win over globs; send-time options win over routes; routes win
	 * over @QueueTask(queue).
	 */
	private Map<String, Route> routes = new LinkedHashMap<>();

	/**
	 * Per-task options by task name (Celery's task_annotations); they win
	 * over @QueueTask.
	 */
	private Map<String, Task> tasks = new LinkedHashMap<>();

	/**
	 * Per-queue settings by queue name: consumers (concurrency, prefetch) and how the
	 * queue is declared (type, max-priority, delivery-limit). Declaration settings must
	 * match those of every other declarer of the queue (clients, other workers, Celery),
	 * so a dispatcher needs them too.
	 */
	private Map<String, Queue> queues = new LinkedHashMap<>();

	/**
	 * Type of every queue taskqueue declares without a taskqueue.queues.<name>.type:
	 * classic (as Celery declares them) or quorum. Dead-letter queues get their queue's
	 * type.
	 */
	private QueueType defaultQueueType = QueueType.CLASSIC;

	/**
	 * Type of the exchange (named as the queue, bound with the queue name) of every queue
	 * taskqueue declares without a taskqueue.queues.<name>.exchange-type: direct (as
	 * Celery declares them) or topic (Celery's task_default_exchange_type = 'topic',
	 * which Celery's native delayed delivery on quorum queues needs).
	 */
	private ExchangeType defaultExchangeType = ExchangeType.DIRECT;

	/**
	 * Celery version of the Python side of the cluster (major.minor, e.g. 5.2 or 5.6).
	 * From 5.3 on, date_done is stored with an offset and JSON carries kombu's typed
	 * dates, times, decimals, UUIDs and bytes; set 5.2 for Celery 5.2 workers and
	 * clients.
	 */
	private CeleryVersion celeryVersion = CeleryVersion.DEFAULT;

	/**
	 * Whether JSON bodies and results write dates, times, decimals, UUIDs and bytes as
	 * kombu 5.3+ typed objects. Defaults to what the Celery version reads (from 5.3 on).
	 * Both forms are always read.
	 */
	private @Nullable Boolean typedJson;

	private final Result result = new Result();

	private final NativeDelayedDelivery nativeDelayedDelivery = new NativeDelayedDelivery();

	private final Worker worker = new Worker();

	private final Client client = new Client();

	public String getDefaultQueue() {
		return this.defaultQueue;
	}

	public void setDefaultQueue(String defaultQueue) {
		this.defaultQueue = defaultQueue;
	}

	public String getSerializer() {
		return this.serializer;
	}

	public void setSerializer(String serializer) {
		this.serializer = serializer;
	}

	public @Nullable Compression getCompression() {
		return this.compression;
	}

	public void setCompression(@Nullable Compression compression) {
		this.compression = compression;
	}

	public List<String> getAcceptContent() {
		return this.acceptContent;
	}

	public void setAcceptContent(List<String> acceptContent) {
		this.acceptContent = acceptContent;
	}

	public Map<String, Route> getRoutes() {
		return this.routes;
	}

	public void setRoutes(Map<String, Route> routes) {
		this.routes = routes;
	}

	public Map<String, Task> getTasks() {
		return this.tasks;
	}

	public void setTasks(Map<String, Task> tasks) {
		this.tasks = tasks;
	}

	public Map<String, Queue> getQueues() {
		return this.queues;
	}

	public void setQueues(Map<String, Queue> queues) {
		this.queues = queues;
	}

	public QueueType getDefaultQueueType() {
		return this.defaultQueueType;
	}

	public void setDefaultQueueType(QueueType defaultQueueType) {
		this.defaultQueueType = defaultQueueType;
	}

	public CeleryVersion getCeleryVersion() {
		return this.celeryVersion;
	}

	public void setCeleryVersion(CeleryVersion celeryVersion) {
		this.celeryVersion = celeryVersion;
	}

	public @Nullable Boolean getTypedJson() {
		return this.typedJson;
	}

	/**
	 * Return whether JSON writes kombu's typed objects: as configured, else as the Celery
	 * version reads them.
	 * @return whether JSON writes kombu's typed objects
	 */
	boolean writesTypedJson() {
		return (this.typedJson != null) ? this.typedJson : this.celeryVersion.writesTypedJson();
	}

	public void setTypedJson(@Nullable Boolean typedJson) {
		this.typedJson = typedJson;
	}

	public ExchangeType getDefaultExchangeType() {
		return this.defaultExchangeType;
	}

	public void setDefaultExchangeType(ExchangeType defaultExchangeType) {
		this.defaultExchangeType = defaultExchangeType;
	}

	public NativeDelayedDelivery getNativeDelayedDelivery() {
		return this.nativeDelayedDelivery;
	}

	public Result getResult() {
		return this.result;
	}

	public Worker getWorker() {
		return this.worker;
	}

	public Client getClient() {
		return this.client;
	}

	/**
	 * Where the tasks matched by a route go.
	 */
	public static class Route {

		/**
		 * Queue to send the matched tasks to.
		 */
		private @Nullable String queue;

		/**
		 * Exchange to publish to. Default is the default exchange, with the queue name as
		 * routing key, as Celery publishes.
		 */
		private @Nullable String exchange;

		/**
		 * Routing key to publish with. Defaults to the queue name.
		 */
		private @Nullable String routingKey;

		public @Nullable String getQueue() {
			return this.queue;
		}

		public void setQueue(@Nullable String queue) {
			this.queue = queue;
		}

		public @Nullable String getExchange() {
			return this.exchange;
		}

		public void setExchange(@Nullable String exchange) {
			this.exchange = exchange;
		}

		public @Nullable String getRoutingKey() {
			return this.routingKey;
		}

		public void setRoutingKey(@Nullable String routingKey) {
			this.routingKey = routingKey;
		}

	}

	/**
	 * Options of one task.
	 */
	public static class Task {

		/**
		 * How often the task may start: '10/s', '100/m', '1000/h', or a plain number per
		 * second (Celery's rate_limit). Per worker unless rate-limit-scope is 'cluster'.
		 * Replaces @QueueTask(rateLimit) as a whole, burst and scope included.
		 */
		private @Nullable RateLimit rateLimit;

		/**
		 * How many starts may follow each other without spacing after an idle period (the
		 * token bucket's capacity), at least 1. Default 1: starts are spaced one interval
		 * apart, as Celery does. Needs rate-limit.
		 */
		private @Nullable Integer rateLimitBurst;

		/**
		 * Where rate-limit is enforced: worker (each worker on its own, Celery's
		 * semantics) or cluster (one token bucket in Redis shared by every worker, so it
		 * needs Redis). Default worker. Needs rate-limit.
		 */
		private @Nullable RateLimitScope rateLimitScope;

		/**
		 * How many times the task may be retried (Celery's max_retries); -1 for no limit.
		 */
		private @Nullable Integer maxRetries;

		/**
		 * Exception types that retry the task automatically (Celery's autoretry_for).
		 */
		private @Nullable List<Class<? extends Throwable>> autoRetryFor;

		/**
		 * Exception types that never retry the task automatically (Celery's
		 * dont_autoretry_for).
		 */
		private @Nullable List<Class<? extends Throwable>> dontAutoRetryFor;

		/**
		 * Whether automatic retries wait exponentially longer (Celery's retry_backoff).
		 */
		private @Nullable Boolean retryBackoff;

		/**
		 * Longest exponential retry delay (Celery's retry_backoff_max).
		 */
		private @Nullable Duration retryBackoffMax;

		/**
		 * Whether exponential retry delays get full jitter (Celery's retry_jitter).
		 */
		private @Nullable Boolean retryJitter;

		/**
		 * Retry delay without back-off (Celery's default_retry_delay).
		 */
		private @Nullable Duration defaultRetryDelay;

		/**
		 * Serializer this application's client sends the task with (Celery's
		 * Task.serializer); wins over @QueueTask(serializer) and taskqueue.serializer.
		 */
		private @Nullable String serializer;

		/**
		 * Hard time limit (Celery's time_limit), seconds when no unit is given: a task
		 * still running then ends FAILURE with TimeLimitExceeded and the worker abandons
		 * its thread.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration timeLimit;

		/**
		 * Soft time limit (Celery's soft_time_limit), seconds when no unit is given: the
		 * task's thread is interrupted; if it then throws it ends FAILURE with
		 * SoftTimeLimitExceeded.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration softTimeLimit;

		public @Nullable RateLimit getRateLimit() {
			return this.rateLimit;
		}

		public void setRateLimit(@Nullable RateLimit rateLimit) {
			this.rateLimit = rateLimit;
		}

		public @Nullable Integer getRateLimitBurst() {
			return this.rateLimitBurst;
		}

		public void setRateLimitBurst(@Nullable Integer rateLimitBurst) {
			this.rateLimitBurst = rateLimitBurst;
		}

		public @Nullable RateLimitScope getRateLimitScope() {
			return this.rateLimitScope;
		}

		public void setRateLimitScope(@Nullable RateLimitScope rateLimitScope) {
			this.rateLimitScope = rateLimitScope;
		}

		public @Nullable Integer getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(@Nullable Integer maxRetries) {
			this.maxRetries = maxRetries;
		}

		public @Nullable List<Class<? extends Throwable>> getAutoRetryFor() {
			return this.autoRetryFor;
		}

		public void setAutoRetryFor(@Nullable List<Class<? extends Throwable>> autoRetryFor) {
			this.autoRetryFor = autoRetryFor;
		}

		public @Nullable List<Class<? extends Throwable>> getDontAutoRetryFor() {
			return this.dontAutoRetryFor;
		}

		public void setDontAutoRetryFor(@Nullable List<Class<? extends Throwable>> dontAutoRetryFor) {
			this.dontAutoRetryFor = dontAutoRetryFor;
		}

		public @Nullable Boolean getRetryBackoff() {
			return this.retryBackoff;
		}

		public void setRetryBackoff(@Nullable Boolean retryBackoff) {
			this.retryBackoff = retryBackoff;
		}

		public @Nullable Duration getRetryBackoffMax() {
			return this.retryBackoffMax;
		}

		public void setRetryBackoffMax(@Nullable Duration retryBackoffMax) {
			this.retryBackoffMax = retryBackoffMax;
		}

		public @Nullable Boolean getRetryJitter() {
			return this.retryJitter;
		}

		public void setRetryJitter(@Nullable Boolean retryJitter) {
			this.retryJitter = retryJitter;
		}

		public @Nullable Duration getDefaultRetryDelay() {
			return this.defaultRetryDelay;
		}

		public void setDefaultRetryDelay(@Nullable Duration defaultRetryDelay) {
			this.defaultRetryDelay = defaultRetryDelay;
		}

		public @Nullable String getSerializer() {
			return this.serializer;
		}

		public void setSerializer(@Nullable String serializer) {
			this.serializer = serializer;
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

	/**
	 * Celery 5.5+'s native delayed delivery for quorum queues.
	 */
	public static class NativeDelayedDelivery {

		/**
		 * Whether a worker binds the quorum queues it consumes whose exchange is a topic
		 * exchange to Celery's native delayed delivery (declaring the celery_delayed_*
		 * exchanges and queues as Celery does), so countdown and ETA tasks Celery 5.5+
		 * clients send to them arrive, and the client sends countdown tasks for such
		 * queues that way too. Defaults to on from taskqueue.celery-version 5.5.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Type of the celery_delayed_* queues: Celery's
		 * broker_native_delayed_delivery_queue_type (quorum by default). Every declarer
		 * must use the same.
		 */
		private QueueType queueType = QueueType.QUORUM;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		/**
		 * Return whether native delayed delivery is on: as configured, else from Celery
		 * 5.5.
		 * @param version the configured Celery version
		 * @return whether workers bind their quorum queues to it
		 */
		boolean isEnabled(CeleryVersion version) {
			return (this.enabled != null) ? this.enabled : version.usesNativeDelayedDelivery();
		}

		public QueueType getQueueType() {
			return this.queueType;
		}

		public void setQueueType(QueueType queueType) {
			this.queueType = queueType;
		}

	}

	/**
	 * Settings of one queue.
	 */
	public static class Queue {

		/**
		 * How many tasks of this queue a worker consuming it runs at once, at least 1;
		 * the queue then gets consumers of its own. Defaults to
		 * taskqueue.worker.concurrency.
		 */
		private @Nullable Integer concurrency;

		/**
		 * How many unacknowledged messages each consumer of this queue may hold, at least
		 * 1; the queue then gets consumers of its own. Defaults to the worker's
		 * (taskqueue.worker.prefetch, or one plus fair-margin with fair dispatch).
		 */
		private @Nullable Integer prefetch;

		/**
		 * Highest message priority the queue orders by (x-max-priority, 1-255; Celery's
		 * queue_arguments). Priorities above it count as it. Classic queues only.
		 */
		private @Nullable Integer maxPriority;

		/**
		 * Queue type: classic or quorum. Defaults to taskqueue.default-queue-type.
		 */
		private @Nullable QueueType type;

		/**
		 * For quorum queues: how many times the broker delivers a message before it
		 * dead-letters it to '<queue>.dlq' (x-delivery-limit), at least 1. No limit by
		 * default.
		 */
		private @Nullable Integer deliveryLimit;

		/**
		 * Type of the queue's exchange: direct or topic. Defaults to
		 * taskqueue.default-exchange-type.
		 */
		private @Nullable ExchangeType exchangeType;

		public @Nullable ExchangeType getExchangeType() {
			return this.exchangeType;
		}

		public void setExchangeType(@Nullable ExchangeType exchangeType) {
			this.exchangeType = exchangeType;
		}

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

		public @Nullable Integer getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(@Nullable Integer prefetch) {
			this.prefetch = prefetch;
		}

		public @Nullable Integer getMaxPriority() {
			return this.maxPriority;
		}

		public void setMaxPriority(@Nullable Integer maxPriority) {
			this.maxPriority = maxPriority;
		}

		public @Nullable QueueType getType() {
			return this.type;
		}

		public void setType(@Nullable QueueType type) {
			this.type = type;
		}

		public @Nullable Integer getDeliveryLimit() {
			return this.deliveryLimit;
		}

		public void setDeliveryLimit(@Nullable Integer deliveryLimit) {
			this.deliveryLimit = deliveryLimit;
		}

	}

	/**
	 * Result store settings.
	 */
	public static class Result {

		/**
		 * Where states and results are kept: 'redis' (Celery's Redis format, through
		 * spring.data.redis.*) or 'none' to store nothing.
		 */
		private Backend backend = Backend.REDIS;

		/**
		 * How long results are kept (Celery's result_expires), and revocations. Must be
		 * positive.
		 */
		private Duration expires = Duration.ofDays(1);

		/**
		 * Whether results also record the task's name, args, kwargs, worker, retries and
		 * queue (Celery's result_extended).
		 */
		private boolean extended = true;

		/**
		 * Whether failures are stored even for tasks whose result is ignored (Celery's
		 * task_store_errors_even_if_ignored).
		 */
		private boolean storeErrorsEvenIfIgnored = false;

		/**
		 * Serializer of results (Celery's result_serializer): 'json', 'msgpack', the name
		 * of a TaskSerializer bean, or a content type. Workers write results in it; JSON
		 * and msgpack results are read whichever this is.
		 */
		private String serializer = "json";

		/**
		 * Prefix before Celery's key names ('celery-task-meta-<id>'), to keep several
		 * applications apart in one Redis. Python clients reading these results must use
		 * the same prefix.
		 */
		private String keyPrefix = "";

		/**
		 * How many Redis replicas must acknowledge each stored result (WAIT) before the
		 * task's message is acknowledged, so that a failover to a replica cannot lose a
		 * result whose task is gone from the broker. A store the replicas do not
		 * acknowledge in time fails and the task is delivered again. 0 (the default) does
		 * not wait: replication is asynchronous. Needs Lettuce.
		 */
		private int waitForReplicas;

		/**
		 * How long a result store waits for taskqueue.result.wait-for-replicas replicas.
		 */
		private Duration waitForReplicasTimeout = Duration.ofSeconds(1);

		public int getWaitForReplicas() {
			return this.waitForReplicas;
		}

		public void setWaitForReplicas(int waitForReplicas) {
			this.waitForReplicas = waitForReplicas;
		}

		public Duration getWaitForReplicasTimeout() {
			return this.waitForReplicasTimeout;
		}

		public void setWaitForReplicasTimeout(Duration waitForReplicasTimeout) {
			this.waitForReplicasTimeout = waitForReplicasTimeout;
		}

		public Backend getBackend() {
			return this.backend;
		}

		public void setBackend(Backend backend) {
			this.backend = backend;
		}

		public Duration getExpires() {
			return this.expires;
		}

		public void setExpires(Duration expires) {
			this.expires = expires;
		}

		public boolean isExtended() {
			return this.extended;
		}

		public void setExtended(boolean extended) {
			this.extended = extended;
		}

		public boolean isStoreErrorsEvenIfIgnored() {
			return this.storeErrorsEvenIfIgnored;
		}

		public void setStoreErrorsEvenIfIgnored(boolean storeErrorsEvenIfIgnored) {
			this.storeErrorsEvenIfIgnored = storeErrorsEvenIfIgnored;
		}

		public String getSerializer() {
			return this.serializer;
		}

		public void setSerializer(String serializer) {
			this.serializer = serializer;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		/**
		 * Result backends.
		 */
		public enum Backend {

			/** Celery's Redis result format. */
			REDIS,

			/** No results are stored. */
			NONE

		}

	}

	/**
	 * Worker settings.
	 */
	public static class Worker {

		/**
		 * Whether this application runs tasks. When false it only sends them and consumes
		 * nothing.
		 */
		private boolean enabled = true;

		/**
		 * Whether the worker starts consuming when the application starts. When false it
		 * consumes once its WorkerContainer is started.
		 */
		private boolean autoStartup = true;

		/**
		 * Queues to consume (Celery's -Q). Defaults to the default queue, consumed only
		 * when the application registers at least one @QueueTask: an application that
		 * only sends tasks consumes nothing unless it names its queues here (or in
		 * taskqueue.queues).
		 */
		private List<String> queues = new ArrayList<>();

		/**
		 * Type of the delay queues a worker parks tasks in until they are due (countdown,
		 * ETA, retries, rate limits): classic (a queue per due second,
		 * taskqueue.delay.at.*, for tasks due within 20 minutes; the cascade
		 * taskqueue.delay.L* before that) or quorum (the cascade
		 * taskqueue.delay.quorum.L*), which survive the loss of a RabbitMQ cluster node.
		 * Defaults to taskqueue.default-queue-type.
		 */
		private @Nullable QueueType delayQueueType;

		/**
		 * How many tasks run at once (Celery's --concurrency), at least 1. Defaults to
		 * the number of processors.
		 */
		private @Nullable Integer concurrency;

		/**
		 * How many unacknowledged messages each consumer may hold (Celery's
		 * worker_prefetch_multiplier). Enough for the broker to hand messages straight to
		 * a consumer and for result stores to be pipelined; for long tasks use fair
		 * dispatch (or 1), so that a worker busy with one does not keep others waiting
		 * behind it. At least 1.
		 */
		private int prefetch = 16;

		/**
		 * Fair dispatch (Celery's -O fair): each consumer holds at most its running task
		 * plus fair-margin messages instead of prefetch, so a long task does not trap
		 * queued short ones behind it. A queue's own prefetch still wins.
		 */
		private boolean fair = false;

		/**
		 * With fair dispatch, how many messages each consumer may hold beyond its running
		 * task (0 or more).
		 */
		private int fairMargin = 0;

		/**
		 * Name of this worker in results and logs. Defaults to 'taskqueue-<pid>@<host>'.
		 */
		private @Nullable String name;

		/**
		 * How long to wait before returning a message to its queue when its outcome could
		 * not be stored (result store or broker unreachable).
		 */
		private Duration redeliveryBackoff = Duration.ofSeconds(1);

		/**
		 * How many deliveries of a task may end without it finishing (its worker died)
		 * before it is dead-lettered to '<queue>.dlq' and marked FAILURE instead of run
		 * again, so a task that kills its worker every time does not loop forever. Runs
		 * of redelivered messages are counted in the result store, per task id; not
		 * enforced without a result store. 0 for no limit.
		 */
		private int maxDeliveries = 5;

		/**
		 * How long the broker's answer about a queue's depth and consumers is reused by
		 * metrics and the actuator endpoint, so scrapes cost at most one broker round
		 * trip per queue and period.
		 */
		private Duration queueStatsMaxAge = Duration.ofSeconds(5);

		/**
		 * Hard time limit of tasks that set none (Celery's task_time_limit), seconds when
		 * no unit is given; none by default.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration timeLimit;

		/**
		 * Soft time limit of tasks that set none (Celery's task_soft_time_limit), seconds
		 * when no unit is given; none by default.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration softTimeLimit;

		/**
		 * Largest message body a worker accepts; a larger one is dead-lettered without
		 * being parsed. RabbitMQ refuses messages over its own max_message_size (128 MB
		 * by default in 3.10) before that.
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(10);

		/**
		 * How often the worker writes its heartbeat record
		 * ('<key-prefix>taskqueue-worker-<name>') to Redis, and sends Celery's
		 * worker-heartbeat event (its 'freq'); the record expires after three intervals
		 * without one, and Celery's monitors judge the worker offline after two. 0 turns
		 * the Redis record off (Celery's heartbeats then go every 2 seconds).
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(2);

		/**
		 * Whether the worker is a node of the Celery cluster: it answers 'celery inspect'
		 * and 'celery control' (its own '<node-name>.celery.pidbox' queue), refuses tasks
		 * revoked by Celery's remote control, and sends Celery's worker events
		 * (worker-online, worker-heartbeat, worker-offline) that Flower and 'celery
		 * events' show.
		 */
		private boolean clusterMember = true;

		/**
		 * Name of this worker in the Celery cluster ('name@host'), unique in it. Defaults
		 * to the worker's name, with '@<host>' added when it has no '@'.
		 */
		private @Nullable String nodeName;

		/**
		 * Whether the worker sends Celery's task events (task-received, task-started,
		 * task-succeeded, task-failed, task-retried, task-rejected, task-revoked) from
		 * the start, as Celery's '-E' (worker_send_task_events). The 'enable_events' and
		 * 'disable_events' commands switch them at run time.
		 */
		private boolean sendTaskEvents = false;

		/**
		 * Whether the worker asks the other nodes for the tasks they know revoked when it
		 * starts (Celery's mingle, 'hello'), waiting up to taskqueue.cluster.timeout for
		 * their replies. Celery's '--without-mingle' is false.
		 */
		private boolean mingle = true;

		/**
		 * What Celery's remote 'shutdown' command ('celery control shutdown',
		 * app.control.shutdown()) does to this worker. Refused by default: a worker
		 * embedded in an application is stopped by the application's own deployment.
		 */
		private RemoteShutdown remoteShutdown = RemoteShutdown.REFUSE;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public List<String> getQueues() {
			return this.queues;
		}

		public void setQueues(List<String> queues) {
			this.queues = queues;
		}

		public @Nullable QueueType getDelayQueueType() {
			return this.delayQueueType;
		}

		public void setDelayQueueType(@Nullable QueueType delayQueueType) {
			this.delayQueueType = delayQueueType;
		}

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

		public int getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(int prefetch) {
			this.prefetch = prefetch;
		}

		public boolean isFair() {
			return this.fair;
		}

		public void setFair(boolean fair) {
			this.fair = fair;
		}

		public int getFairMargin() {
			return this.fairMargin;
		}

		public void setFairMargin(int fairMargin) {
			this.fairMargin = fairMargin;
		}

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public Duration getRedeliveryBackoff() {
			return this.redeliveryBackoff;
		}

		public void setRedeliveryBackoff(Duration redeliveryBackoff) {
			this.redeliveryBackoff = redeliveryBackoff;
		}

		public int getMaxDeliveries() {
			return this.maxDeliveries;
		}

		public void setMaxDeliveries(int maxDeliveries) {
			this.maxDeliveries = maxDeliveries;
		}

		public Duration getQueueStatsMaxAge() {
			return this.queueStatsMaxAge;
		}

		public void setQueueStatsMaxAge(Duration queueStatsMaxAge) {
			this.queueStatsMaxAge = queueStatsMaxAge;
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

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public boolean isClusterMember() {
			return this.clusterMember;
		}

		public void setClusterMember(boolean clusterMember) {
			this.clusterMember = clusterMember;
		}

		public @Nullable String getNodeName() {
			return this.nodeName;
		}

		public void setNodeName(@Nullable String nodeName) {
			this.nodeName = nodeName;
		}

		public boolean isSendTaskEvents() {
			return this.sendTaskEvents;
		}

		public void setSendTaskEvents(boolean sendTaskEvents) {
			this.sendTaskEvents = sendTaskEvents;
		}

		public boolean isMingle() {
			return this.mingle;
		}

		public void setMingle(boolean mingle) {
			this.mingle = mingle;
		}

		public RemoteShutdown getRemoteShutdown() {
			return this.remoteShutdown;
		}

		public void setRemoteShutdown(RemoteShutdown remoteShutdown) {
			this.remoteShutdown = remoteShutdown;
		}

	}

	/**
	 * What Celery's remote {@code shutdown} command does to a worker.
	 */
	public enum RemoteShutdown {

		/**
		 * Refuse it with Celery's error reply; the worker keeps running.
		 */
		REFUSE,

		/**
		 * Stop the worker gracefully (running tasks finish, held ones go back to their
		 * queue), as a Celery worker's warm shutdown; the application keeps running.
		 */
		STOP_WORKER,

		/**
		 * Stop the worker and close the application, as a Celery worker process exits.
		 */
		EXIT

	}

	/**
	 * Client (sender) settings.
	 */
	public static class Client {

		/**
		 * How long a send waits for the broker: to connect and to confirm the message.
		 * Must be positive.
		 */
		private Duration publishTimeout = Duration.ofSeconds(10);

		/**
		 * How many confirm channels to keep open between sends, at least 1.
		 */
		private int channelPoolSize = 8;

		/**
		 * Whether to publish a task-sent monitoring event after each task (Celery's
		 * task_send_sent_event), for Flower and celery events.
		 */
		private boolean sendSentEvent = false;

		/**
		 * How long a send listens for its task's result, subscribing to the result's
		 * notification once the message is written, before its confirm (as Celery's
		 * client subscribes before it publishes), so that get() after send() usually
		 * finds the result already delivered without reading it. The listening ends when
		 * the result arrives, when get() gives up, or after this time. Costs a
		 * subscription and a notification per send. Unset (the default), a send listens
		 * ahead, for up to a minute, only when the thread sending it started a get() or
		 * toFuture() on one of the client's results within the last second; 0 never
		 * listens ahead (get() subscribes once it waits); a positive duration always
		 * does.
		 */
		private @Nullable Duration subscribeBeforeSend;

		public @Nullable Duration getSubscribeBeforeSend() {
			return this.subscribeBeforeSend;
		}

		public void setSubscribeBeforeSend(@Nullable Duration subscribeBeforeSend) {
			this.subscribeBeforeSend = subscribeBeforeSend;
		}

		public boolean isSendSentEvent() {
			return this.sendSentEvent;
		}

		public void setSendSentEvent(boolean sendSentEvent) {
			this.sendSentEvent = sendSentEvent;
		}

		public Duration getPublishTimeout() {
			return this.publishTimeout;
		}

		public void setPublishTimeout(Duration publishTimeout) {
			this.publishTimeout = publishTimeout;
		}

		public int getChannelPoolSize() {
			return this.channelPoolSize;
		}

		public void setChannelPoolSize(int channelPoolSize) {
			this.channelPoolSize = channelPoolSize;
		}

	}

	/**
	 * Compression methods of task message bodies. Celery's gzip and zlib are the same
	 * method to kombu (zlib framing), sent as 'application/x-gzip'; kombu's optional
	 * methods (bzip2, lzma, brotli, zstd) are not supported.
	 */
	public enum Compression {

		/** kombu's zlib compression, sent as 'application/x-gzip'. */
		GZIP,

		/** The same as {@link #GZIP} to kombu. */
		ZLIB

	}

}
