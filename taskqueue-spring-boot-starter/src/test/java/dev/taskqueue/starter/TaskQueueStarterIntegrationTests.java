package dev.taskqueue.starter;

import java.time.Duration;
import java.util.UUID;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.WorkerContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain Spring Boot application with nothing but the starter gets a {@link TaskClient}
 * and a running worker that runs its tasks on the local broker and Redis: Spring Boot
 * finds taskqueue through its {@code AutoConfiguration.imports} entry and runs it after
 * its own RabbitMQ, Redis and Jackson auto-configurations. Losing that entry, or an order
 * that no longer holds, turns taskqueue off without an error; this test fails instead.
 */
class TaskQueueStarterIntegrationTests {

	private final String queue = "tq-starter-" + UUID.randomUUID().toString().substring(0, 8);

	@AfterEach
	void deleteQueues() {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory("127.0.0.1");
		try {
			RabbitAdmin admin = new RabbitAdmin(connectionFactory);
			for (String name : new String[] { this.queue, this.queue + ".dlq" }) {
				admin.deleteQueue(name);
				admin.deleteExchange(name);
			}
		}
		finally {
			connectionFactory.destroy();
		}
	}

	@Test
	void plainBootApplicationGetsAClientAndARunningWorkerThatRunsItsTasks() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(StarterApplication.class)
			.web(WebApplicationType.NONE)
			.run("--spring.rabbitmq.host=127.0.0.1", "--spring.data.redis.host=127.0.0.1",
					"--taskqueue.default-queue=" + this.queue, "--taskqueue.worker.concurrency=1",
					"--taskqueue.result.key-prefix=" + this.queue + ":", "--taskqueue.result.expires=5m",
					"--logging.level.root=warn")) {
			WorkerContainer worker = context.getBean(WorkerContainer.class);
			assertThat(worker.isRunning()).isTrue();
			assertThat(worker.getQueues()).containsExactly(this.queue);
			TaskClient client = context.getBean(TaskClient.class);
			assertThat(client.send("starter.square", 6).get(Duration.ofSeconds(30))).isEqualTo(36);
		}
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class StarterApplication {

		@Bean
		SquareTasks squareTasks() {
			return new SquareTasks();
		}

	}

	static class SquareTasks {

		@QueueTask("starter.square")
		int square(int x) {
			return x * x;
		}

	}

}
