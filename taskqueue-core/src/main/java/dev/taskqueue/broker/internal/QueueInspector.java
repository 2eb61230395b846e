package dev.taskqueue.broker.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Asks the broker how many messages and consumers a queue has (a passive declare), and
 * keeps each answer for a while, so that frequent readers (metrics scrapes) cost at most
 * one broker round trip per queue and period.
 */
public class QueueInspector {

	private final RabbitAdmin admin;

	private final long maxAgeNanos;

	private final Map<String, Sample> samples = new ConcurrentHashMap<>();

	/**
	 * Create an inspector.
	 * @param connectionFactory the connection factory
	 * @param maxAge how long a {@link #cached(String) cached} answer is reused
	 */
	public QueueInspector(ConnectionFactory connectionFactory, Duration maxAge) {
		this.admin = new RabbitAdmin(connectionFactory);
		this.admin.setAutoStartup(false);
		this.maxAgeNanos = maxAge.toNanos();
	}

	/**
	 * Ask the broker now.
	 * @param queue the queue name
	 * @return the queue's state, or {@code null} if the queue does not exist
	 * @throws org.springframework.amqp.AmqpException if the broker cannot be reached
	 */
	public @Nullable QueueState fetch(String queue) {
		QueueInformation info = this.admin.getQueueInfo(queue);
		QueueState state = (info != null) ? new QueueState(queue, info.getMessageCount(), info.getConsumerCount())
				: null;
		this.samples.put(queue, new Sample(state, System.nanoTime()));
		return state;
	}

	/**
	 * The last answer if it is recent enough, otherwise ask the broker.
	 * @param queue the queue name
	 * @return the queue's state, or {@code null} if the queue does not exist
	 * @throws org.springframework.amqp.AmqpException if the broker cannot be reached
	 */
	public @Nullable QueueState cached(String queue) {
		Sample sample = this.samples.get(queue);
		if (sample != null && System.nanoTime() - sample.takenAt() < this.maxAgeNanos) {
			return sample.state();
		}
		return fetch(queue);
	}

	/**
	 * What the broker says about a queue.
	 *
	 * @param name the queue name
	 * @param messages messages ready for delivery (not counting unacknowledged ones)
	 * @param consumers consumers attached, from every worker
	 */
	public record QueueState(String name, long messages, int consumers) {

	}

	private record Sample(@Nullable QueueState state, long takenAt) {

	}

}
