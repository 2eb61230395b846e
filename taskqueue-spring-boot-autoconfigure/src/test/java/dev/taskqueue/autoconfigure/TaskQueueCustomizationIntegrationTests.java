package dev.taskqueue.autoconfigure;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.DelayQueues;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.DefaultTaskClient;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.internal.TaskRouter;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.internal.TaskRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The extension points of the auto-configuration: {@link TaskClientCustomizer} and
 * {@link WorkerContainerCustomizer} beans, applied in order, and the
 * {@link TaskClientConfigurer} and {@link WorkerContainerConfigurer} an application uses
 * to build a client or worker of its own with Spring Boot's settings. Contexts run
 * against the local broker and Redis; each worker consumes a queue of its own.
 */
class TaskQueueCustomizationIntegrationTests {

	private final String queue = "tq-custom-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.data.redis.host=127.0.0.1",
				"taskqueue.default-queue=" + this.queue, "taskqueue.worker.concurrency=1",
				"taskqueue.result.key-prefix=" + this.queue + ":");

	@AfterEach
	void deleteQueues() {
		TestQueues.delete(this.queue);
	}

	@Test
	void clientCustomizersAreAppliedInOrder() {
		this.contextRunner.withPropertyValues("taskqueue.worker.enabled=false")
			.withUserConfiguration(ClientCustomizers.class)
			.run((context) -> {
				DefaultTaskClient client = (DefaultTaskClient) context.getBean(TaskClient.class);
				assertThat(context.getBean(ClientCustomizers.class).customized).containsExactly("first " + client,
						"second " + client);
			});
	}

	@Test
	void workerCustomizersAreAppliedInOrderBeforeTheWorkerStarts() {
		// No task registered: the worker consumes only a queue it is given.
		this.contextRunner.withUserConfiguration(WorkerCustomizers.class)
			.withPropertyValues("taskqueue.worker.queues=" + this.queue)
			.run((context) -> {
				WorkerContainer worker = context.getBean(WorkerContainer.class);
				assertThat(context.getBean(WorkerCustomizers.class).customized).containsExactly("first running=false",
						"second running=false");
				assertThat(worker.isRunning()).isTrue();
			});
	}

	@Test
	void configurersAreBeansForApplicationsToBuildTheirOwn() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(TaskClientConfigurer.class)
			.hasSingleBean(WorkerContainerConfigurer.class));
	}

	@Test
	void dispatcherHasNoWorkerConfigurer() {
		this.contextRunner.withPropertyValues("taskqueue.worker.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(TaskClientConfigurer.class)
				.doesNotHaveBean(WorkerContainerConfigurer.class));
	}

	@Test
	void applicationClientBuiltWithTheConfigurerGetsRedisBackedRevocation() {
		this.contextRunner.withPropertyValues("taskqueue.worker.enabled=false")
			.withUserConfiguration(OwnClientConfiguration.class)
			.run((context) -> {
				TaskClient client = context.getBean(TaskClient.class);
				assertThat(client).isSameAs(context.getBean("ownTaskClient"));
				// Revoking needs the control bus the configurer hands over.
				assertThatNoException().isThrownBy(() -> client.revoke(UUID.randomUUID().toString(), false));
			});
	}

	@Test
	void applicationWorkerBuiltWithTheConfigurerGetsTheSettingsOfTheProperties() {
		this.contextRunner.withUserConfiguration(OwnWorkerConfiguration.class, Tasks.class)
			.withPropertyValues("taskqueue.worker.name=own-worker", "taskqueue.worker.prefetch=8",
					"taskqueue.tasks.[custom.echo].rate-limit=5/s")
			.run((context) -> {
				WorkerContainer worker = context.getBean(WorkerContainer.class);
				assertThat(worker).isSameAs(context.getBean("ownWorker"));
				WorkerSettings settings = worker.getSettings();
				assertThat(settings.name()).isEqualTo("own-worker");
				assertThat(settings.queues()).containsExactly(this.queue);
				assertThat(settings.prefetch()).isEqualTo(1);
				assertThat(settings.optionsOf("custom.echo").rateLimit()).isEqualTo(RateLimit.parse("5/s"));
				assertThat(worker.isRunning()).isTrue();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class ClientCustomizers {

		final List<String> customized = new CopyOnWriteArrayList<>();

		@Bean
		@Order(2)
		TaskClientCustomizer second() {
			return (client) -> this.customized.add("second " + client);
		}

		@Bean
		@Order(1)
		TaskClientCustomizer first() {
			return (client) -> this.customized.add("first " + client);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WorkerCustomizers {

		final List<String> customized = new CopyOnWriteArrayList<>();

		@Bean
		@Order(2)
		WorkerContainerCustomizer second() {
			return (worker) -> this.customized.add("second running=" + worker.isRunning());
		}

		@Bean
		@Order(1)
		WorkerContainerCustomizer first() {
			return (worker) -> this.customized.add("first running=" + worker.isRunning());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnClientConfiguration {

		@Bean
		DefaultTaskClient ownTaskClient(TaskClientConfigurer configurer, TaskMessageCodec codec,
				ConfirmedPublisher publisher, QueueDeclarer declarer, TaskRouter router, ResultBackend backend) {
			DefaultTaskClient client = new DefaultTaskClient(codec, publisher, declarer, router, backend,
					configurer::queueOf);
			configurer.configure(client);
			return client;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnWorkerConfiguration {

		@Bean(destroyMethod = "destroy")
		WorkerContainer ownWorker(WorkerContainerConfigurer configurer, ConnectionFactory connectionFactory,
				TaskRegistry registry, TaskMessageCodec codec, ResultBackend backend, TaskClient client,
				ConfirmedPublisher publisher, QueueDeclarer declarer, DelayQueues delayQueues) {
			WorkerSettings settings = configurer.settings().prefetch(1).build();
			WorkerContainer worker = new WorkerContainer(connectionFactory, registry, codec, backend, client, publisher,
					declarer, delayQueues, settings);
			configurer.configure(worker);
			return worker;
		}

	}

	static class Tasks {

		@QueueTask("custom.echo")
		String echo(String text) {
			return text;
		}

	}

}
