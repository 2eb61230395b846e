package dev.taskqueue.autoconfigure;

import java.time.Duration;

import dev.taskqueue.broker.QueueType;
import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.DelayQueues;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.internal.UniqueLocks;
import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.WorkerDirectory;
import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.control.internal.ControlBus;
import dev.taskqueue.observation.TaskExecuteObservationConvention;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.ratelimit.internal.ClusterRateLimiters;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.worker.TaskListener;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.internal.QueueTaskBeanPostProcessor;
import dev.taskqueue.worker.internal.TaskRegistry;
import dev.taskqueue.worker.internal.WorkerHeartbeat;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker, unless {@code taskqueue.worker.enabled=false}: the registry of
 * {@link dev.taskqueue.worker.QueueTask @QueueTask} methods, the {@link WorkerContainer}
 * that consumes the configured queues and, with Redis, its heartbeat.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "taskqueue.worker.enabled", matchIfMissing = true)
class TaskQueueWorkerConfiguration {

	// Infrastructure: created early for the post processor, which is not worth a warning.
	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static TaskRegistry taskQueueRegistry() {
		return new TaskRegistry();
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static QueueTaskBeanPostProcessor taskQueueBeanPostProcessor(TaskRegistry registry) {
		// Parameter types only need Jackson's type factory, so the BPP does not pull the
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
				throw new IllegalStateException(
						"@QueueTask(serializer = \"" + serializer + "\") of task '" + name
								+ "' is not supported: use a serializer name or content type of "
								+ codec.serializers().describeAccepted() + " (add a TaskSerializer bean for another)",
						ex);
			}
		});
	}

	@Bean
	@ConditionalOnMissingBean
	DelayQueues taskQueueDelayQueues(ConnectionFactory connectionFactory, ConfirmedPublisher publisher,
			TaskQueueProperties properties) {
		QueueType type = properties.getWorker().getDelayQueueType();
		return new DelayQueues(connectionFactory, publisher, (type != null) ? type : properties.getDefaultQueueType());
	}

	@Bean
	@ConditionalOnMissingBean
	WorkerContainerConfigurer workerContainerConfigurer(TaskQueueProperties properties,
			ObjectProvider<TaskListener> listeners, ObjectProvider<ControlBus> control,
			ObjectProvider<UniqueLocks> uniqueLocks, ObjectProvider<ClusterRateLimiters> clusterRateLimiters,
			ObjectProvider<TaskExecuteObservationConvention> observationConvention,
			ObjectProvider<EventDispatcher> eventDispatcher, ObjectProvider<ClusterControl> clusterControl,
			ObjectProvider<ConnectionFactory> connectionFactory, ConfigurableApplicationContext context,
			Environment environment) {
		WorkerContainerConfigurer configurer = new WorkerContainerConfigurer(properties);
		// Running tasks may finish within the time Spring Boot gives each shutdown phase.
		configurer.setShutdownTimeout(Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(Duration.ofSeconds(30)));
		configurer.setTaskListeners(listeners.orderedStream().toList());
		configurer.setControlBus(control.getIfAvailable());
		configurer.setUniqueLocks(uniqueLocks.getIfAvailable());
		configurer.setClusterRateLimiters(clusterRateLimiters.getIfAvailable());
		configurer.setObservationConvention(observationConvention.getIfAvailable());
		configurer.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
		EventDispatcher dispatcher = eventDispatcher.getIfAvailable();
		ClusterControl cluster = clusterControl.getIfAvailable();
		ConnectionFactory rabbit = connectionFactory.getIfAvailable();
		if (dispatcher != null && cluster != null && rabbit != null) {
			configurer.setCluster(rabbit, dispatcher, cluster, properties.getCeleryVersion());
		}
		configurer.setApplicationExit(context::close);
		return configurer;
	}

	@Bean(destroyMethod = "destroy")
	@ConditionalOnMissingBean
	WorkerContainer taskQueueWorker(WorkerContainerConfigurer configurer, ConnectionFactory connectionFactory,
			TaskRegistry registry, TaskMessageCodec codec, ResultBackend backend, TaskClient client,
			ConfirmedPublisher publisher, QueueDeclarer declarer, DelayQueues delayQueues,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<WorkerContainerCustomizer> customizers) {
		WorkerContainer worker = new WorkerContainer(connectionFactory, registry, codec, backend, client, publisher,
				declarer, delayQueues, configurer.settings().build());
		configurer.configure(worker);
		worker.setObservationRegistry(observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
		customizers.orderedStream().forEach((customizer) -> customizer.customize(worker));
		return worker;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(WorkerDirectory.class)
	static class HeartbeatConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WorkerHeartbeat taskQueueWorkerHeartbeat(WorkerContainer worker, WorkerDirectory directory) {
			return new WorkerHeartbeat(worker, directory);
		}

	}

}
