package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.RateLimitScope;
import dev.taskqueue.ratelimit.internal.ClusterRateLimiters;
import dev.taskqueue.worker.TaskOptions;
import dev.taskqueue.worker.WorkerSettings;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.Mockito.mock;

/**
 * {@link WorkerContainerConfigurer} turns {@link TaskQueueProperties} into
 * {@link WorkerSettings}; no broker or Redis involved.
 */
class WorkerContainerConfigurerTests {

	private final TaskQueueProperties properties = new TaskQueueProperties();

	private final WorkerContainerConfigurer configurer = new WorkerContainerConfigurer(this.properties);

	@Test
	void defaultsConsumeTheDefaultQueueWithAConsumerPerProcessor() {
		WorkerSettings settings = this.configurer.settings().build();
		assertThat(settings.queues()).containsExactly("celery");
		assertThat(settings.concurrency()).isEqualTo(Runtime.getRuntime().availableProcessors());
		assertThat(settings.prefetch()).isEqualTo(16);
		assertThat(settings.fairMargin()).isNull();
		assertThat(settings.name()).isEqualTo(WorkerSettings.defaultName());
		assertThat(settings.maxDeliveries()).isEqualTo(5);
		assertThat(settings.maxMessageSize()).isEqualTo(WorkerSettings.DEFAULT_MAX_MESSAGE_SIZE);
		assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
		assertThat(settings.extendedResults()).isTrue();
		assertThat(settings.tasks()).isEmpty();
	}

	@Test
	void workerPropertiesReachTheSettings() {
		TaskQueueProperties.Worker worker = this.properties.getWorker();
		worker.setName("billing-1");
		worker.setQueues(List.of("billing", "mail"));
		worker.setConcurrency(3);
		worker.setPrefetch(4);
		worker.setTimeLimit(Duration.ofMinutes(2));
		worker.setSoftTimeLimit(Duration.ofMinutes(1));
		worker.setMaxMessageSize(DataSize.ofKilobytes(64));
		worker.setRedeliveryBackoff(Duration.ofMillis(250));
		worker.setHeartbeatInterval(Duration.ZERO);
		this.properties.getResult().setExtended(false);
		this.configurer.setShutdownTimeout(Duration.ofSeconds(7));
		WorkerSettings settings = this.configurer.settings().build();
		assertThat(settings.name()).isEqualTo("billing-1");
		assertThat(settings.queues()).containsExactly("billing", "mail");
		assertThat(settings.concurrency()).isEqualTo(3);
		assertThat(settings.prefetch()).isEqualTo(4);
		assertThat(settings.timeLimit()).isEqualTo(Duration.ofMinutes(2));
		assertThat(settings.softTimeLimit()).isEqualTo(Duration.ofMinutes(1));
		assertThat(settings.maxMessageSize()).isEqualTo(64 * 1024);
		assertThat(settings.redeliveryBackoff()).isEqualTo(Duration.ofMillis(250));
		assertThat(settings.heartbeatInterval()).isZero();
		assertThat(settings.extendedResults()).isFalse();
		assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(7));
	}

	@Test
	void fairMarginAppliesOnlyWithFairDispatch() {
		this.properties.getWorker().setFairMargin(2);
		assertThat(this.configurer.settings().build().fairMargin()).isNull();
		this.properties.getWorker().setFair(true);
		assertThat(this.configurer.settings().build().fairMargin()).isEqualTo(2);
	}

	@Test
	void queuePropertiesGiveQueuesConsumersOfTheirOwn() {
		TaskQueueProperties.Queue queue = new TaskQueueProperties.Queue();
		queue.setConcurrency(2);
		queue.setPrefetch(1);
		this.properties.getQueues().put("slow", queue);
		WorkerSettings settings = this.configurer.settings().build();
		assertThat(settings.queueOptionsOf("slow")).isEqualTo(new WorkerSettings.QueueOptions(2, 1));
	}

	@Test
	void rateLimitOfATaskTakesItsBurstAndScope() {
		TaskQueueProperties.Task task = new TaskQueueProperties.Task();
		task.setRateLimit(RateLimit.parse("10/m"));
		task.setRateLimitBurst(3);
		task.setRateLimitScope(RateLimitScope.CLUSTER);
		this.properties.getTasks().put("worker.divide", task);
		this.configurer.setClusterRateLimiters(new ClusterRateLimiters(mock(RedisConnectionFactory.class), ""));
		TaskOptions options = this.configurer.settings().build().optionsOf("worker.divide");
		assertThat(options.rateLimit()).isEqualTo(new RateLimit(10, Duration.ofMinutes(1), 3, RateLimitScope.CLUSTER));
	}

	@Test
	void clusterWideRateLimitWithoutRedisNamesTheScopeProperty() {
		TaskQueueProperties.Task task = new TaskQueueProperties.Task();
		task.setRateLimit(RateLimit.parse("1/s"));
		task.setRateLimitScope(RateLimitScope.CLUSTER);
		this.properties.getTasks().put("worker.divide", task);
		assertThatExceptionOfType(InvalidTaskQueuePropertyException.class).isThrownBy(this.configurer::settings)
			.satisfies((ex) -> {
				assertThat(ex.getName()).isEqualTo("taskqueue.tasks[worker.divide].rate-limit-scope");
				assertThat(ex.getValue()).isEqualTo("cluster");
			});
	}

	@Test
	void settingsCanBeTunedBeforeTheyAreBuilt() {
		this.properties.getWorker().setPrefetch(8);
		assertThat(this.configurer.settings().prefetch(1).build().prefetch()).isEqualTo(1);
	}

}
