package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import dev.taskqueue.control.WorkerDirectory;
import dev.taskqueue.control.WorkerInfo;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.internal.WorkerHeartbeat;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-configuration of workers' heartbeats and of the directory that lists them.
 */
class TaskQueueHeartbeatAutoConfigurationIntegrationTests {

	private final String id = UUID.randomUUID().toString().substring(0, 8);

	private final String queue = "tq-heartbeat-" + this.id;

	private final String keyPrefix = "tq-heartbeat-" + this.id + ":";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.data.redis.host=127.0.0.1",
				"taskqueue.worker.queues=" + this.queue, "taskqueue.worker.concurrency=1",
				"taskqueue.worker.name=heartbeat-worker", "taskqueue.result.key-prefix=" + this.keyPrefix);

	@AfterEach
	void deleteQueues() {
		TestQueues.delete(this.queue);
	}

	@Test
	void workerWritesItsRecordUnderTheResultKeyPrefix() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(WorkerHeartbeat.class).hasSingleBean(WorkerDirectory.class);
			StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
			String key = this.keyPrefix + "taskqueue-worker-heartbeat-worker";
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.TRUE.equals(redis.hasKey(key)));
			// Three intervals of the default 2 s.
			assertThat(redis.getExpire(key)).isBetween(1L, 6L);
			WorkerInfo info = context.getBean(WorkerDirectory.class).get("heartbeat-worker");
			assertThat(info).isNotNull();
			assertThat(info.queues()).containsExactly(this.queue);
		});
	}

	@Test
	void closingTheApplicationRemovesTheRecord() {
		StringRedisTemplate[] redis = new StringRedisTemplate[1];
		this.contextRunner.run((context) -> {
			WorkerDirectory directory = context.getBean(WorkerDirectory.class);
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> directory.get("heartbeat-worker") != null);
		});
		this.contextRunner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			redis[0] = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
			assertThat(redis[0].hasKey(this.keyPrefix + "taskqueue-worker-heartbeat-worker")).isFalse();
		});
	}

	@Test
	void heartbeatIntervalReachesTheWorker() {
		this.contextRunner.withPropertyValues("taskqueue.worker.heartbeat-interval=750ms")
			.run((context) -> assertThat(context.getBean(WorkerContainer.class).getSettings().heartbeatInterval())
				.isEqualTo(Duration.ofMillis(750)));
	}

	@Test
	void zeroIntervalWritesNoHeartbeat() {
		this.contextRunner.withPropertyValues("taskqueue.worker.heartbeat-interval=0").run((context) -> {
			assertThat(context.getBean(WorkerHeartbeat.class).isRunning()).isFalse();
			assertThat(context.getBean(WorkerDirectory.class).get("heartbeat-worker")).isNull();
		});
	}

	@Test
	void negativeIntervalFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("taskqueue.worker.heartbeat-interval=-1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("taskqueue.worker.heartbeat-interval"));
	}

	@Test
	void dispatcherListsWorkersButWritesNoHeartbeat() {
		this.contextRunner.withPropertyValues("taskqueue.worker.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(WorkerDirectory.class)
				.doesNotHaveBean(WorkerHeartbeat.class));
	}

	@Test
	void heartbeatsStillGoToRedisWhenResultsAreOff() {
		this.contextRunner.withPropertyValues("taskqueue.result.backend=none").run((context) -> {
			WorkerDirectory directory = context.getBean(WorkerDirectory.class);
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> directory.get("heartbeat-worker") != null);
		});
	}

	@Test
	void withoutRedisThereIsNoHeartbeatAndNoDirectory() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, JacksonAutoConfiguration.class,
					TaskQueueAutoConfiguration.class))
			.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "taskqueue.result.backend=none",
					"taskqueue.worker.queues=" + this.queue, "taskqueue.worker.concurrency=1")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(WorkerContainer.class)
				.doesNotHaveBean(WorkerDirectory.class)
				.doesNotHaveBean(WorkerHeartbeat.class));
	}

}
