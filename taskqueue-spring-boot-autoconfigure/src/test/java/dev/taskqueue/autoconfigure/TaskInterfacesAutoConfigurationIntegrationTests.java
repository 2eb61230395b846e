package dev.taskqueue.autoconfigure;

import java.util.List;
import java.util.UUID;

import dev.taskqueue.client.ImportTaskInterfaces;
import dev.taskqueue.client.TaskExchange;
import dev.taskqueue.client.TaskInterfaceFactory;
import dev.taskqueue.worker.QueueTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Task interfaces in a Spring Boot application: imported as beans created by the
 * auto-configured factory, answered by a worker that implements them, and checked at
 * start-up against the tasks registered in the same application.
 */
class TaskInterfacesAutoConfigurationIntegrationTests {

	private final String queue = "tq-boot-typed-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				TaskInterfacesAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.data.redis.host=127.0.0.1",
				"taskqueue.default-queue=" + this.queue);

	@AfterEach
	void deleteQueues() {
		TestQueues.delete(this.queue);
	}

	@Test
	void importedInterfaceCallsTheWorkerThatImplementsIt() {
		this.runner.withUserConfiguration(Imports.class, Worker.class).run((context) -> {
			assertThat(context).hasNotFailed();
			// The imported proxy is the primary bean of its type; the worker is injected
			// by
			// its class.
			Squares squares = context.getBean(Squares.class);
			assertThat(squares).isSameAs(context.getBean(Squares.class.getName()))
				.isNotSameAs(context.getBean(SquaresWorker.class));
			assertThat(squares.square(7)).isEqualTo(49);
			assertThat(squares.squares(List.of(1, 2, 3))).containsExactly(1, 4, 9);
		});
	}

	@Test
	void interfaceThatDoesNotFitTheRegisteredTaskFailsStartUpNamingBoth() {
		this.runner.withUserConfiguration(Imports.class, MismatchedWorker.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("Task interface method " + Squares.class.getName() + ".square(int)")
				.hasMessageContaining("task 'boot.typed.square' registered in this application ("
						+ Mismatched.class.getName() + ".square(int, int)) takes 2");
		});
	}

	@Test
	void timeoutComesFromTheProperty() {
		this.runner.withPropertyValues("taskqueue.task-interfaces.timeout=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("taskqueue.task-interfaces.timeout");
		});
	}

	@Test
	void noFactoryWithoutAClient() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskInterfacesAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(TaskInterfaceFactory.class));
	}

	@TaskExchange("boot.typed")
	interface Squares {

		int square(int x);

		List<Integer> squares(List<Integer> xs);

	}

	@Configuration(proxyBeanMethods = false)
	@ImportTaskInterfaces(Squares.class)
	static class Imports {

	}

	@Configuration(proxyBeanMethods = false)
	static class Worker {

		@Bean
		SquaresWorker squaresWorker() {
			return new SquaresWorker();
		}

	}

	static class SquaresWorker implements Squares {

		@Override
		@QueueTask
		public int square(int x) {
			return x * x;
		}

		@Override
		@QueueTask
		public List<Integer> squares(List<Integer> xs) {
			return xs.stream().map((x) -> x * x).toList();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MismatchedWorker {

		@Bean
		Mismatched mismatched() {
			return new Mismatched();
		}

	}

	static class Mismatched {

		@QueueTask("boot.typed.square")
		int square(int x, int y) {
			return x * y;
		}

	}

}
