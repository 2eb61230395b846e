package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.taskqueue.autoconfigure.beat.TaskQueueBeatAutoConfiguration;
import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.control.WorkerDirectory;
import dev.taskqueue.control.WorkerInfo;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.RedisResultBackend;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.PrivateRedisCluster;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskContext;
import dev.taskqueue.worker.WorkerContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * taskqueue on a Redis Cluster of three primaries of the class's own
 * ({@code spring.data.redis.cluster.nodes}): results, revocations, unique locks, cluster
 * rate limits and the worker directory work, and a chord is refused before anything is
 * sent, with a message that says why. Tasks go through the shared RabbitMQ.
 */
class RedisClusterIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@RegisterExtension
	static final PrivateRedisCluster cluster = new PrivateRedisCluster();

	private final String queue = Infrastructure.unique("redis-cluster");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withBean(ClusterTasks.class)
		.withPropertyValues("spring.rabbitmq.host=" + Infrastructure.RABBIT_HOST,
				"spring.rabbitmq.port=" + Infrastructure.RABBIT_PORT,
				"spring.data.redis.cluster.nodes=" + cluster.nodes(), "spring.data.redis.timeout=5s",
				"taskqueue.default-queue=" + this.queue, "taskqueue.worker.concurrency=2",
				"taskqueue.tasks.[cluster.echo].rate-limit=20/s",
				"taskqueue.tasks.[cluster.echo].rate-limit-scope=cluster");

	@AfterEach
	void deleteQueues() {
		Infrastructure.deleteQueues(this.queue);
	}

	@Test
	void resultsRevocationsLocksRateLimitsAndTheDirectoryWorkOnACluster() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(RedisResultBackend.class).isCluster()).isTrue();
			TaskClient client = context.getBean(TaskClient.class);
			ClusterTasks tasks = context.getBean(ClusterTasks.class);
			// Results (keys all over the slots), through the cluster rate limit.
			List<TaskResult> results = IntStream.range(0, 20).mapToObj((i) -> client.send("cluster.echo", i)).toList();
			for (int i = 0; i < results.size(); i++) {
				assertThat(results.get(i).get(TIMEOUT)).isEqualTo(i);
			}
			// Unique locks.
			String uniqueId = Infrastructure.unique("unique");
			TaskRequest unique = TaskRequest.builder("cluster.echo")
				.args(-1)
				.taskId(uniqueId)
				.countdown(Duration.ofSeconds(2))
				.unique(Duration.ofMinutes(1))
				.build();
			assertThat(client.send(unique).getId()).isEqualTo(uniqueId);
			assertThat(client.send(unique).getId()).isEqualTo(uniqueId);
			assertThat(client.result(uniqueId).get(TIMEOUT)).isEqualTo(-1);
			assertThat(tasks.runs.get(uniqueId)).hasValue(1);
			// Revocations: stored and announced in one script.
			TaskResult revoked = client
				.send(TaskRequest.builder("cluster.echo").args(7).countdown(Duration.ofSeconds(3)).build());
			client.revoke(revoked.getId());
			await().atMost(TIMEOUT).until(() -> client.result(revoked.getId()).getState() == TaskState.REVOKED);
			assertThat(tasks.runs).doesNotContainKey(revoked.getId());
			// The worker directory, read by scanning the cluster.
			WorkerDirectory directory = context.getBean(WorkerDirectory.class);
			String name = context.getBean(WorkerContainer.class).getSettings().name();
			await().atMost(TIMEOUT).until(() -> directory.list().stream().map(WorkerInfo::name).anyMatch(name::equals));
			String other = "other-" + uniqueId + "@host";
			directory.write(new WorkerInfo(other, "host", 1, List.of(this.queue), 1, 0, Instant.now(), Instant.now()),
					"instance", Duration.ofMinutes(1));
			assertThat(directory.list().stream().map(WorkerInfo::name)).contains(name, other);
			// Chords are refused before anything is sent.
			assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(
						() -> client
							.chord(List.of(Signature.of("cluster.echo", 1), Signature.of("cluster.echo", 2)),
									Signature.of("cluster.echo"))
							.send())
				.withMessageContaining("Redis Cluster")
				.withMessageContaining("chord");
		});
	}

	@Test
	void theBeatRefusesToStartOnACluster() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(TaskQueueBeatAutoConfiguration.class))
			.withPropertyValues("taskqueue.beat.enabled=true", "taskqueue.worker.enabled=false")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("taskqueue.beat.enabled=true needs a Redis that is not a Redis Cluster"));
	}

	/** The tasks of this test, each run counted. */
	public static class ClusterTasks {

		final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

		@QueueTask("cluster.echo")
		public Object echo(Object value, TaskContext task) {
			this.runs.computeIfAbsent(task.getId(), (id) -> new AtomicInteger()).incrementAndGet();
			return value;
		}

	}

}
