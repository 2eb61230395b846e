package dev.taskqueue.broker;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import dev.taskqueue.client.TaskPublishException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Publishes persistent messages and returns only once the broker has confirmed them.
 * <p>
 * Uses channels of its own in confirm mode on the application's publisher connection (Spring
 * AMQP's separate publisher connection when the factory has one), so it neither needs nor changes
 * the confirm settings of the application's {@code ConnectionFactory} and adds no headers of its
 * own to the messages: Celery sees exactly the headers the codec wrote.
 */
public class ConfirmedPublisher implements DisposableBean {

	private static final Log logger = LogFactory.getLog(ConfirmedPublisher.class);

	private final ConnectionFactory connectionFactory;

	private final long timeoutMillis;

	private final BlockingQueue<PublisherChannel> idle;

	private volatile boolean closed;

	/**
	 * Create a publisher.
	 * @param connectionFactory the application's connection factory
	 * @param timeout how long to wait for a connection and for each confirm
	 * @param maxIdleChannels how many confirm channels to keep open between sends
	 */
	public ConfirmedPublisher(ConnectionFactory connectionFactory, Duration timeout, int maxIdleChannels) {
		ConnectionFactory publisherFactory = connectionFactory.getPublisherConnectionFactory();
		this.connectionFactory = (publisherFactory != null) ? publisherFactory : connectionFactory;
		this.timeoutMillis = timeout.toMillis();
		this.idle = new ArrayBlockingQueue<>(Math.max(1, maxIdleChannels));
	}

	/**
	 * Publish a message and wait for the broker's confirm.
	 * @param exchange the exchange ({@code ""} for the default exchange)
	 * @param routingKey the routing key
	 * @param properties the message properties
	 * @param body the body
	 * @throws TaskPublishException if the message was not confirmed
	 */
	public void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
		if (this.closed) {
			throw new TaskPublishException("Publisher is closed", properties.getCorrelationId(), null);
		}
		PublisherChannel channel = borrow(properties.getCorrelationId());
		boolean reusable = false;
		try {
			channel.publish(exchange, routingKey, properties, body, this.timeoutMillis);
			reusable = true;
		}
		finally {
			if (reusable && channel.isOpen() && this.idle.offer(channel)) {
				channel = null;
			}
			if (channel != null) {
				channel.close();
			}
		}
	}

	private PublisherChannel borrow(@Nullable String taskId) {
		PublisherChannel channel;
		while ((channel = this.idle.poll()) != null) {
			if (channel.isOpen()) {
				return channel;
			}
		}
		try {
			Connection connection = this.connectionFactory.createConnection();
			Channel raw = connection.getDelegate().createChannel();
			if (raw == null) {
				throw new TaskPublishException("Broker refused to open a channel (channel limit reached)", taskId,
						null);
			}
			return new PublisherChannel(raw);
		}
		catch (TaskPublishException ex) {
			throw ex;
		}
		catch (RuntimeException | IOException ex) {
			throw new TaskPublishException("Cannot reach the broker at " + this.connectionFactory.getHost() + ":"
					+ this.connectionFactory.getPort() + ": " + ex.getMessage(), taskId, ex);
		}
	}

	@Override
	public void destroy() {
		this.closed = true;
		PublisherChannel channel;
		while ((channel = this.idle.poll()) != null) {
			channel.close();
		}
	}

	/**
	 * A channel in confirm mode that notices returned (unroutable) messages.
	 */
	private static final class PublisherChannel {

		private final Channel channel;

		private volatile @Nullable String returnedId;

		private volatile @Nullable String returnedReason;

		PublisherChannel(Channel channel) throws IOException {
			this.channel = channel;
			channel.confirmSelect();
			// The broker sends basic.return before the basic.ack of the same message, on the same
			// channel, so the return is seen before waitForConfirms returns.
			channel.addReturnListener((returned) -> {
				this.returnedId = returned.getProperties().getCorrelationId();
				this.returnedReason = returned.getReplyCode() + " " + returned.getReplyText() + " (exchange '"
						+ returned.getExchange() + "', routing key '" + returned.getRoutingKey() + "')";
			});
		}

		void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
				long timeoutMillis) {
			String id = properties.getCorrelationId();
			this.returnedId = null;
			this.returnedReason = null;
			try {
				this.channel.basicPublish(exchange, routingKey, true, properties, body);
				this.channel.waitForConfirmsOrDie(timeoutMillis);
			}
			catch (TimeoutException ex) {
				throw new TaskPublishException("Broker did not confirm task " + id + " within " + timeoutMillis
						+ " ms", id, ex);
			}
			catch (IOException | ShutdownSignalException | InterruptedException ex) {
				if (ex instanceof InterruptedException) {
					Thread.currentThread().interrupt();
				}
				throw new TaskPublishException("Broker did not accept task " + id + ": " + describe(ex), id, ex);
			}
			catch (RuntimeException ex) {
				throw new TaskPublishException("Could not publish task " + id + ": " + describe(ex), id, ex);
			}
			String returned = this.returnedReason;
			if (returned != null && (id == null || id.equals(this.returnedId))) {
				throw new TaskPublishException("Task " + id + " could not be routed to any queue: " + returned, id,
						null);
			}
		}

		boolean isOpen() {
			return this.channel.isOpen();
		}

		void close() {
			try {
				if (this.channel.isOpen()) {
					this.channel.close();
				}
			}
			catch (IOException | TimeoutException | RuntimeException ex) {
				logger.debug("Error closing publisher channel", ex);
			}
		}

		private static String describe(Throwable ex) {
			Throwable cause = ex;
			while (cause.getCause() != null && cause.getMessage() == null) {
				cause = cause.getCause();
			}
			return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
		}

	}

}
