package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import dev.taskqueue.client.internal.UniqueLocks;
import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.control.internal.ControlBus;
import dev.taskqueue.observation.TaskExecuteObservationConvention;
import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.RateLimitScope;
import dev.taskqueue.ratelimit.internal.ClusterRateLimiters;
import dev.taskqueue.worker.TaskListener;
import dev.taskqueue.worker.TaskOptions;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.internal.ClusterNode;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.util.Assert;

import static dev.taskqueue.autoconfigure.PropertyChecks.atLeast;
import static dev.taskqueue.autoconfigure.PropertyChecks.entry;
import static dev.taskqueue.autoconfigure.PropertyChecks.notNegative;
import static dev.taskqueue.autoconfigure.PropertyChecks.positive;

/**
 * Configure a {@link WorkerContainer} with the settings of {@code taskqueue.*} (its
 * {@link WorkerSettings}) and the application's collaborators: task listeners, where
 * revocations are kept, where unique tasks are locked and where cluster-wide rate limits
 * are counted.
 * <p>
 * Can be injected into application code and used to define a custom
 * {@code WorkerContainer} whose configuration is based upon that produced by
 * auto-configuration: <pre class="code">
 * &#64;Bean(destroyMethod = "destroy")
 * WorkerContainer taskQueueWorker(WorkerContainerConfigurer configurer, ConnectionFactory connectionFactory,
 *         TaskRegistry registry, TaskMessageCodec codec, ResultBackend backend, TaskClient client,
 *         ConfirmedPublisher publisher, QueueDeclarer declarer, DelayQueues delayQueues) {
 *     WorkerSettings settings = configurer.settings().prefetch(1).build();
 *     WorkerContainer worker = new WorkerContainer(connectionFactory, registry, codec, backend, client,
 *             publisher, declarer, delayQueues, settings);
 *     configurer.configure(worker);
 *     return worker;
 * }</pre>
 *
 * @see WorkerContainerCustomizer
 */
public final class WorkerContainerConfigurer {

	private final TaskQueueProperties properties;

	private Duration shutdownTimeout = Duration.ofSeconds(30);

	private List<TaskListener> taskListeners = List.of();

	private @Nullable ControlBus controlBus;

	private @Nullable UniqueLocks uniqueLocks;

	private @Nullable ClusterRateLimiters clusterRateLimiters;

	private @Nullable TaskExecuteObservationConvention observationConvention;

	private boolean virtualThreads;

	private @Nullable ConnectionFactory connectionFactory;

	private @Nullable EventDispatcher eventDispatcher;

	private @Nullable ClusterControl clusterControl;

	private @Nullable CeleryVersion celeryVersion;

	private @Nullable Runnable applicationExit;

	/**
	 * Create a configurer that applies the given properties.
	 * @param properties the properties
	 */
	public WorkerContainerConfigurer(TaskQueueProperties properties) {
		Assert.notNull(properties, "'properties' must not be null");
		this.properties = properties;
	}

	void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	void setTaskListeners(List<TaskListener> taskListeners) {
		this.taskListeners = taskListeners;
	}

	void setControlBus(@Nullable ControlBus controlBus) {
		this.controlBus = controlBus;
	}

	void setUniqueLocks(@Nullable UniqueLocks uniqueLocks) {
		this.uniqueLocks = uniqueLocks;
	}

	/**
	 * Set where cluster-wide rate limits are counted; without them, a task configured
	 * with a cluster-wide rate limit fails {@link #settings()}.
	 */
	void setClusterRateLimiters(@Nullable ClusterRateLimiters clusterRateLimiters) {
		this.clusterRateLimiters = clusterRateLimiters;
	}

