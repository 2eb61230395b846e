package dev.taskqueue.autoconfigure.metrics;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TestQueues;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.MeterNotFoundException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * taskqueue's meters after a known sequence of tasks, on the real broker and Redis.
 */
class TaskQueueMetricsAutoConfigurationIntegrationTests {

	private final String queue = "tq-metrics-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				JacksonAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				TaskQueueMetricsAutoConfiguration.class))
		.withUserConfiguration(Tasks.class)
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.data.redis.host=127.0.0.1",
				"taskqueue.default-queue=" + this.queue, "taskqueue.worker.concurrency=2",
				"taskqueue.worker.name=metrics-worker");

	@AfterEach
	void deleteQueues() {
		TestQueues.delete(this.queue);
	}

	@Test
	void countsAndTimesAKnownSequenceOfTasks() {
		this.runner.run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Duration timeout = Duration.ofSeconds(10);
			assertThat(client.send("metrics.square", 3).get(timeout)).isEqualTo(9);
			assertThat(client.send("metrics.square", 4).get(timeout)).isEqualTo(16);
			assertThatExceptionOfType(TaskFailedException.class)
				.isThrownBy(() -> client.send("metrics.fail").get(timeout));
			assertThat(client.send("metrics.retry_once").get(timeout)).isEqualTo("done");
			client.send("metrics.unknown");
			// A counter exists from its first count on: until then, get(...) throws.
			Awaitility.await().atMost(timeout).ignoreException(MeterNotFoundException.class).untilAsserted(() -> {
				assertThat(count(registry, "taskqueue.tasks.rejected", "metrics.unknown")).isEqualTo(1);
				assertThat(count(registry, "taskqueue.tasks.succeeded", "metrics.retry_once")).isEqualTo(1);
			});
			assertThat(registry.get("taskqueue.tasks.sent")
				.tag("task", "metrics.square")
				.tag("queue", this.queue)
				.counter()
				.count()).isEqualTo(2);
			assertThat(count(registry, "taskqueue.tasks.received", "metrics.square")).isEqualTo(2);
			assertThat(count(registry, "taskqueue.tasks.succeeded", "metrics.square")).isEqualTo(2);
			assertThat(registry.get("taskqueue.tasks.failed")
				.tag("task", "metrics.fail")
				.tag("exception", "IllegalStateException")
				.counter()
				.count()).isEqualTo(1);
			assertThat(registry.get("taskqueue.tasks.retried").tag("task", "metrics.retry_once").counter().count())
				.isEqualTo(1);
			assertThat(count(registry, "taskqueue.tasks.received", "metrics.retry_once")).isEqualTo(2);
			assertThat(registry.get("taskqueue.tasks.rejected").tag("reason", "NotRegistered").counter().count())
				.isEqualTo(1);
			assertThat(registry.get("taskqueue.tasks.runtime")
				.tag("task", "metrics.square")
				.tag("outcome", "success")
				.timer()
				.count()).isEqualTo(2);
			assertThat(registry.get("taskqueue.tasks.runtime").tag("outcome", "failure").timer().count()).isEqualTo(1);
			assertThat(registry.get("taskqueue.tasks.queue.wait")
				.tag("task", "metrics.square")
				.tag("queue", this.queue)
				.timer()
				.count()).isEqualTo(2);
			assertThat(registry.get("taskqueue.tasks.publish").tag("task", "metrics.square").timer().count())
				.isEqualTo(2);
			assertThat(registry.get("taskqueue.tasks.publish")
				.tag("task", "metrics.square")
				.timer()
				.totalTime(TimeUnit.NANOSECONDS)).isPositive();
			assertThat(registry.get("taskqueue.worker.tasks.active").tag("worker", "metrics-worker").gauge().value())
				.isZero();
			assertThat(registry.get("taskqueue.worker.tasks.abandoned").tag("worker", "metrics-worker").gauge().value())
				.isZero();
			assertThat(registry.get("taskqueue.queue.consumers").tag("queue", this.queue).gauge().value()).isEqualTo(2);
			Awaitility.await()
				.atMost(timeout)
				.untilAsserted(() -> assertThat(
						registry.get("taskqueue.queue.messages").tag("queue", this.queue + ".dlq").gauge().value())
					.isEqualTo(1));
		});
	}

	@Test
	void prometheusScrapeContainsTheMeters() {
		this.runner.withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
			.run((context) -> {
				assertThat(context.getBean(TaskClient.class).send("metrics.square", 5).get(Duration.ofSeconds(10)))
					.isEqualTo(25);
				PrometheusMeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
				Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(registry.scrape())
						.contains(
								"taskqueue_tasks_sent_total{queue=\"" + this.queue + "\",task=\"metrics.square\"} 1.0")
						.contains("taskqueue_tasks_succeeded_total{task=\"metrics.square\"} 1.0")
						.contains(
								"taskqueue_tasks_runtime_seconds_count{outcome=\"success\",task=\"metrics.square\"} 1")
						.contains("taskqueue_queue_consumers{queue=\"" + this.queue + "\"}")
						.contains("taskqueue_worker_tasks_active{worker=\"metrics-worker\"} 0.0"));
			});
	}

	@Test
	void noMetersWithoutAMeterRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
					JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
					TaskQueueMetricsAutoConfiguration.class))
			.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "taskqueue.worker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueMetrics.class));
	}

	private static double count(MeterRegistry registry, String name, String task) {
		return registry.get(name).tag("task", task).counter().count();
	}

	@Configuration(proxyBeanMethods = false)
	static class Tasks {

		@Bean
		MetricsTasks metricsTasks() {
			return new MetricsTasks();
		}

	}

	static class MetricsTasks {

		@QueueTask("metrics.square")
		int square(int x) {
			return x * x;
		}

		@QueueTask("metrics.fail")
		void fail() {
			throw new IllegalStateException("failing on purpose");
		}

		@QueueTask("metrics.retry_once")
		String retryOnce(TaskContext task) {
			if (task.getRetries() == 0) {
				throw task.retry(Duration.ZERO, new IllegalArgumentException("once more"));
			}
			return "done";
		}

	}

}
