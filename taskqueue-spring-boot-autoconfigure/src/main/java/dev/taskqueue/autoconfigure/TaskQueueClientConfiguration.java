package dev.taskqueue.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.taskqueue.broker.ExchangeType;
import dev.taskqueue.broker.QueueType;
import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.NativeDelayedDelivery;
import dev.taskqueue.broker.internal.QueueArguments;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.broker.internal.QueueInspector;
import dev.taskqueue.client.DefaultTaskClient;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.client.internal.TaskRouter;
import dev.taskqueue.client.internal.UniqueLocks;
import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.internal.ControlBus;
import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.observation.TaskPublishObservationConvention;
import dev.taskqueue.protocol.TaskSerializer;
import dev.taskqueue.protocol.internal.Serializers;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.worker.internal.TaskRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.function.SingletonSupplier;
import tools.jackson.databind.json.JsonMapper;

import static dev.taskqueue.autoconfigure.PropertyChecks.atLeast;
import static dev.taskqueue.autoconfigure.PropertyChecks.between;
import static dev.taskqueue.autoconfigure.PropertyChecks.entry;
import static dev.taskqueue.autoconfigure.PropertyChecks.notNegative;
import static dev.taskqueue.autoconfigure.PropertyChecks.positive;

/**
 * What sending tasks needs: the message codec, the router, the confirmed publisher, the
 * queue declarer, the result backend when there is no Redis, and the {@link TaskClient}.
 */
