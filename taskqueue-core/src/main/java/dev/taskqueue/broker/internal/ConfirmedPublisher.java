package dev.taskqueue.broker.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ReturnListener;
import com.rabbitmq.client.ShutdownListener;
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
 * Uses channels of its own in confirm mode on the application's publisher connection
 * (Spring AMQP's separate publisher connection when the factory has one), so it neither
 * needs nor changes the confirm settings of the application's {@code ConnectionFactory}
 * and adds no headers of its own to the messages: Celery sees exactly the headers the
 * codec wrote.
 * <p>
 * Messages for the default exchange (every task routed to a queue) share a few channels:
 * any number of threads publish on them at once and each waits for its own confirm, so
 * the broker confirms many messages per frame instead of one at a time on a channel per
 * thread. A message for a named exchange, which closes its channel when the exchange does
 * not exist, gets a channel to itself, so that failure stays its own.
 */
public class ConfirmedPublisher implements DisposableBean {

	private static final Log logger = LogFactory.getLog(ConfirmedPublisher.class);

	private final ConnectionFactory connectionFactory;

	private final long timeoutMillis;

	/**
	 * Channels shared by default-exchange publishes; more than one spreads the broker's
	 * work.
	 */
	static final int SHARED_CHANNELS = 2;

	private final BlockingQueue<PublisherChannel> idle;

	private final @Nullable SharedChannel[] shared = new SharedChannel[SHARED_CHANNELS];

	private final AtomicInteger nextShared = new AtomicInteger();

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
	 * @throws PublishException if the message was not confirmed
	 */
	public void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
		if (this.closed) {
			throw new PublishException("Publisher is closed", properties.getCorrelationId(), null);
		}
		if (exchange.isEmpty()) {
			sharedChannel(properties.getCorrelationId()).publish(routingKey, properties, body, this.timeoutMillis);
			return;
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

	private SharedChannel sharedChannel(@Nullable String taskId) {
		int slot = Math.floorMod(this.nextShared.getAndIncrement(), SHARED_CHANNELS);
		SharedChannel channel = this.shared[slot];
		if (channel != null && channel.isOpen()) {
			return channel;
		}
		synchronized (this.shared) {
			channel = this.shared[slot];
			if (channel == null || !channel.isOpen()) {
				try {
					channel = new SharedChannel(openChannel(taskId));
				}
				catch (IOException ex) {
					throw unreachable(taskId, ex);
				}
				this.shared[slot] = channel;
			}
			return channel;
		}
	}

	private Channel openChannel(@Nullable String taskId) {
		try {
			Connection connection = this.connectionFactory.createConnection();
			Channel raw = connection.getDelegate().createChannel();
			if (raw == null) {
				throw new PublishException("Broker refused to open a channel (channel limit reached)", taskId, null);
			}
			return raw;
		}
		catch (PublishException ex) {
			throw ex;
		}
		catch (RuntimeException | IOException ex) {
			throw unreachable(taskId, ex);
		}
	}

	private PublishException unreachable(@Nullable String taskId, Exception ex) {
		return new PublishException("Cannot reach the broker at " + this.connectionFactory.getHost() + ":"
				+ this.connectionFactory.getPort() + ": " + ex.getMessage(), taskId, ex);
	}

	private PublisherChannel borrow(@Nullable String taskId) {
		PublisherChannel channel;
		while ((channel = this.idle.poll()) != null) {
			if (channel.isOpen()) {
				return channel;
			}
		}
		try {
			return new PublisherChannel(openChannel(taskId));
		}
		catch (IOException ex) {
			throw unreachable(taskId, ex);
		}
	}

	@Override
	public void destroy() {
		this.closed = true;
		synchronized (this.shared) {
			for (int i = 0; i < this.shared.length; i++) {
				SharedChannel channel = this.shared[i];
				if (channel != null) {
					channel.close();
					this.shared[i] = null;
				}
			}
		}
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
			// The broker sends basic.return before the basic.ack of the same message, on
			// the same
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
				throw new PublishException("Broker did not confirm task " + id + " within " + timeoutMillis + " ms", id,
						ex);
			}
			catch (IOException | ShutdownSignalException | InterruptedException ex) {
				if (ex instanceof InterruptedException) {
					Thread.currentThread().interrupt();
				}
				throw new PublishException("Broker did not accept task " + id + ": " + describe(ex), id, ex);
			}
			catch (RuntimeException ex) {
				throw new PublishException("Could not publish task " + id + ": " + describe(ex), id, ex);
			}
			String returned = this.returnedReason;
			if (returned != null && (id == null || id.equals(this.returnedId))) {
				throw new PublishException("Task " + id + " could not be routed to any queue: " + returned, id, null);
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

	/**
	 * A channel in confirm mode on which any number of threads publish at once, each
	 * waiting for the confirm of its own message (tracked by publish sequence number; one
	 * {@code basic.ack} with {@code multiple} confirms many). A returned (unroutable)
	 * message is matched to the oldest unconfirmed one with its routing key and
	 * correlation id: the broker returns messages in the order it received them, before
	 * it confirms them.
	 */
	private static final class SharedChannel implements ConfirmListener, ReturnListener, ShutdownListener {

		private final Channel channel;

		private final ConcurrentNavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();

		private final Object publishMonitor = new Object();

		SharedChannel(Channel channel) throws IOException {
			this.channel = channel;
			channel.confirmSelect();
			channel.addConfirmListener(this);
			channel.addReturnListener(this);
			channel.addShutdownListener(this);
		}

		void publish(String routingKey, AMQP.BasicProperties properties, byte[] body, long timeoutMillis) {
			String id = properties.getCorrelationId();
			Pending mine = new Pending(routingKey, id);
			long sequence;
			try {
				synchronized (this.publishMonitor) {
					sequence = this.channel.getNextPublishSeqNo();
					this.pending.put(sequence, mine);
					try {
						this.channel.basicPublish("", routingKey, true, properties, body);
					}
					catch (IOException | RuntimeException ex) {
						this.pending.remove(sequence);
						throw ex;
					}
				}
			}
			catch (IOException | ShutdownSignalException ex) {
				throw new PublishException("Broker did not accept task " + id + ": " + PublisherChannel.describe(ex),
						id, ex);
			}
			catch (RuntimeException ex) {
				throw new PublishException("Could not publish task " + id + ": " + PublisherChannel.describe(ex), id,
						ex);
			}
			String returned;
			try {
				returned = mine.outcome.get(timeoutMillis, TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException ex) {
				this.pending.remove(sequence);
				throw new PublishException("Broker did not confirm task " + id + " within " + timeoutMillis + " ms", id,
						ex);
			}
			catch (InterruptedException ex) {
				this.pending.remove(sequence);
				Thread.currentThread().interrupt();
				throw new PublishException("Broker did not accept task " + id + ": " + PublisherChannel.describe(ex),
						id, ex);
			}
			catch (ExecutionException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				throw new PublishException("Broker did not accept task " + id + ": " + PublisherChannel.describe(cause),
						id, cause);
			}
			if (returned != null) {
				throw new PublishException("Task " + id + " could not be routed to any queue: " + returned, id, null);
			}
		}

		@Override
		public void handleAck(long deliveryTag, boolean multiple) {
			confirm(deliveryTag, multiple, null);
		}

		@Override
		public void handleNack(long deliveryTag, boolean multiple) {
			confirm(deliveryTag, multiple, new IOException("nacks received"));
		}

		private void confirm(long deliveryTag, boolean multiple, @Nullable IOException nack) {
			if (multiple) {
				Map<Long, Pending> confirmed = this.pending.headMap(deliveryTag, true);
				for (Pending each : confirmed.values()) {
					each.settle(nack);
				}
				confirmed.clear();
			}
			else {
				Pending one = this.pending.remove(deliveryTag);
				if (one != null) {
					one.settle(nack);
				}
			}
		}

		@Override
		public void handleReturn(int replyCode, String replyText, String exchange, String routingKey,
				AMQP.BasicProperties properties, byte[] body) {
			String id = properties.getCorrelationId();
			for (Pending each : this.pending.values()) {
				if (each.returned == null && each.routingKey.equals(routingKey) && Objects.equals(each.id, id)) {
					each.returned = replyCode + " " + replyText + " (exchange '" + exchange + "', routing key '"
							+ routingKey + "')";
					return;
				}
			}
		}

		@Override
		public void shutdownCompleted(ShutdownSignalException cause) {
			for (Pending each : this.pending.values()) {
				each.outcome.completeExceptionally(cause);
			}
			this.pending.clear();
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

	}

	/**
	 * A message waiting for its confirm on a shared channel.
	 */
	private static final class Pending {

		final String routingKey;

		final @Nullable String id;

		/** Completed with the return reason ({@code null} when routed) once confirmed. */
		final CompletableFuture<@Nullable String> outcome = new CompletableFuture<>();

		/** Set on the connection's thread before the confirm, read after it. */
		volatile @Nullable String returned;

		Pending(String routingKey, @Nullable String id) {
			this.routingKey = routingKey;
			this.id = id;
		}

		void settle(@Nullable IOException nack) {
			if (nack != null) {
				this.outcome.completeExceptionally(nack);
			}
			else {
				this.outcome.complete(this.returned);
			}
		}

	}

}
