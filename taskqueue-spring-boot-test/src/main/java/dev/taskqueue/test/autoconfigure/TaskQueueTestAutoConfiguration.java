package dev.taskqueue.test.autoconfigure;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.taskqueue.autoconfigure.TaskClientCustomizer;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueProperties;
import dev.taskqueue.autoconfigure.WorkerContainerConfigurer;
import dev.taskqueue.autoconfigure.WorkerContainerCustomizer;
import dev.taskqueue.autoconfigure.cluster.TaskQueueClusterAutoConfiguration;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.result.internal.ResultCodec;
import dev.taskqueue.test.TaskQueueTestMode;
import dev.taskqueue.test.TestClock;
import dev.taskqueue.test.internal.DefaultTaskRecorder;
import dev.taskqueue.test.internal.IdleWorkerEventMonitor;
import dev.taskqueue.test.internal.InMemoryResultBackend;
import dev.taskqueue.test.internal.InlineWorker;
import dev.taskqueue.test.internal.TestDelayQueues;
import dev.taskqueue.test.internal.TestPublisher;
import dev.taskqueue.test.internal.TestQueueDeclarer;
import dev.taskqueue.worker.TaskListener;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.internal.TaskRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@link AutoConfiguration Auto-configuration} of taskqueue's test modes, imported by
 * {@link dev.taskqueue.test.AutoConfigureTaskQueue @AutoConfigureTaskQueue}. In the
 * record and inline modes ({@code taskqueue.test.mode}) it gives the {@link TaskClient} a
 * publisher that publishes nothing, results in memory, a {@link TestClock} and a
 * {@link dev.taskqueue.test.TaskRecorder}, and keeps the worker from consuming; in the
 * inline mode it adds the in-process worker. In the broker mode it does nothing.
 */
@AutoConfiguration(before = { TaskQueueAutoConfiguration.class, TaskQueueClusterAutoConfiguration.class })
@ConditionalOnClass(TaskClient.class)
@Conditional(TaskQueueTestAutoConfiguration.WithoutBrokerCondition.class)
public final class TaskQueueTestAutoConfiguration {

	static final String MODE = "taskqueue.test.mode";

	@Bean
	@Primary
	@ConditionalOnMissingBean
	TestClock taskQueueTestClock() {
		// Whole seconds: countdowns then fall due exactly when the clock is advanced by
		// them.
		return new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
	}

	@Bean
	@ConditionalOnMissingBean
	DefaultTaskRecorder taskQueueTaskRecorder() {
		return new DefaultTaskRecorder();
	}

	@Bean
	InMemoryResultBackend taskQueueTestResultBackend(TaskMessageCodec codec, TaskQueueProperties properties) {
		TaskQueueProperties.Result result = properties.getResult();
		return new InMemoryResultBackend(
				new ResultCodec(codec.mapper(), codec.serializers().get(result.getSerializer()),
						codec.writesTypedJson(), properties.getCeleryVersion().writesAwareDateDone()));
	}

	@Bean
	TestPublisher taskQueueTestPublisher(ConnectionFactory connectionFactory, TaskMessageCodec codec,
			DefaultTaskRecorder recorder, InMemoryResultBackend backend, TestClock clock) {
		return new TestPublisher(connectionFactory, codec, recorder, backend, clock);
	}

	@Bean
	TestQueueDeclarer taskQueueTestDeclarer(ConnectionFactory connectionFactory) {
		return new TestQueueDeclarer(connectionFactory);
	}

	@Bean
	TestDelayQueues taskQueueTestDelayQueues(ConnectionFactory connectionFactory, TestPublisher publisher,
			TestClock clock) {
		return new TestDelayQueues(connectionFactory, publisher, clock);
	}

	@Bean
	IdleWorkerEventMonitor taskQueueTestWorkerEventMonitor(ConnectionFactory connectionFactory) {
		return new IdleWorkerEventMonitor(connectionFactory);
	}

	@Bean
	WorkerContainerCustomizer taskQueueTestWorkerCustomizer() {
		// Nothing to consume from: the broker is not used in these modes.
		return (worker) -> worker.setAutoStartup(false);
	}

	@Bean
	TaskClientCustomizer taskQueueTestClientCustomizer(TestClock clock) {
		return (client) -> client.setClock(clock);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = MODE, havingValue = "inline")
	static class InlineConfiguration {

		@Bean(destroyMethod = "destroy")
		InlineWorker taskQueueInlineWorker(ObjectProvider<TaskRegistry> registry, TaskMessageCodec codec,
				InMemoryResultBackend backend, TaskClient client, TestPublisher publisher, TestQueueDeclarer declarer,
				TestDelayQueues delayQueues, ObjectProvider<WorkerContainerConfigurer> configurer,
				TaskQueueProperties properties, TestClock clock, ObjectProvider<TaskListener> listeners,
				ObjectProvider<ObservationRegistry> observationRegistry) {
			WorkerContainerConfigurer workerConfigurer = configurer.getIfAvailable();
			// Without a worker (taskqueue.worker.enabled=false) no task is registered:
			// every task is then refused as a worker without it would refuse it.
			WorkerSettings settings = (workerConfigurer != null) ? workerConfigurer.settings().build()
					: WorkerSettings.builder(WorkerSettings.defaultName(), List.of(properties.getDefaultQueue()))
						.build();
			InlineWorker worker = new InlineWorker(registry.getIfAvailable(TaskRegistry::new), codec, backend, client,
					publisher, declarer, delayQueues, settings, clock);
			worker.setTaskListeners(listeners.orderedStream().toList());
			worker.setObservationRegistry(observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
			publisher.setInlineWorker(worker);
			clock.addListener(worker::runDue);
			return worker;
		}

	}

	/**
	 * Matches unless {@code taskqueue.test.mode} is {@code broker}.
	 */
	static final class WithoutBrokerCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			TaskQueueTestMode mode = Binder.get(context.getEnvironment())
				.bind(MODE, TaskQueueTestMode.class)
				.orElse(TaskQueueTestMode.RECORD);
			return (mode != TaskQueueTestMode.BROKER) ? ConditionOutcome.match(MODE + " is " + mode)
					: ConditionOutcome.noMatch(MODE + " is broker: the application's own configuration applies");
		}

	}

}
