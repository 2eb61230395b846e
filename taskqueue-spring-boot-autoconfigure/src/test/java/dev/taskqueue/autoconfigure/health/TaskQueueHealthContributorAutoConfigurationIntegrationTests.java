package dev.taskqueue.autoconfigure.health;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TestQueues;
import dev.taskqueue.worker.WorkerContainer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code taskqueue} health contributor on the real broker and Redis.
 */
class TaskQueueHealthContributorAutoConfigurationIntegrationTests {

	private final String queue = "tq-health-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				TaskQueueHealthContributorAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.data.redis.host=127.0.0.1",
				"taskqueue.default-queue=" + this.queue, "taskqueue.worker.queues=" + this.queue,
				"taskqueue.worker.concurrency=2");

	@AfterEach
	void deleteQueues() {
		TestQueues.delete(this.queue);
	}

	@Test
	void upWithBrokerResultStoreAndConsumingWorker() {
		this.runner.run((context) -> {
			TaskQueueHealthIndicator indicator = context.getBean("taskqueueHealthIndicator",
					TaskQueueHealthIndicator.class);
			Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				Health health = indicator.health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsKeys("broker", "resultStore", "worker");
				Map<?, ?> worker = (Map<?, ?>) health.getDetails().get("worker");
				assertThat(worker.get("running")).isEqualTo(true);
				assertThat(worker.get("consumers")).isEqualTo(2);
				assertThat(worker.get("activeTasks")).isEqualTo(0);
				Map<?, ?> queue = (Map<?, ?>) ((Map<?, ?>) worker.get("queues")).get(this.queue);
				assertThat(queue.get("consumers")).isEqualTo(2);
				assertThat(queue.get("messages")).isEqualTo(0L);
				assertThat(queue.get("deadLetters")).isEqualTo(0L);
			});
		});
	}

	@Test
	void downWhenTheWorkerContainerIsStopped() {
		this.runner.run((context) -> {
			TaskQueueHealthIndicator indicator = context.getBean(TaskQueueHealthIndicator.class);
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> indicator.health().getStatus().equals(Status.UP));
			context.getBean(WorkerContainer.class).stop();
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(((Map<?, ?>) health.getDetails().get("worker")).get("problems").toString())
				.contains("not running");
		});
	}

	@Test
	void upAgainWhenTheStoppedWorkerStartsConsumingAgain() {
		this.runner.run((context) -> {
			TaskQueueHealthIndicator indicator = context.getBean(TaskQueueHealthIndicator.class);
			WorkerContainer worker = context.getBean(WorkerContainer.class);
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> indicator.health().getStatus().equals(Status.UP));
			worker.stop();
			assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
			worker.start();
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> indicator.health().getStatus().equals(Status.UP));
			assertThat(((Map<?, ?>) indicator.health().getDetails().get("worker")).get("problems")).isNull();
		});
	}

	@Test
	void downWhenConsumersSilentlyLeaveTheQueue() {
		this.runner.run((context) -> {
			TaskQueueHealthIndicator indicator = context.getBean(TaskQueueHealthIndicator.class);
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> indicator.health().getStatus().equals(Status.UP));
			// The container still says it is running, but the broker no longer counts a
			// consumer.
			context.getBean(WorkerContainer.class).getListenerContainer().removeQueueNames(this.queue);
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> indicator.health().getStatus().equals(Status.DOWN));
			assertThat(((Map<?, ?>) indicator.health().getDetails().get("worker")).get("problems").toString())
				.contains("no consumer attached to queue '" + this.queue + "'");
		});
	}

	@Test
	void downWhenTheResultStoreCannotBeReached() {
		this.runner.withPropertyValues("spring.data.redis.port=1").run((context) -> {
			Health health = context.getBean(TaskQueueHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(((Map<?, ?>) health.getDetails().get("resultStore")).get("status")).isEqualTo("DOWN");
		});
	}

	@Test
	void resultStoreIsNotCheckedWhenResultsAreOff() {
		this.runner.withPropertyValues("spring.data.redis.port=1", "taskqueue.result.backend=none").run((context) -> {
			TaskQueueHealthIndicator indicator = context.getBean(TaskQueueHealthIndicator.class);
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> indicator.health().getStatus().equals(Status.UP));
		});
	}

	@Test
	void dispatcherWithoutWorkerIsUpWithoutWorkerDetails() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			Health health = context.getBean(TaskQueueHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).doesNotContainKey("worker");
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("management.health.taskqueue.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueHealthIndicator.class));
	}

}
