package dev.taskqueue.autoconfigure.metrics;

import java.time.Duration;
import java.util.UUID;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TestQueues;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.worker.QueueTask;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.MeterNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code taskqueue.tasks.rate.limited} counts the tasks that had to wait for their rate
 * limit.
 */
class TaskQueueRateLimitMetricsIntegrationTests {

	private final String queue = "tq-metrics-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				JacksonAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				TaskQueueMetricsAutoConfiguration.class))
		.withUserConfiguration(LimitedTasks.class)
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.data.redis.host=127.0.0.1",
				"taskqueue.default-queue=" + this.queue, "taskqueue.worker.concurrency=1",
				"taskqueue.tasks.[metrics.limited].rate-limit=1/m");

	@AfterEach
	void deleteQueues() {
		TestQueues.delete(this.queue);
	}

	@Test
	void countsTasksThatWaitForTheirRateLimit() {
		this.runner.run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(client.send("metrics.limited", 1).get(Duration.ofSeconds(10))).isEqualTo(1);
			client.send("metrics.limited", 2);
			client.send("metrics.limited", 3);
			// A counter exists from its first count on: until then, get(...) throws.
			await().atMost(Duration.ofSeconds(10))
				.ignoreException(MeterNotFoundException.class)
				.untilAsserted(() -> assertThat(registry.get("taskqueue.tasks.rate.limited")
					.tag("taskqueue.task.name", "metrics.limited")
					.counter()
					.count()).isEqualTo(2));
		});
	}

	static class LimitedTasks {

		@QueueTask("metrics.limited")
		int limited(int x) {
			return x;
		}

	}

}
