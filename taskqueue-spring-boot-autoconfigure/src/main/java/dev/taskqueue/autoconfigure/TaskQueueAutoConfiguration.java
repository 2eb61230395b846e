package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.taskqueue.broker.ConfirmedPublisher;
import dev.taskqueue.broker.DelayQueues;
import dev.taskqueue.broker.QueueArguments;
import dev.taskqueue.broker.QueueType;
import dev.taskqueue.broker.QueueDeclarer;
import dev.taskqueue.broker.QueueInspector;
import dev.taskqueue.client.DefaultTaskClient;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.UniqueLocks;
import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.ControlBus;
import dev.taskqueue.control.EventDispatcher;
import dev.taskqueue.control.WorkerDirectory;
import dev.taskqueue.control.WorkerEventMonitor;
import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.protocol.Compression;
import dev.taskqueue.protocol.Serializers;
import dev.taskqueue.protocol.TaskMessageCodec;
import dev.taskqueue.protocol.TaskSerializer;
import dev.taskqueue.ratelimit.ClusterRateLimiters;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.RateLimitScope;
import dev.taskqueue.ratelimit.RateLimits;
import dev.taskqueue.result.RedisResultBackend;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.ResultCodec;
import dev.taskqueue.routing.Route;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.worker.QueueTaskBeanPostProcessor;
import dev.taskqueue.worker.TaskListener;
import dev.taskqueue.worker.TaskOptions;
import dev.taskqueue.worker.TaskRegistry;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerHeartbeat;
import dev.taskqueue.worker.WorkerSettings;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.function.SingletonSupplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link AutoConfiguration Auto-configuration} for taskqueue: the {@link TaskClient}, the
 * result backend and, unless {@code taskqueue.worker.enabled=false}, the worker that runs
 * {@link dev.taskqueue.worker.QueueTask @QueueTask} methods.
 * <p>
 * Registers no {@code RabbitTemplate}, {@code MessageConverter},
 * {@code StringRedisTemplate}, {@code redisTemplate}, {@code JsonMapper} or listener
 * container factory, so Spring Boot's own beans and the application's stay as they are;
 * taskqueue builds private ones from the application's connection factories.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass({ ConnectionFactory.class, RedisConnectionFactory.class, JsonMapper.class })
