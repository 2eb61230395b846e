package dev.taskqueue.autoconfigure.fault;

import java.util.ArrayList;
import java.util.List;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.support.PrivateRabbit;
import dev.taskqueue.support.PrivateRedis;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * What the fault tests share: the properties that point an application at a private
 * broker and Redis, and a client-only application to send tasks and read results with.
 */
final class FaultSuite {

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

}
