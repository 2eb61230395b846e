package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.worker.QueueTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Spring Boot's {@code spring.threads.virtual.enabled}, the worker runs tasks on
 * virtual threads: on its consumers, when held until due, and under a hard time limit.
 * Needs Java 21 or later: the build runs it on such a JVM when the machine has one.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadsIntegrationTests {

	private final String queue = "tq-virtual-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withUserConfiguration(ThreadTasks.class)
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.data.redis.host=127.0.0.1",
				"taskqueue.default-queue=" + this.queue, "spring.threads.virtual.enabled=true");

	@AfterEach
	void deleteQueues() {
		TestQueues.delete(this.queue);
	}

	@Test
	void tasksRunOnVirtualThreads() {
		this.runner.run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			Duration timeout = Duration.ofSeconds(10);
			assertThat(client.send("virtual.thread").get(timeout)).isEqualTo("virtual");
			assertThat(client.send("virtual.limited").get(timeout)).isEqualTo("virtual");
			assertThat(client.send(TaskRequest.builder("virtual.thread").countdown(Duration.ofMillis(300)).build())
				.get(timeout)).isEqualTo("virtual");
		});
	}

	@Test
	void withoutTheSettingTasksRunOnPlatformThreads() {
		this.runner.withPropertyValues("spring.threads.virtual.enabled=false").run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			assertThat(client.send("virtual.thread").get(Duration.ofSeconds(10))).isEqualTo("platform");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ThreadTasks {

		@Bean
		Tasks tasks() {
			return new Tasks();
		}

	}

	static class Tasks {

		@QueueTask("virtual.thread")
		String thread() {
			return kind();
		}

		@QueueTask(name = "virtual.limited", timeLimit = 10)
		String limited() {
			return kind();
		}

		// Thread.isVirtual() is Java 21 API; this module compiles for Java 17.
		private static String kind() {
			try {
				return (boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread()) ? "virtual"
						: "platform";
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
