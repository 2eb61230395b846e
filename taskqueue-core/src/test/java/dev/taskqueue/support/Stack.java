package dev.taskqueue.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.DelayQueues;
import dev.taskqueue.broker.internal.QueueArguments;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.DefaultTaskClient;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.client.internal.TaskRouter;
import dev.taskqueue.client.internal.UniqueLocks;
import dev.taskqueue.control.internal.ControlBus;
import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.protocol.TaskSerializer;
import dev.taskqueue.protocol.internal.Serializers;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.ratelimit.internal.ClusterRateLimiters;
import dev.taskqueue.result.internal.RedisResultBackend;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.result.internal.ResultCodec;
import dev.taskqueue.worker.TaskListener;
import dev.taskqueue.worker.TaskOptions;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.internal.QueueTaskBeanPostProcessor;
import dev.taskqueue.worker.internal.TaskRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole taskqueue stack wired by hand on the real broker and Redis, without Spring
 * Boot: a client, a result backend and (optionally) a worker running the
 * {@code @QueueTask} methods of the given beans. Every queue it touches is deleted on
 * {@link #close()}.
 */
public final class Stack implements AutoCloseable {

	public final CachingConnectionFactory rabbit = Infrastructure.rabbit();

	public final LettuceConnectionFactory redis = Infrastructure.redis();

	public final JsonMapper mapper = JsonMapper.builder().build();

	public final TaskMessageCodec codec;

	public final ConfirmedPublisher publisher;

	public final QueueDeclarer declarer;

	public final RedisResultBackend backend;

	public final TaskRegistry registry = new TaskRegistry();

	public final DefaultTaskClient client;

	public final DelayQueues delayQueues;

	public final ControlBus control;

	public final UniqueLocks uniqueLocks;

	/** Cluster-wide rate limits, under a key prefix of this stack's own. */
	public final ClusterRateLimiters clusterRateLimiters;

	private final String rateKeyPrefix = Infrastructure.unique("test-rate") + ":";

	public final String defaultQueue;

	private final List<WorkerContainer> workers = new ArrayList<>();

	private final List<String> queues = new ArrayList<>();

	private Stack(Builder builder) {
		this.defaultQueue = builder.defaultQueue;
		Serializers serializers = new Serializers(builder.extraSerializers.isEmpty() ? Serializers.builtIn(this.mapper)
				: java.util.stream.Stream
					.concat(Serializers.builtIn(this.mapper).stream(), builder.extraSerializers.stream())
					.toList());
		this.codec = new TaskMessageCodec(this.mapper, builder.accept, serializers, builder.serializer,
				builder.compression, builder.celeryVersion.writesTypedJson());
		this.publisher = new ConfirmedPublisher(this.rabbit, Duration.ofSeconds(5), 4);
		this.declarer = new QueueDeclarer(this.rabbit, builder.queueArguments, QueueArguments.CELERY);
		this.clusterRateLimiters = new ClusterRateLimiters(this.redis, this.rateKeyPrefix);
		this.backend = new RedisResultBackend(this.redis,
				new ResultCodec(this.mapper, serializers.get(builder.resultSerializer), builder.celeryVersion), "",
				builder.expires);
		QueueTaskBeanPostProcessor processor = new QueueTaskBeanPostProcessor(this.registry, this.mapper);
		int i = 0;
		for (Object bean : builder.beans) {
			processor.postProcessAfterInitialization(bean, "bean" + i++);
		}
		this.delayQueues = new DelayQueues(this.rabbit, this.publisher);
		this.client = new DefaultTaskClient(this.codec, this.publisher, this.declarer,
				new TaskRouter(builder.routes, builder.defaultQueue),
				builder.resultsEnabled ? this.backend : ResultBackend.none(), this.registry::queueOf);
		this.control = new ControlBus(this.redis, "", builder.expires);
		this.client.setControlBus(this.control);
		this.client.setTaskSerializers(this.registry::serializerOf);
		this.uniqueLocks = new UniqueLocks(this.redis, "", this.mapper);
		this.client.setUniqueLocks(this.uniqueLocks);
		this.queues.add(builder.defaultQueue);
		builder.routes.values().forEach((route) -> this.queues.add(route.queue()));
		this.queues.addAll(builder.queues);
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Start a worker consuming the given queues.
	 * @param queues the queues
	 * @return the started worker
	 */
	public WorkerContainer startWorker(String... queues) {
		return startWorker(settings(List.of(queues)));
	}

	/**
	 * Start a worker with the given settings.
	 * @param settings the settings
	 * @return the started worker
	 */
	public WorkerContainer startWorker(WorkerSettings settings) {
		return startWorker(settings, List.of(), null);
	}

	/**
	 * Start a worker with listeners and an event publisher.
	 * @param settings the settings
	 * @param listeners global task listeners
	 * @param events the event publisher, or {@code null}
	 * @return the started worker
	 */
	public WorkerContainer startWorker(WorkerSettings settings, List<TaskListener> listeners,
			org.springframework.context.@Nullable ApplicationEventPublisher events) {
		return startWorker(settings, listeners, events, (worker) -> {
		});
	}

	/**
	 * Start a worker configured further before it starts.
	 * @param settings the settings
	 * @param listeners global task listeners
	 * @param events the event publisher, or {@code null}
	 * @param customizer configures the worker before it starts
	 * @return the started worker
	 */
	public WorkerContainer startWorker(WorkerSettings settings, List<TaskListener> listeners,
			org.springframework.context.@Nullable ApplicationEventPublisher events,
			java.util.function.Consumer<WorkerContainer> customizer) {
		this.queues.addAll(settings.queues());
		WorkerContainer worker = new WorkerContainer(this.rabbit, this.registry, this.codec, this.backend, this.client,
				this.publisher, this.declarer, this.delayQueues, settings);
		worker.setTaskListeners(listeners);
		worker.setControlBus(this.control);
		worker.setUniqueLocks(this.uniqueLocks);
		worker.setClusterRateLimiters(this.clusterRateLimiters);
		if (events != null) {
			worker.setApplicationEventPublisher(events);
		}
		customizer.accept(worker);
		this.workers.add(worker);
		worker.start();
		return worker;
	}

	/**
	 * Default settings for a test worker on some queues.
	 * @param queues the queues
	 * @return the settings
	 */
	public WorkerSettings settings(List<String> queues) {
		return settings(queues, Map.of());
	}

	/**
	 * Settings with per-task options.
	 * @param queues the queues
	 * @param tasks the options by task name
	 * @return the settings
	 */
	public WorkerSettings settings(List<String> queues, Map<String, TaskOptions> tasks) {
		return settingsBuilder(queues).tasks(tasks).build();
	}

	/**
	 * A builder with the test worker's defaults, for tests that change a setting.
	 * @param queues the queues
	 * @return the builder
	 */
	public WorkerSettings.Builder settingsBuilder(List<String> queues) {
		return WorkerSettings.builder("test-worker@localhost", queues)
			.concurrency(2)
			.prefetch(4)
			.redeliveryBackoff(Duration.ofMillis(200));
	}

	/**
	 * Return the workers started so far.
	 * @return the workers started so far
	 */
	public List<WorkerContainer> workers() {
		return List.copyOf(this.workers);
	}

	/**
	 * Return an admin on the test broker.
	 * @return an admin on the test broker
	 */
	public RabbitAdmin admin() {
		return new RabbitAdmin(this.rabbit);
	}

	/**
	 * Remember a queue to delete on close.
	 * @param queue the queue name
	 */
	public void deleteOnClose(String queue) {
		this.queues.add(queue);
	}

	@Override
	public void close() {
		this.workers.forEach(WorkerContainer::stop);
		this.workers.forEach(WorkerContainer::destroy);
		RabbitAdmin admin = admin();
		for (String queue : this.queues) {
			admin.deleteQueue(queue);
			admin.deleteQueue(queue + QueueDeclarer.DLQ_SUFFIX);
			admin.deleteExchange(queue);
			admin.deleteExchange(queue + QueueDeclarer.DLQ_SUFFIX);
		}
		this.publisher.destroy();
		org.springframework.data.redis.core.StringRedisTemplate redis = new org.springframework.data.redis.core.StringRedisTemplate(
				this.redis);
		this.registry.getTasks().forEach((task) -> redis.delete(this.clusterRateLimiters.keyOf(task.getName())));
		try {
			this.control.destroy();
			this.backend.destroy();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		this.rabbit.destroy();
		this.redis.destroy();
	}

	public static final class Builder {

		private final List<Object> beans = new ArrayList<>();

		private final Map<String, Route> routes = new LinkedHashMap<>();

		private final List<String> queues = new ArrayList<>();

		private String defaultQueue = Infrastructure.unique("celery");

		private List<String> accept = List.of("json");

		private Duration expires = Duration.ofDays(1);

		private boolean resultsEnabled = true;

		private String serializer = "json";

		private String resultSerializer = "json";

		private @Nullable String compression;

		private CeleryVersion celeryVersion = CeleryVersion.DEFAULT;

		private final List<TaskSerializer> extraSerializers = new ArrayList<>();

		private final Map<String, QueueArguments> queueArguments = new LinkedHashMap<>();

		public Builder queueArguments(String queue, QueueArguments arguments) {
			this.queueArguments.put(queue, arguments);
			return this;
		}

		public Builder tasks(Object... beans) {
			this.beans.addAll(List.of(beans));
			return this;
		}

		public Builder route(String task, Route route) {
			this.routes.put(task, route);
			return this;
		}

		public Builder defaultQueue(String queue) {
			this.defaultQueue = queue;
			return this;
		}

		public Builder deleteOnClose(String queue) {
			this.queues.add(queue);
			return this;
		}

		public Builder accept(String... accept) {
			this.accept = List.of(accept);
			return this;
		}

		public Builder resultExpires(Duration expires) {
			this.expires = expires;
			return this;
		}

		/**
		 * Send with this serializer unless a call chooses another
		 * ({@code taskqueue.serializer}).
		 */
		public Builder serializer(String serializer) {
			this.serializer = serializer;
			return this;
		}

		/** Store results in this serializer ({@code taskqueue.result.serializer}). */
		public Builder resultSerializer(String serializer) {
			this.resultSerializer = serializer;
			return this;
		}

		/**
		 * Write JSON and {@code date_done} as this Celery version does
		 * ({@code taskqueue.celery-version}).
		 */
		public Builder celeryVersion(CeleryVersion version) {
			this.celeryVersion = version;
			return this;
		}

		/** Compress sent bodies ({@code taskqueue.compression}). */
		public Builder compression(String compression) {
			this.compression = compression;
			return this;
		}

		/** Know an application's own serializer besides the built-in ones. */
		public Builder serializer(TaskSerializer serializer) {
			this.extraSerializers.add(serializer);
			return this;
		}

		public Builder resultsDisabled() {
			this.resultsEnabled = false;
			return this;
		}

		public String defaultQueue() {
			return this.defaultQueue;
		}

		public Stack build() {
			return new Stack(this);
		}

	}

}
