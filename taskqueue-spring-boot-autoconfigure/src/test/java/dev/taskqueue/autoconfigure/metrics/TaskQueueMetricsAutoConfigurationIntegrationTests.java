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
import io.micrometer.core.instrument.Timer;
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
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * taskqueue's meters after a known sequence of tasks, on the real broker and Redis: the
 * observations' timers with Spring Boot's observation and metrics auto-configuration, and
 * the meters they do not give.
 */
class TaskQueueMetricsAutoConfigurationIntegrationTests {

	private final String queue = "tq-metrics-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				JacksonAutoConfiguration.class, ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
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
	void observationsTimeAndCountWhatWasSentAndWhatRanByOutcome() {
		this.runner.run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Duration timeout = Duration.ofSeconds(10);
			assertThat(client.send("metrics.square", 3).get(timeout)).isEqualTo(9);
			assertThat(client.send("metrics.square", 4).get(timeout)).isEqualTo(16);
			assertThatExceptionOfType(TaskFailedException.class)
				.isThrownBy(() -> client.send("metrics.fail").get(timeout));
			assertThat(client.send("metrics.retry_once").get(timeout)).isEqualTo("done");
			// An execution's observation ends once its outcome is stored, after the
			// result is readable.
			Awaitility.await()
				.atMost(timeout)
				.ignoreException(MeterNotFoundException.class)
				.untilAsserted(() -> assertThat(execute(registry, "metrics.retry_once", "success").count()).isOne());
			assertThat(registry.get("taskqueue.publish")
				.tag("taskqueue.task.name", "metrics.square")
				.tag("taskqueue.outcome", "success")
				.tag("messaging.rabbitmq.destination.routing_key", this.queue)
				.tag("error", "none")
				.timer()
				.count()).isEqualTo(2);
			assertThat(registry.get("taskqueue.publish")
				.tag("taskqueue.task.name", "metrics.square")
				.timer()
				.totalTime(TimeUnit.NANOSECONDS)).isPositive();
			Awaitility.await()
				.atMost(timeout)
				.ignoreException(MeterNotFoundException.class)
				.untilAsserted(() -> assertThat(execute(registry, "metrics.square", "success").count()).isEqualTo(2));
			assertThat(execute(registry, "metrics.square", "success").getId().getTag("taskqueue.worker.name"))
				.isEqualTo("metrics-worker");
			assertThat(execute(registry, "metrics.square", "success").getId().getTag("messaging.destination.name"))
				.isEqualTo(this.queue);
			assertThat(registry.get("taskqueue.execute")
				.tag("taskqueue.task.name", "metrics.fail")
				.tag("taskqueue.outcome", "failure")
				.tag("error", "IllegalStateException")
				.timer()
				.count()).isOne();
			assertThat(registry.get("taskqueue.execute")
				.tag("taskqueue.task.name", "metrics.retry_once")
				.tag("taskqueue.outcome", "retry")
				.tag("error", "IllegalArgumentException")
				.timer()
				.count()).isOne();
		});
	}

	@Test
	void countsWhatTheObservationsDoNotSeeAndDuplicatesNoTimer() {
		this.runner.run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Duration timeout = Duration.ofSeconds(10);
			assertThat(client.send("metrics.square", 3).get(timeout)).isEqualTo(9);
			assertThat(client.send("metrics.retry_once").get(timeout)).isEqualTo("done");
			client.send("metrics.unknown");
			Awaitility.await()
				.atMost(timeout)
				.ignoreException(MeterNotFoundException.class)
				.untilAsserted(
						() -> assertThat(count(registry, "taskqueue.tasks.rejected", "metrics.unknown")).isOne());
			assertThat(registry.get("taskqueue.tasks.rejected").tag("error", "NotRegistered").counter().count())
				.isOne();
			assertThat(count(registry, "taskqueue.tasks.received", "metrics.square")).isOne();
			assertThat(count(registry, "taskqueue.tasks.received", "metrics.retry_once")).isEqualTo(2);
			assertThat(registry.get("taskqueue.tasks.queue.wait")
				.tag("taskqueue.task.name", "metrics.square")
				.tag("messaging.destination.name", this.queue)
				.timer()
				.count()).isOne();
			assertThat(registry.get("taskqueue.worker.tasks.active")
				.tag("taskqueue.worker.name", "metrics-worker")
				.gauge()
				.value()).isZero();
			assertThat(registry.get("taskqueue.worker.tasks.abandoned")
				.tag("taskqueue.worker.name", "metrics-worker")
				.gauge()
				.value()).isZero();
			assertThat(registry.get("taskqueue.queue.consumers")
				.tag("messaging.destination.name", this.queue)
				.gauge()
				.value()).isEqualTo(2);
			Awaitility.await()
				.atMost(timeout)
				.ignoreException(MeterNotFoundException.class)
				.untilAsserted(() -> assertThat(registry.get("taskqueue.queue.messages")
					.tag("messaging.destination.name", this.queue + ".dlq")
					.gauge()
					.value()).isEqualTo(1));
			// What the observations give is not measured a second time.
			assertThat(registry.find("taskqueue.tasks.sent").meters()).isEmpty();
			assertThat(registry.find("taskqueue.tasks.publish").meters()).isEmpty();
			assertThat(registry.find("taskqueue.tasks.runtime").meters()).isEmpty();
			assertThat(registry.find("taskqueue.tasks.succeeded").meters()).isEmpty();
			assertThat(registry.find("taskqueue.tasks.failed").meters()).isEmpty();
			assertThat(registry.find("taskqueue.tasks.retried").meters()).isEmpty();
		});
	}

	@Test
	void meterNamesAreDotSeparatedLowercaseWords() {
		this.runner.run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(client.send("metrics.square", 2).get(Duration.ofSeconds(10))).isEqualTo(4);
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.ignoreException(MeterNotFoundException.class)
				.untilAsserted(() -> assertThat(registry.find("taskqueue.execute").timers()).isNotEmpty());
			assertThat(registry.getMeters()).map((meter) -> meter.getId().getName())
				.filteredOn((name) -> name.startsWith("taskqueue"))
				.isNotEmpty()
				.allMatch((name) -> name.matches("[a-z]+(\\.[a-z]+)*"), "dot-separated lowercase words");
			assertThat(TaskQueueMeterDocumentation.values()).extracting(TaskQueueMeterDocumentation::getName)
				.allMatch((name) -> name.matches("[a-z]+(\\.[a-z]+)*"), "dot-separated lowercase words");
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
					.ignoreException(MeterNotFoundException.class)
					.untilAsserted(() -> assertThat(registry.scrape().lines())
						.anyMatch((line) -> line.startsWith("taskqueue_publish_seconds_count{")
								&& line.contains("messaging_destination_name=\"\"")
								&& line.contains("taskqueue_task_name=\"metrics.square\"") && line.endsWith(" 1"))
						.anyMatch((line) -> line.startsWith("taskqueue_execute_seconds_count{")
								&& line.contains("taskqueue_outcome=\"success\"")
								&& line.contains("taskqueue_worker_name=\"metrics-worker\"") && line.endsWith(" 1"))
						.contains("taskqueue_tasks_received_total{taskqueue_task_name=\"metrics.square\"} 1.0")
						.anyMatch((line) -> line
							.startsWith("taskqueue_queue_consumers{messaging_destination_name=\"" + this.queue + "\"}"))
						.contains("taskqueue_worker_tasks_active{taskqueue_worker_name=\"metrics-worker\"} 0.0"));
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
		return registry.get(name).tag("taskqueue.task.name", task).counter().count();
	}

	private static Timer execute(MeterRegistry registry, String task, String outcome) {
		return registry.get("taskqueue.execute")
			.tag("taskqueue.task.name", task)
			.tag("taskqueue.outcome", outcome)
			.timer();
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
