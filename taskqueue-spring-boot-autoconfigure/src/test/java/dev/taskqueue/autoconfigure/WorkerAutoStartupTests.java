package dev.taskqueue.autoconfigure;

import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.WorkerContainer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.LifecycleProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the auto-configured worker starts with the application: only with a task to run or
 * queues named to consume, and never with {@code taskqueue.worker.auto-startup=false}.
 * The application's lifecycle processor is a no-op here, so nothing connects: the tests
 * read the worker's decision, and the integration tests check it on the broker.
 */
class WorkerAutoStartupTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, JacksonAutoConfiguration.class,
				TaskQueueAutoConfiguration.class))
		.withUserConfiguration(NoLifecycleConfiguration.class)
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "taskqueue.result.backend=none");

	@Test
	void applicationWithoutTasksDoesNotConsumeTheDefaultQueue() {
		this.runner.run((context) -> assertThat(context.getBean(WorkerContainer.class).isAutoStartup()).isFalse());
	}

	@Test
	void applicationWithATaskConsumes() {
		this.runner.withUserConfiguration(TaskConfiguration.class)
			.run((context) -> assertThat(context.getBean(WorkerContainer.class).isAutoStartup()).isTrue());
	}

	@Test
	void applicationWithoutTasksConsumesTheQueuesItNames() {
		this.runner.withPropertyValues("taskqueue.worker.queues=orders")
			.run((context) -> assertThat(context.getBean(WorkerContainer.class).isAutoStartup()).isTrue());
	}

	@Test
	void applicationWithoutTasksConsumesQueuesItConfigures() {
		this.runner.withPropertyValues("taskqueue.queues.orders.concurrency=2")
			.run((context) -> assertThat(context.getBean(WorkerContainer.class).isAutoStartup()).isTrue());
	}

	@Test
	void autoStartupFalseKeepsAWorkerWithTasksStopped() {
		this.runner.withUserConfiguration(TaskConfiguration.class)
			.withPropertyValues("taskqueue.worker.auto-startup=false")
			.run((context) -> assertThat(context.getBean(WorkerContainer.class).isAutoStartup()).isFalse());
	}

	@Test
	void disabledWorkerHasNoContainer() {
		this.runner.withUserConfiguration(TaskConfiguration.class)
			.withPropertyValues("taskqueue.worker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerContainer.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class NoLifecycleConfiguration {

		// The context's lifecycle processor by its reserved name: nothing starts.
		@Bean
		LifecycleProcessor lifecycleProcessor() {
			return new LifecycleProcessor() {

				@Override
				public void onRefresh() {
				}

				@Override
				public void onClose() {
				}

				@Override
				public void start() {
				}

				@Override
				public void stop() {
				}

				@Override
				public boolean isRunning() {
					return false;
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TaskConfiguration {

		@Bean
		Tasks tasks() {
			return new Tasks();
		}

	}

	static class Tasks {

		@QueueTask("autostartup.square")
		int square(int x) {
			return x * x;
		}

	}

}
