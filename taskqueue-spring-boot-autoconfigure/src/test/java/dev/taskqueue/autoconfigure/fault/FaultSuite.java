package dev.taskqueue.autoconfigure.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.RedisResultBackend;
import dev.taskqueue.support.PrivateRabbit;
import dev.taskqueue.support.PrivateRedis;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the fault tests share: the properties that point an application at a private
 * broker and Redis, and a client-only application to send tasks and read results with.
 */
final class FaultSuite {

	/**
	 * The lock the classes that stop and kill servers of their own hold: they run one at
	 * a time, so that two of them never compete for the CPU, and beside the other
	 * classes, which never touch those servers.
	 */
	static final String PRIVATE_SERVERS = "taskqueue.private-servers";

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	private FaultSuite() {
	}

	/**
	 * Properties of an application on the private broker and Redis.
	 * @param rabbit the broker
	 * @param redis the result store
	 * @param queue the default queue
	 * @param more further properties
	 * @return the properties, {@code name=value}
	 */
	static String[] properties(PrivateRabbit rabbit, PrivateRedis redis, String queue, String... more) {
		List<String> properties = new ArrayList<>(
				List.of("spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=" + rabbit.port,
						"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port,
						"taskqueue.default-queue=" + queue, "taskqueue.worker.redelivery-backoff=200ms"));
		properties.addAll(List.of(more));
		return properties.toArray(String[]::new);
	}

	/**
	 * An application that sends tasks and reads results but runs none.
	 * @param rabbit the broker
	 * @param redis the result store
	 * @param queue the default queue
	 * @return the runner
	 */
	static ApplicationContextRunner client(PrivateRabbit rabbit, PrivateRedis redis, String queue) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
					JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
			.withPropertyValues(properties(rabbit, redis, queue, "taskqueue.worker.enabled=false"));
	}

	/**
	 * Wait until every task has a {@code SUCCESS} result in Redis.
	 * @param connectionFactory the result store
	 * @param ids the tasks
	 */
	static void assertAllSucceeded(RedisConnectionFactory connectionFactory, Collection<String> ids) {
		StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
		List<String> all = List.copyOf(ids);
		await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			Map<String, String> missing = new LinkedHashMap<>();
			for (int from = 0; from < all.size(); from += 1000) {
				List<String> chunk = all.subList(from, Math.min(all.size(), from + 1000));
				List<String> values = redis.opsForValue()
					.multiGet(chunk.stream().map((id) -> RedisResultBackend.TASK_KEY_PREFIX + id).toList());
				for (int i = 0; i < chunk.size(); i++) {
					String value = (values != null) ? values.get(i) : null;
					if (value == null || !value.contains("\"status\": \"" + TaskState.SUCCESS + "\"")
							&& !value.contains("\"status\":\"" + TaskState.SUCCESS + "\"")) {
						missing.put(chunk.get(i), value);
					}
				}
			}
			assertThat(missing).as("tasks without a SUCCESS result").isEmpty();
		});
	}

}