@ConditionalOnBean(ConnectionFactory.class)
@EnableConfigurationProperties(TaskQueueProperties.class)
public final class TaskQueueAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TaskMessageCodec taskQueueMessageCodec(TaskQueueProperties properties,
			ObjectProvider<JsonMapper.Builder> jsonMapperBuilder, ObjectProvider<TaskSerializer> taskSerializers) {
		JsonMapper mapper = jsonMapperBuilder.getIfAvailable(JsonMapper::builder).build();
		// The application's own come last, so one may replace a built-in serializer.
		List<TaskSerializer> all = new ArrayList<>(Serializers.builtIn(mapper));
		taskSerializers.orderedStream().forEach(all::add);
		Serializers serializers = new Serializers(all);
		requireSerializer(serializers, "taskqueue.serializer", properties.getSerializer());
		requireSerializer(serializers, "taskqueue.result.serializer", properties.getResult().getSerializer());
		for (int i = 0; i < properties.getAcceptContent().size(); i++) {
			requireSerializer(serializers, "taskqueue.accept-content[" + i + "]", properties.getAcceptContent().get(i));
		}
		properties.getTasks().forEach((name, task) -> {
			if (task.getSerializer() != null) {
				requireSerializer(serializers, entryProperty("taskqueue.tasks", name, "serializer"),
						task.getSerializer());
			}
		});
		String compression = properties.getCompression();
		if (compression != null && !compression.isBlank()) {
			try {
				Compression.resolve(compression);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(
						"taskqueue.compression=" + compression + " is not supported: " + ex.getMessage(), ex);
			}
		}
		return new TaskMessageCodec(mapper, properties.getAcceptContent(), serializers, properties.getSerializer(),
				(compression != null && !compression.isBlank()) ? compression : null, typedJson(properties));
	}

	@Bean
	@ConditionalOnMissingBean
	TaskRouter taskQueueRouter(TaskQueueProperties properties) {
		Map<String, Route> routes = new LinkedHashMap<>();
		properties.getRoutes().forEach((name, route) -> {
			if (route.getQueue() == null || route.getQueue().isBlank()) {
				throw new IllegalStateException(
						entryProperty("taskqueue.routes", name, "queue") + " must name a queue");
			}
			routes.put(name, new Route(route.getQueue(), route.getExchange(), route.getRoutingKey()));
		});
		return new TaskRouter(routes, properties.getDefaultQueue());
	}

	@Bean
	@ConditionalOnMissingBean
	ConfirmedPublisher taskQueuePublisher(ConnectionFactory connectionFactory, TaskQueueProperties properties) {
		return new ConfirmedPublisher(connectionFactory, properties.getClient().getPublishTimeout(),
				properties.getClient().getChannelPoolSize());
	}

	@Bean
	@ConditionalOnMissingBean
	QueueDeclarer taskQueueDeclarer(ConnectionFactory connectionFactory, TaskQueueProperties properties) {
		QueueType defaultType = queueType("taskqueue.default-queue-type", properties.getDefaultQueueType());
		Map<String, QueueArguments> arguments = new LinkedHashMap<>();
		properties.getQueues().forEach((name, queue) -> {
			QueueType type = (queue.getType() != null)
					? queueType(entryProperty("taskqueue.queues", name, "type"), queue.getType()) : defaultType;
			try {
				arguments.put(name, new QueueArguments(type, queue.getMaxPriority(), queue.getDeliveryLimit()));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(entryProperty("taskqueue.queues", name, "*") + ": " + ex.getMessage(),
						ex);
			}
		});
		return new QueueDeclarer(connectionFactory, arguments, new QueueArguments(defaultType, null, null));
	}

	private static QueueType queueType(String property, String value) {
		return parseEnum(QueueType.class, property, value);
	}

	private static <E extends Enum<E>> E parseEnum(Class<E> type, String property, String value) {
		for (E candidate : type.getEnumConstants()) {
			if (candidate.name().equalsIgnoreCase(value.trim())) {
				return candidate;
			}
		}
		throw new IllegalStateException(property + "=" + value + " is not supported: use one of "
				+ java.util.Arrays.stream(type.getEnumConstants())
					.map((candidate) -> candidate.name().toLowerCase(java.util.Locale.ROOT))
					.toList());
	}

	@Bean
	@ConditionalOnMissingBean
	QueueInspector taskQueueInspector(ConnectionFactory connectionFactory, TaskQueueProperties properties) {
		return new QueueInspector(connectionFactory, properties.getWorker().getQueueStatsMaxAge());
	}

	@Bean
	@ConditionalOnMissingBean
	ResultBackend taskQueueResultBackend(TaskQueueProperties properties,
			ObjectProvider<RedisConnectionFactory> redisConnectionFactory, TaskMessageCodec codec) {
		TaskQueueProperties.Result result = properties.getResult();
		if (result.getBackend() == TaskQueueProperties.Result.Backend.NONE) {
			return ResultBackend.none();
		}
		RedisConnectionFactory factory = redisConnectionFactory.getIfAvailable();
		if (factory == null) {
			throw new IllegalStateException("taskqueue.result.backend=redis needs a RedisConnectionFactory "
					+ "(add spring-boot-starter-data-redis and spring.data.redis.* settings), "
					+ "or set taskqueue.result.backend=none to store no results");
		}
		return new RedisResultBackend(
				factory, new ResultCodec(codec.mapper(), codec.serializers().get(result.getSerializer()),
						typedJson(properties), celeryVersion(properties).writesAwareDateDone()),
				result.getKeyPrefix(), result.getExpires());
	}

	@Bean
	@ConditionalOnMissingBean
	TaskClient taskClient(TaskMessageCodec codec, ConfirmedPublisher publisher, QueueDeclarer declarer,
			TaskRouter router, ResultBackend backend, ObjectProvider<TaskRegistry> registry,
			ObjectProvider<ControlBus> control, ObjectProvider<UniqueLocks> uniqueLocks, TaskQueueProperties properties,
			ObjectProvider<ObservationRegistry> observationRegistry, ListableBeanFactory beanFactory,
			ObjectProvider<ClusterControl> cluster, ObjectProvider<EventDispatcher> events) {
		// Looked up at the first send, not here: tasks may inject the client. Resolving
		// it on
		// every send cost a seventh of send()'s CPU, so it is resolved once, and not at
		// all in
		// an application that defines no registry (a dispatcher).
		Supplier<@Nullable TaskRegistry> registryOnce = (beanFactory.getBeanNamesForType(TaskRegistry.class, true,
				false).length > 0) ? SingletonSupplier.of(registry::getIfAvailable) : () -> null;
		DefaultTaskClient client = new DefaultTaskClient(codec, publisher, declarer, router, backend, (name) -> {
			TaskRegistry tasks = registryOnce.get();
			return (tasks != null) ? tasks.queueOf(name) : null;
		});
		client.setControlBus(control.getIfAvailable());
		client.setClusterControl(cluster.getIfAvailable());
		client.setSentEventDispatcher(properties.getClient().isSendSentEvent() ? events.getIfAvailable() : null);
		Map<String, String> configured = new LinkedHashMap<>();
		properties.getTasks().forEach((name, task) -> {
			if (task.getSerializer() != null) {
				configured.put(name, task.getSerializer());
			}
		});
		client.setTaskSerializers((name) -> {
			String serializer = configured.get(name);
			if (serializer != null) {
				return serializer;
			}
			TaskRegistry tasks = registryOnce.get();
			return (tasks != null) ? tasks.serializerOf(name) : null;
		});
		client.setUniqueLocks(uniqueLocks.getIfAvailable());
		client.setObservationRegistry(observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
		return client;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(RedisConnectionFactory.class)
	static class ControlConfiguration {

		@Bean(destroyMethod = "destroy")
		@ConditionalOnMissingBean
		ControlBus taskQueueControlBus(RedisConnectionFactory redisConnectionFactory, TaskQueueProperties properties) {
			return new ControlBus(redisConnectionFactory, properties.getResult().getKeyPrefix(),
					properties.getResult().getExpires());
		}

		@Bean
		@ConditionalOnMissingBean
		RateLimits taskQueueRateLimits(ControlBus control) {
			return new RateLimits(control);
		}

		@Bean
		@ConditionalOnMissingBean
		UniqueLocks taskQueueUniqueLocks(RedisConnectionFactory redisConnectionFactory, TaskQueueProperties properties,
				TaskMessageCodec codec) {
			return new UniqueLocks(redisConnectionFactory, properties.getResult().getKeyPrefix(), codec.mapper());
		}

		@Bean
		@ConditionalOnMissingBean
		ClusterRateLimiters taskQueueClusterRateLimiters(RedisConnectionFactory redisConnectionFactory,
				TaskQueueProperties properties) {
			return new ClusterRateLimiters(redisConnectionFactory, properties.getResult().getKeyPrefix());
		}

		@Bean
		@ConditionalOnMissingBean
		WorkerDirectory taskQueueWorkerDirectory(RedisConnectionFactory redisConnectionFactory,
				TaskQueueProperties properties, ObjectProvider<WorkerEventMonitor> eventMonitor) {
			WorkerDirectory directory = new WorkerDirectory(redisConnectionFactory,
					properties.getResult().getKeyPrefix());
			directory.setEventMonitor(eventMonitor.getIfAvailable());
			return directory;
		}

	}

	/**
	 * The name of a property of a map entry as users write it: keys that are not a plain
	 * lowercase name (task names have dots, routes may be globs) go in brackets, or they
	 * would not bind to that entry.
	 */
	private static String entryProperty(String map, String key, String property) {
		String element = key.matches("[a-z0-9-]+") ? key : "[" + key + "]";
		return map + "." + element + "." + property;
	}

	private static long positiveBytes(String property, long bytes) {
		if (bytes <= 0) {
			throw new IllegalStateException(property + " must be positive, got " + bytes + " bytes");
		}
		return bytes;
	}

	/** {@code taskqueue.celery-version}, parsed; a bad value is named in the error. */
	static CeleryVersion celeryVersion(TaskQueueProperties properties) {
		try {
			return CeleryVersion.parse(properties.getCeleryVersion());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(
					"taskqueue.celery-version=" + properties.getCeleryVersion() + " is not valid: " + ex.getMessage(),
					ex);
		}
	}

	private static boolean typedJson(TaskQueueProperties properties) {
		Boolean typedJson = properties.getTypedJson();
		return (typedJson != null) ? typedJson : celeryVersion(properties).writesTypedJson();
	}

	private static void requireSerializer(Serializers serializers, String property, String serializer) {
		try {
			serializers.get(serializer);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(
					property + "=" + serializer + " is not supported: use a serializer name " + "or content type of "
							+ serializers.describeAccepted() + " (add a TaskSerializer bean for another)",
					ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "taskqueue.worker.enabled", matchIfMissing = true)
	static class WorkerConfiguration {

		// Infrastructure: created early for the post processor, which is not worth a
		// warning.
		@Bean
		@ConditionalOnMissingBean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static TaskRegistry taskQueueRegistry() {
			return new TaskRegistry();
		}

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static QueueTaskBeanPostProcessor taskQueueBeanPostProcessor(TaskRegistry registry) {
			// Parameter types only need Jackson's type factory, so the BPP does not pull
			// the
			// codec (and the application's JsonMapper.Builder) into early initialisation.
			return new QueueTaskBeanPostProcessor(registry, JsonMapper.shared());
		}

		@Bean
		SmartInitializingSingleton taskQueueTaskSerializerCheck(TaskRegistry registry, TaskMessageCodec codec) {
			// After every bean is post-processed, so every @QueueTask is registered.
			return () -> registry.getSerializers().forEach((name, serializer) -> {
				try {
					codec.serializers().get(serializer);
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalStateException("@QueueTask(serializer = \"" + serializer + "\") of task '" + name
							+ "' is not supported: use a serializer name or content type of "
							+ codec.serializers().describeAccepted() + " (add a TaskSerializer bean for another)", ex);
				}
			});
		}

		@Bean
		@ConditionalOnMissingBean
		DelayQueues taskQueueDelayQueues(ConnectionFactory connectionFactory, ConfirmedPublisher publisher) {
			return new DelayQueues(connectionFactory, publisher);
		}

		@Bean(destroyMethod = "destroy")
		@ConditionalOnMissingBean
		WorkerContainer taskQueueWorker(ConnectionFactory connectionFactory, TaskRegistry registry,
				TaskMessageCodec codec, ResultBackend backend, TaskClient client, ConfirmedPublisher publisher,
				QueueDeclarer declarer, DelayQueues delayQueues, TaskQueueProperties properties,
				ObjectProvider<TaskListener> listeners, ObjectProvider<ControlBus> control,
				ObjectProvider<UniqueLocks> uniqueLocks, ObjectProvider<ClusterRateLimiters> clusterRateLimiters,
				ObjectProvider<ObservationRegistry> observationRegistry, Environment environment) {
			WorkerContainer worker = new WorkerContainer(connectionFactory, registry, codec, backend, client, publisher,
					declarer, delayQueues, settings(properties, environment));
			worker.setTaskListeners(listeners.orderedStream().toList());
			worker.setControlBus(control.getIfAvailable());
			worker.setUniqueLocks(uniqueLocks.getIfAvailable());
			worker.setClusterRateLimiters(clusterRateLimiters.getIfAvailable());
			worker.setObservationRegistry(observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
			return worker;
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnBean(RedisConnectionFactory.class)
		static class HeartbeatConfiguration {

			@Bean
			@ConditionalOnMissingBean
			WorkerHeartbeat taskQueueWorkerHeartbeat(WorkerContainer worker, WorkerDirectory directory) {
				return new WorkerHeartbeat(worker, directory);
			}

		}

		private static WorkerSettings settings(TaskQueueProperties properties, Environment environment) {
			TaskQueueProperties.Worker worker = properties.getWorker();
			List<String> queues = worker.getQueues().isEmpty() ? List.of(properties.getDefaultQueue())
					: List.copyOf(worker.getQueues());
			int concurrency = (worker.getConcurrency() != null) ? worker.getConcurrency()
					: Runtime.getRuntime().availableProcessors();
			if (worker.getMaxDeliveries() < 0) {
				throw new IllegalStateException("taskqueue.worker.max-deliveries must be 0 (no limit) or more, not "
						+ worker.getMaxDeliveries());
			}
			Map<String, TaskOptions> tasks = new LinkedHashMap<>();
			properties.getTasks().forEach((name, task) -> tasks.put(name, options(name, task)));
			if (worker.getHeartbeatInterval().isNegative()) {
				throw new IllegalStateException(
						"taskqueue.worker.heartbeat-interval must not be negative (0 turns heartbeats off): "
								+ worker.getHeartbeatInterval());
			}
			Map<String, WorkerSettings.QueueOptions> queueOptions = new LinkedHashMap<>();
			properties.getQueues().forEach((name, queue) -> {
				positive(entryProperty("taskqueue.queues", name, "concurrency"), queue.getConcurrency(), 1);
				positive(entryProperty("taskqueue.queues", name, "prefetch"), queue.getPrefetch(), 1);
				queueOptions.put(name, new WorkerSettings.QueueOptions(queue.getConcurrency(), queue.getPrefetch()));
			});
			positive("taskqueue.worker.fair-margin", worker.getFairMargin(), 0);
			return WorkerSettings
				.builder((worker.getName() != null) ? worker.getName() : WorkerSettings.defaultName(), queues)
				.concurrency(concurrency)
				.prefetch(worker.getPrefetch())
				.extendedResults(properties.getResult().isExtended())
				.storeErrorsEvenIfIgnored(properties.getResult().isStoreErrorsEvenIfIgnored())
				.redeliveryBackoff(worker.getRedeliveryBackoff())
				.tasks(tasks)
				.timeLimit(worker.getTimeLimit())
				.softTimeLimit(worker.getSoftTimeLimit())
				.maxMessageSize(
						positiveBytes("taskqueue.worker.max-message-size", worker.getMaxMessageSize().toBytes()))
				.queueOptions(queueOptions)
				.fairMargin(worker.isFair() ? worker.getFairMargin() : null)
				.maxDeliveries(worker.getMaxDeliveries())
				// Running tasks may finish within the time Spring Boot gives each
				// shutdown phase.
				.shutdownTimeout(Binder.get(environment)
					.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
					.orElse(Duration.ofSeconds(30)))
				.heartbeatInterval(worker.getHeartbeatInterval())
				.build();
		}

		private static void positive(String property, @Nullable Integer value, int min) {
			if (value != null && value < min) {
				throw new IllegalStateException(property + " must be at least " + min + ", got " + value);
			}
		}

		private static TaskOptions options(String name, TaskQueueProperties.Task task) {
			RateLimit rateLimit = null;
			if (task.getRateLimit() != null && !task.getRateLimit().isBlank()) {
				try {
					rateLimit = RateLimit.parse(task.getRateLimit());
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalStateException(
							entryProperty("taskqueue.tasks", name, "rate-limit") + ": " + ex.getMessage(), ex);
				}
				if (task.getRateLimitBurst() != null) {
					positive(entryProperty("taskqueue.tasks", name, "rate-limit-burst"), task.getRateLimitBurst(), 1);
					rateLimit = rateLimit.withBurst(task.getRateLimitBurst());
				}
				if (task.getRateLimitScope() != null) {
					rateLimit = rateLimit.withScope(parseEnum(RateLimitScope.class,
							entryProperty("taskqueue.tasks", name, "rate-limit-scope"), task.getRateLimitScope()));
				}
			}
			else if (task.getRateLimitBurst() != null || task.getRateLimitScope() != null) {
				throw new IllegalStateException(entryProperty("taskqueue.tasks", name,
						(task.getRateLimitBurst() != null) ? "rate-limit-burst" : "rate-limit-scope") + " needs "
						+ entryProperty("taskqueue.tasks", name, "rate-limit")
						+ " (the rate, e.g. 10/s, 100/m, 1000/h), which replaces @QueueTask(rateLimit) as a whole");
			}
			return new TaskOptions(rateLimit, task.getMaxRetries(), task.getAutoRetryFor(), task.getDontAutoRetryFor(),
					task.getRetryBackoff(), task.getRetryBackoffMax(), task.getRetryJitter(),
					task.getDefaultRetryDelay(), task.getTimeLimit(), task.getSoftTimeLimit());
		}

	}

}
