package dev.taskqueue.broker.internal;

import java.time.Clock;
import java.time.Duration;

import dev.taskqueue.broker.QueueType;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Delay queues whose buckets have names and times of a test's own, for tests outside this
 * package: short times, and names no other test's bucket of the same second has (a queue
 * cannot be declared again with other arguments).
 */
public final class DelayQueuesTestSupport {

	private DelayQueuesTestSupport() {
	}

	/**
	 * Create classic delay queues with buckets of their own.
	 * @param connectionFactory the connection factory
	 * @param publisher the publisher
	 * @param exchange the buckets' exchange, and the prefix of their names
	 * @param horizon the longest wait parked in a bucket
	 * @param expires how long a bucket lives unused
	 * @param redeclare how old a declaration may be before a park declares it again
	 * @return the delay queues
	 */
	public static DelayQueues withBuckets(ConnectionFactory connectionFactory, ConfirmedPublisher publisher,
			String exchange, Duration horizon, Duration expires, Duration redeclare) {
		return new DelayQueues(connectionFactory, publisher, QueueType.CLASSIC,
				new DelayQueues.Buckets(exchange, horizon, expires, redeclare), Clock.systemUTC());
	}

	/**
	 * The name of a bucket of such delay queues.
	 * @param exchange the buckets' exchange
	 * @param epochSecond the bucket's second
	 * @return the name
	 */
	public static String bucketName(String exchange, long epochSecond) {
		return exchange + "." + epochSecond;
	}

}
