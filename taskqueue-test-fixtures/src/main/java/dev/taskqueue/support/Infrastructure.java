package dev.taskqueue.support;

import java.util.List;
import java.util.UUID;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The real RabbitMQ and Redis the integration tests talk to (started by
 * scripts/services), and unique names so tests never see each other's queues and keys.
 */
public final class Infrastructure {

	public static final String RABBIT_HOST = System.getProperty("taskqueue.test.rabbit.host", "127.0.0.1");

	public static final int RABBIT_PORT = Integer.getInteger("taskqueue.test.rabbit.port", 5672);

	public static final String REDIS_HOST = System.getProperty("taskqueue.test.redis.host", "127.0.0.1");

	public static final int REDIS_PORT = Integer.getInteger("taskqueue.test.redis.port", 6379);

	private Infrastructure() {
	}

	/**
	 * Return a new connection factory for the test broker; close it after the test.
	 * @return a new connection factory for the test broker; close it after the test
	 */
	public static CachingConnectionFactory rabbit() {
		CachingConnectionFactory factory = new CachingConnectionFactory(RABBIT_HOST, RABBIT_PORT);
		factory.setUsername("guest");
		factory.setPassword("guest");
		return factory;
	}

	/**
	 * Return a new, started connection factory for the test Redis; destroy it after the
	 * test.
	 * @return a new, started connection factory for the test Redis; destroy it after the
	 * test
	 */
	public static LettuceConnectionFactory redis() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(REDIS_HOST, REDIS_PORT));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * Delete what a test's worker declared on the test broker: each queue, its
	 * dead-letter queue ({@code <queue>.dlq}) and the exchanges of both.
	 * @param queues the task queues
	 */
	public static void deleteQueues(String... queues) {
		CachingConnectionFactory factory = rabbit();
		try {
			RabbitAdmin admin = new RabbitAdmin(factory);
			for (String queue : queues) {
				for (String name : List.of(queue, queue + ".dlq")) {
					admin.deleteQueue(name);
					admin.deleteExchange(name);
				}
			}
		}
		finally {
			factory.destroy();
		}
	}

	/**
	 * Delete exchanges a test's applications declared on the test broker, such as a
	 * control or event exchange of the test's own.
	 * @param exchanges the exchanges
	 */
	public static void deleteExchanges(String... exchanges) {
		CachingConnectionFactory factory = rabbit();
		try {
			RabbitAdmin admin = new RabbitAdmin(factory);
			for (String exchange : exchanges) {
				admin.deleteExchange(exchange);
			}
		}
		finally {
			factory.destroy();
		}
	}

	/**
	 * A name no other test uses.
	 * @param prefix what the name is for
	 * @return the unique name
	 */
	public static String unique(String prefix) {
		return "tq-test-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