	void setObservationConvention(@Nullable TaskExecuteObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/**
	 * Make the worker a node of the Celery cluster on this connection factory, with its
	 * events sent by this dispatcher and the revoked ids of other nodes asked for with
	 * this client (unless {@code taskqueue.worker.cluster-member=false}).
	 */
	void setCluster(ConnectionFactory connectionFactory, EventDispatcher dispatcher, ClusterControl cluster,
			CeleryVersion version) {
		this.connectionFactory = connectionFactory;
		this.eventDispatcher = dispatcher;
		this.clusterControl = cluster;
		this.celeryVersion = version;
	}

	/**
	 * Set how to close the application, for
	 * {@code taskqueue.worker.remote-shutdown=exit}.
	 */
	void setApplicationExit(@Nullable Runnable applicationExit) {
		this.applicationExit = applicationExit;
	}

	/**
	 * Run the worker's consumers, held tasks and time-limited methods on virtual threads
	 * (Spring Boot's {@code spring.threads.virtual.enabled}).
	 */
	void setVirtualThreads(boolean virtualThreads) {
		this.virtualThreads = virtualThreads;
	}

	/**
	 * Return a builder of the worker settings that {@code taskqueue.*} describes: the
	 * worker's name and queues, its consumers, time limits, per-queue and per-task
	 * options, and how long stopping waits for running tasks (Spring Boot's
	 * {@code spring.lifecycle.timeout-per-shutdown-phase}). The settings can be further
	 * tuned before they are built.
	 * @return the builder
	 * @throws InvalidConfigurationPropertyValueException if a value is out of range
	 * @throws IllegalStateException naming the property if a value cannot work in this
	 * application, such as a cluster-wide rate limit without Redis
	 */
	public WorkerSettings.Builder settings() {
		PropertyMapper map = PropertyMapper.get();
		TaskQueueProperties.Worker worker = this.properties.getWorker();
		String name = (worker.getName() != null) ? worker.getName() : WorkerSettings.defaultName();
		List<String> queues = worker.getQueues().isEmpty() ? List.of(this.properties.getDefaultQueue())
				: worker.getQueues();
		WorkerSettings.Builder settings = WorkerSettings.builder(name, queues);
		map.from(worker::getConcurrency)
			.orFrom(Runtime.getRuntime()::availableProcessors)
			.as((concurrency) -> atLeast("taskqueue.worker.concurrency", concurrency, 1))
			.to(settings::concurrency);
		map.from(worker::getPrefetch)
			.as((prefetch) -> atLeast("taskqueue.worker.prefetch", prefetch, 1))
			.to(settings::prefetch);
		map.from(worker::getFairMargin)
			.as((margin) -> atLeast("taskqueue.worker.fair-margin", margin, 0))
			.when((margin) -> worker.isFair())
			.to(settings::fairMargin);
		map.from(worker::getRedeliveryBackoff)
			.as((backoff) -> notNegative("taskqueue.worker.redelivery-backoff", backoff))
			.to(settings::redeliveryBackoff);
		map.from(worker::getMaxDeliveries).as(WorkerContainerConfigurer::maxDeliveries).to(settings::maxDeliveries);
		map.from(worker::getTimeLimit)
			.as((limit) -> positive("taskqueue.worker.time-limit", limit))
			.to(settings::timeLimit);
		map.from(worker::getSoftTimeLimit)
			.as((limit) -> positive("taskqueue.worker.soft-time-limit", limit))
			.to(settings::softTimeLimit);
		map.from(worker::getMaxMessageSize)
			.as((size) -> positive("taskqueue.worker.max-message-size", size).toBytes())
			.to(settings::maxMessageSize);
		map.from(worker::getHeartbeatInterval)
			.as((interval) -> notNegative("taskqueue.worker.heartbeat-interval", interval))
			.to(settings::heartbeatInterval);
		map.from(this.properties.getResult()::isExtended).to(settings::extendedResults);
		map.from(this.properties.getResult()::isStoreErrorsEvenIfIgnored).to(settings::storeErrorsEvenIfIgnored);
		map.from(this.shutdownTimeout).to(settings::shutdownTimeout);
		settings.queueOptions(queueOptions());
		settings.tasks(taskOptions());
		return settings;
	}

	private static int maxDeliveries(int maxDeliveries) {
		if (maxDeliveries < 0) {
			throw new InvalidConfigurationPropertyValueException("taskqueue.worker.max-deliveries", maxDeliveries,
					"Must be 0 (no limit) or more.");
		}
		return maxDeliveries;
	}

	private Map<String, WorkerSettings.QueueOptions> queueOptions() {
		Map<String, WorkerSettings.QueueOptions> options = new LinkedHashMap<>();
		this.properties.getQueues().forEach((queue, properties) -> {
			Integer concurrency = properties.getConcurrency();
			Integer prefetch = properties.getPrefetch();
			if (concurrency != null) {
				atLeast(entry("taskqueue.queues", queue, "concurrency"), concurrency, 1);
			}
			if (prefetch != null) {
				atLeast(entry("taskqueue.queues", queue, "prefetch"), prefetch, 1);
			}
			options.put(queue, new WorkerSettings.QueueOptions(concurrency, prefetch));
		});
		return options;
	}

	private Map<String, TaskOptions> taskOptions() {
		Map<String, TaskOptions> options = new LinkedHashMap<>();
		this.properties.getTasks().forEach((name, task) -> {
			String timeLimit = entry("taskqueue.tasks", name, "time-limit");
			String softTimeLimit = entry("taskqueue.tasks", name, "soft-time-limit");
			options.put(name, new TaskOptions(rateLimit(name, task), task.getMaxRetries(), task.getAutoRetryFor(),
					task.getDontAutoRetryFor(), task.getRetryBackoff(), task.getRetryBackoffMax(),
					task.getRetryJitter(), task.getDefaultRetryDelay(),
					(task.getTimeLimit() != null) ? positive(timeLimit, task.getTimeLimit()) : null,
					(task.getSoftTimeLimit() != null) ? positive(softTimeLimit, task.getSoftTimeLimit()) : null));
		});
		return options;
	}

	/**
	 * The rate limit of a task's properties: its rate with its burst and scope, which
	 * replace {@code @QueueTask(rateLimit)} as a whole.
	 */
	private @Nullable RateLimit rateLimit(String name, TaskQueueProperties.Task task) {
		String rateName = entry("taskqueue.tasks", name, "rate-limit");
		String burstName = entry("taskqueue.tasks", name, "rate-limit-burst");
		String scopeName = entry("taskqueue.tasks", name, "rate-limit-scope");
		RateLimit rateLimit = task.getRateLimit();
		Integer burst = task.getRateLimitBurst();
		RateLimitScope scope = task.getRateLimitScope();
		if (rateLimit == null) {
			if (burst != null || scope != null) {
				String orphan = (burst != null) ? burstName : scopeName;
				throw new InvalidTaskQueuePropertyException(orphan, (burst != null) ? burst : lowerCase(scope),
						"needs " + rateName + ", which replaces @QueueTask(rateLimit) as a whole",
						"Set " + rateName + " too (the rate, e.g. 10/s, 100/m, 1000/h), or remove " + orphan + ".");
			}
			return null;
		}
		if (burst != null) {
			rateLimit = rateLimit.withBurst(atLeast(burstName, burst, 1));
		}
		if (scope != null) {
			rateLimit = rateLimit.withScope(scope);
		}
		if (rateLimit.scope() == RateLimitScope.CLUSTER && this.clusterRateLimiters == null) {
			throw new InvalidTaskQueuePropertyException(scopeName, lowerCase(RateLimitScope.CLUSTER),
					"needs Redis: a cluster-wide rate limit keeps its token bucket there, and this application "
							+ "has no RedisConnectionFactory (or several and none of them @Primary)",
					"Add spring-boot-starter-data-redis and spring.data.redis.* settings, or set " + scopeName
							+ " to worker to limit each worker on its own.");
		}
		return rateLimit;
	}

	private static @Nullable String lowerCase(@Nullable Enum<?> value) {
		return (value != null) ? value.name().toLowerCase(Locale.ROOT) : null;
	}

	/**
	 * Configure the specified worker with when it starts
	 * ({@code taskqueue.worker.auto-startup}; without a registered task only if its
	 * queues are named in {@code taskqueue.worker.queues} or {@code taskqueue.queues}),
	 * the application's task listeners, control bus, unique-task locks, cluster-wide rate
	 * limiters and execution observation convention, and, when Spring Boot runs on
	 * virtual threads, with virtual-thread executors. Call it before the worker starts;
	 * the worker can be further tuned and these collaborators overridden.
	 * @param worker the worker to configure
	 */
	public void configure(WorkerContainer worker) {
		PropertyMapper map = PropertyMapper.get();
		worker.setAutoStartup(this.properties.getWorker().isAutoStartup());
		worker.setAutoStartupWithoutTasks(namesQueues());
		worker.setTaskListeners(this.taskListeners);
		map.from(this.controlBus).to(worker::setControlBus);
		map.from(this.uniqueLocks).to(worker::setUniqueLocks);
		map.from(this.clusterRateLimiters).to(worker::setClusterRateLimiters);
		map.from(this.observationConvention).to(worker::setObservationConvention);
		configureCluster(worker);
		if (this.virtualThreads) {
			// Held tasks stay bounded by the consumers' prefetch: each is an
			// unacknowledged
			// message. The scheduler keeps its one platform thread: it only hands work
			// on.
			worker.setConsumerTaskExecutor(new VirtualThreadTaskExecutor("taskqueue-consumer-"));
			worker.setHeldTaskExecutor(new VirtualThreadTaskExecutor("taskqueue-held-"));
			worker.setTimeLimitExecutor(new VirtualThreadTaskExecutor("taskqueue-task-"));
		}
	}

	/**
	 * Whether the application names the queues it consumes, rather than taking the
	 * default queue, which a worker without tasks must not consume.
	 */
	private boolean namesQueues() {
		return !this.properties.getWorker().getQueues().isEmpty() || !this.properties.getQueues().isEmpty();
	}

	private void configureCluster(WorkerContainer worker) {
		TaskQueueProperties.Worker properties = this.properties.getWorker();
		ConnectionFactory connectionFactory = this.connectionFactory;
		EventDispatcher dispatcher = this.eventDispatcher;
		if (!properties.isClusterMember() || connectionFactory == null || dispatcher == null) {
			return;
		}
		String nodeName = (properties.getNodeName() != null) ? properties.getNodeName() : worker.getSettings().name();
		if (nodeName.isBlank() || nodeName.startsWith("@") || nodeName.endsWith("@")) {
			throw new InvalidConfigurationPropertyValueException("taskqueue.worker.node-name", nodeName,
					"Must be a Celery node name, 'name' or 'name@host'.");
		}
		ClusterNode node = new ClusterNode(connectionFactory, nodeName, dispatcher);
		ClusterControl cluster = this.clusterControl;
		if (cluster != null) {
			node.setNamespace(cluster.getNamespace());
			node.setMingle(properties.isMingle() ? cluster : null);
		}
		if (this.celeryVersion != null) {
			node.setCeleryVersion(this.celeryVersion);
		}
		Duration interval = properties.getHeartbeatInterval();
		if (!interval.isZero()) {
			if (interval.toMillis() < 100) {
				throw new InvalidConfigurationPropertyValueException("taskqueue.worker.heartbeat-interval", interval,
						"Must be 0 (no Redis record) or at least 100 ms.");
			}
			node.setHeartbeatInterval(interval);
		}
		node.setTaskEvents(properties.isSendTaskEvents());
		worker.setClusterNode(node);
		worker.setRemoteShutdown(remoteShutdown(worker, properties.getRemoteShutdown()));
	}

	private @Nullable Predicate<String> remoteShutdown(WorkerContainer worker,
			TaskQueueProperties.RemoteShutdown mode) {
		Runnable exit = this.applicationExit;
		return switch (mode) {
			case REFUSE -> null;
			case STOP_WORKER -> (reason) -> {
				stopAside("taskqueue-remote-shutdown", () -> worker.stop());
				return true;
			};
			case EXIT -> (reason) -> {
				stopAside("taskqueue-remote-exit", (exit != null) ? exit : () -> worker.stop());
				return true;
			};
		};
	}

	/** Stop on a thread of its own, so the node's reply goes out first. */
	private static void stopAside(String name, Runnable stop) {
		Thread thread = new Thread(stop, name);
		thread.setDaemon(false);
		thread.start();
	}

}