@Configuration(proxyBeanMethods = false)
class TaskQueueClientConfiguration {

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
		List<String> acceptContent = properties.getAcceptContent();
		for (int i = 0; i < acceptContent.size(); i++) {
			requireSerializer(serializers, "taskqueue.accept-content[" + i + "]", acceptContent.get(i));
		}
		properties.getTasks().forEach((name, task) -> {
			if (task.getSerializer() != null) {
				requireSerializer(serializers, entry("taskqueue.tasks", name, "serializer"), task.getSerializer());
			}
		});
		TaskQueueProperties.Compression compression = properties.getCompression();
		return new TaskMessageCodec(mapper, acceptContent, serializers, properties.getSerializer(),
				(compression != null) ? compression.name().toLowerCase(Locale.ROOT) : null,
				properties.writesTypedJson());
	}

	private static void requireSerializer(Serializers serializers, String name, String serializer) {
		try {
			serializers.get(serializer);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidTaskQueuePropertyException(name, serializer,
					"is not supported: no serializer has that name or content type",
					"Use one of " + serializers.describeAccepted() + ", or define a TaskSerializer bean for '"
							+ serializer + "'.");
		}
	}

	@Bean
	@ConditionalOnMissingBean
	TaskRouter taskQueueRouter(TaskQueueProperties properties) {
		Map<String, Route> routes = new LinkedHashMap<>();
		properties.getRoutes().forEach((name, route) -> {
			String queue = route.getQueue();
			if (queue == null || queue.isBlank()) {
				throw new InvalidTaskQueuePropertyException(entry("taskqueue.routes", name, "queue"), null,
						"is not set: a route needs the queue its tasks go to",
						"Set " + entry("taskqueue.routes", name, "queue") + " to that queue; exchange and "
								+ "routing-key are optional (the default exchange, with the queue name as "
								+ "routing key, as Celery publishes).");
			}
			routes.put(name, new Route(queue, route.getExchange(), route.getRoutingKey()));
		});
		return new TaskRouter(routes, properties.getDefaultQueue());
	}

	@Bean
	@ConditionalOnMissingBean
	ConfirmedPublisher taskQueuePublisher(ConnectionFactory connectionFactory, TaskQueueProperties properties) {
		TaskQueueProperties.Client client = properties.getClient();
		return new ConfirmedPublisher(connectionFactory,
				positive("taskqueue.client.publish-timeout", client.getPublishTimeout()),
				atLeast("taskqueue.client.channel-pool-size", client.getChannelPoolSize(), 1));
	}

	@Bean
	@ConditionalOnMissingBean
	QueueDeclarer taskQueueDeclarer(ConnectionFactory connectionFactory, TaskQueueProperties properties) {
		QueueType defaultType = properties.getDefaultQueueType();
		ExchangeType defaultExchangeType = properties.getDefaultExchangeType();
		Map<String, QueueArguments> arguments = new LinkedHashMap<>();
		properties.getQueues()
			.forEach((name, queue) -> arguments.put(name,
					queueArguments(name, queue, defaultType, defaultExchangeType)));
		QueueDeclarer declarer = new QueueDeclarer(connectionFactory, arguments,
				new QueueArguments(defaultType, null, null, defaultExchangeType));
		TaskQueueProperties.NativeDelayedDelivery delayed = properties.getNativeDelayedDelivery();
		if (delayed.isEnabled(properties.getCeleryVersion())) {
			// Workers bind the quorum queues they consume; the client sends countdown
			// tasks for them through it.
			declarer.setNativeDelayedDelivery(new NativeDelayedDelivery(connectionFactory, delayed.getQueueType()));
		}
		return declarer;
	}

	private static QueueArguments queueArguments(String queue, TaskQueueProperties.Queue properties,
			QueueType defaultType, ExchangeType defaultExchangeType) {
		QueueType type = (properties.getType() != null) ? properties.getType() : defaultType;
		ExchangeType exchangeType = (properties.getExchangeType() != null) ? properties.getExchangeType()
				: defaultExchangeType;
		String typeName = entry("taskqueue.queues", queue, "type");
		Integer maxPriority = properties.getMaxPriority();
		if (maxPriority != null) {
			String name = entry("taskqueue.queues", queue, "max-priority");
			between(name, maxPriority, 1, 255);
			if (type != QueueType.CLASSIC) {
				throw new InvalidTaskQueuePropertyException(name, maxPriority,
						"needs a classic queue: quorum queues do not order messages by priority",
						"Set " + typeName + " to classic, or remove " + name + ".");
			}
		}
		Integer deliveryLimit = properties.getDeliveryLimit();
		if (deliveryLimit != null) {
			String name = entry("taskqueue.queues", queue, "delivery-limit");
			atLeast(name, deliveryLimit, 1);
			if (type != QueueType.QUORUM) {
				throw new InvalidTaskQueuePropertyException(name, deliveryLimit,
						"needs a quorum queue: the broker counts deliveries only for quorum queues",
						"Set " + typeName + " (or taskqueue.default-queue-type) to quorum, or remove " + name
								+ "; for classic queues taskqueue.worker.max-deliveries limits redeliveries.");
			}
		}
		return new QueueArguments(type, maxPriority, deliveryLimit, exchangeType);
	}

	@Bean
	@ConditionalOnMissingBean
	QueueInspector taskQueueInspector(ConnectionFactory connectionFactory, TaskQueueProperties properties) {
		return new QueueInspector(connectionFactory,
				notNegative("taskqueue.worker.queue-stats-max-age", properties.getWorker().getQueueStatsMaxAge()));
	}

	/**
	 * Results without Redis: none when asked for, else a start-up failure that says what
	 * is missing ({@link TaskQueueRedisConfiguration} stores them when Redis is there).
	 */
	@Bean
	@ConditionalOnMissingBean
	ResultBackend taskQueueResultBackend(TaskQueueProperties properties) {
		if (properties.getResult().getBackend() != TaskQueueProperties.Result.Backend.NONE) {
			throw new InvalidTaskQueuePropertyException("taskqueue.result.backend", "redis",
					"needs Redis, and this application has no RedisConnectionFactory (or several and none of "
							+ "them @Primary)",
					"Add spring-boot-starter-data-redis and spring.data.redis.* settings, or set "
							+ "taskqueue.result.backend to none to store no results.");
		}
		return ResultBackend.none();
	}

	@Bean
	@ConditionalOnMissingBean
	TaskClientConfigurer taskClientConfigurer(TaskQueueProperties properties, ObjectProvider<TaskRegistry> registry,
			ObjectProvider<ControlBus> control, ObjectProvider<UniqueLocks> uniqueLocks,
			ObjectProvider<ClusterControl> cluster, ObjectProvider<EventDispatcher> events,
			ListableBeanFactory beanFactory) {
		TaskClientConfigurer configurer = new TaskClientConfigurer(properties);
		// Resolving the registry on every send cost a seventh of send()'s CPU, so it is
		// resolved once, and not at all in an application that has none (a dispatcher).
		if (beanFactory.getBeanNamesForType(TaskRegistry.class, true, false).length > 0) {
			configurer.setTaskRegistry(SingletonSupplier.<@Nullable TaskRegistry>of(registry::getIfAvailable));
		}
		configurer.setControlBus(control.getIfAvailable());
		configurer.setUniqueLocks(uniqueLocks.getIfAvailable());
		configurer.setClusterControl(cluster.getIfAvailable());
		if (properties.getClient().isSendSentEvent()) {
			configurer.setSentEventDispatcher(events.getIfAvailable());
		}
		return configurer;
	}

	@Bean
	@ConditionalOnMissingBean(TaskClient.class)
	DefaultTaskClient taskClient(TaskClientConfigurer configurer, TaskMessageCodec codec, ConfirmedPublisher publisher,
			QueueDeclarer declarer, TaskRouter router, ResultBackend backend,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<TaskPublishObservationConvention> observationConvention,
			ObjectProvider<TaskClientCustomizer> customizers) {
		DefaultTaskClient client = new DefaultTaskClient(codec, publisher, declarer, router, backend,
				configurer::queueOf);
		configurer.configure(client);
		client.setObservationRegistry(observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
		client.setObservationConvention(observationConvention.getIfAvailable());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(client));
		return client;
	}

}
