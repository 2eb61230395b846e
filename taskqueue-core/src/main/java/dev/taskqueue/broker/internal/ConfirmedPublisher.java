package dev.taskqueue.broker.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

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
 * <p>
 * {@link #publishAll(List) Many messages at once} go out on one channel of their own
 * without waiting for each confirm in between; the broker confirms them in a few frames.
 * {@link #openBulk()} does the same for messages the caller builds one after the other,
 * publishing each as soon as it is built. {@link #publishAsync A message published
 * without waiting} (a worker parking a task) goes out on another shared channel and its
 * future completes with its confirm.
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

	/**
	 * Most messages of one {@link #publishAll(List) bulk} awaiting their confirms at a
	 * time, so a huge bulk neither floods the broker nor holds every message in memory.
	 */
	static final int MAX_IN_FLIGHT = 5000;

	private final BlockingQueue<PublisherChannel> idle;

	private final BlockingQueue<SharedChannel> bulkIdle;

	private final @Nullable SharedChannel[] shared = new SharedChannel[SHARED_CHANNELS];

	private final AtomicInteger nextShared = new AtomicInteger();

	private volatile @Nullable SharedChannel async;

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
		this.bulkIdle = new ArrayBlockingQueue<>(Math.max(1, maxIdleChannels));
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
		publish(exchange, routingKey, properties, body, null);
	}

	/**
	 * Publish a message and wait for the broker's confirm, doing something else once the
	 * message is written and before its confirm is awaited.
	 * @param exchange the exchange ({@code ""} for the default exchange)
	 * @param routingKey the routing key
	 * @param properties the message properties
	 * @param body the body
	 * @param written what to do once the message is written, while the broker handles it
	 * (not done if the message could not be written); must not throw
	 * @throws PublishException if the message was not confirmed
	 */
	public void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
			@Nullable Runnable written) {
		if (this.closed) {
			throw new PublishException("Publisher is closed", properties.getCorrelationId(), null);
		}
		if (exchange.isEmpty()) {
			SharedChannel channel = sharedChannel(properties.getCorrelationId());
			Pending pending = channel.enqueue("", routingKey, properties, body);
			if (written != null) {
				written.run();
			}
			PublishException failure = channel.await(pending,
					System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(this.timeoutMillis), this.timeoutMillis);
			if (failure != null) {
				throw failure;
			}
			return;
		}
		PublisherChannel channel = borrow(properties.getCorrelationId());
		boolean reusable = false;
		try {
			channel.publish(exchange, routingKey, properties, body, this.timeoutMillis, written);
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

	/**
	 * Publish a message without waiting for the broker's confirm: the returned future
	 * completes once the broker confirmed it, or fails with a {@link PublishException}
	 * when it refused or returned (unroutable) it, or when the channel closed first. It
	 * has no timeout: a broker that is slow to confirm is waited for, so a caller that
	 * holds a message until its copy is confirmed does not send it again while the first
	 * copy may yet be confirmed. Any number of messages may be in flight at once on one
	 * channel, which the broker confirms many per frame. That channel is shared by every
	 * caller and closes when a message names an exchange that does not exist, failing the
	 * others in flight: this is for exchanges the application declared itself, such as
	 * the delay queues'.
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param properties the message properties
	 * @param body the body
	 * @return completes once the broker confirmed the message
	 */
	public CompletableFuture<Void> publishAsync(String exchange, String routingKey, AMQP.BasicProperties properties,
			byte[] body) {
		String id = properties.getCorrelationId();
		if (this.closed) {
			return CompletableFuture.failedFuture(new PublishException("Publisher is closed", id, null));
		}
		Pending pending;
		try {
			pending = asyncChannel(id).enqueue(exchange, routingKey, properties, body);
		}
		catch (PublishException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return pending.outcome.handle((returned, ex) -> {
			if (ex != null) {
				Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
				throw new PublishException("Broker did not accept task " + id + ": " + PublisherChannel.describe(cause),
						id, cause);
			}
			if (returned != null) {
				throw new PublishException("Task " + id + " could not be routed to any queue: " + returned, id, null);
			}
			return null;
		});
	}

	/**
	 * Publish messages on one channel without waiting for each confirm in between, and
	 * return once the broker confirmed or refused every one. A message for an exchange
	 * that does not exist is not published (the broker would close the channel, failing
	 * the others); a refused (nacked) or unroutable (returned) message fails alone. When
	 * the channel or connection is lost midway, the messages not confirmed by then fail,
	 * and those not yet published are not published.
	 * @param messages the messages, in the order to publish them
	 * @return per message, in order: {@code null} when confirmed, else why not
	 */
	public List<@Nullable PublishException> publishAll(List<Outgoing> messages) {
		Bulk bulk = openBulk();
		for (Outgoing message : messages) {
			bulk.add(message);
		}
		return bulk.finish();
	}

	/**
	 * Start publishing many messages on one channel, as {@link #publishAll(List)} does,
	 * one by one as the caller builds them: each is published as soon as it is
	 * {@link Bulk#add(Outgoing) added}, so the broker works on the first ones while the
	 * caller builds the next, and {@link Bulk#finish()} awaits the confirms together. A
	 * bulk is used by one thread, and must be finished.
	 * @return the bulk
	 */
	public Bulk openBulk() {
		return new ChannelBulk();
	}

	/**
	 * Messages published one by one, their confirms awaited together
	 * ({@link #openBulk()}).
	 */
	public interface Bulk {

		/**
		 * Publish a message without waiting for its confirm; its outcome is in
		 * {@link #finish()}'s list, at the position of this call.
		 * @param message the message
		 */
		void add(Outgoing message);

		/**
		 * Wait for the confirms of every message added.
		 * @return per message, in the order added: {@code null} when confirmed, else why
		 * not
		 */
		List<@Nullable PublishException> finish();

	}

	/**
	 * A bulk on one channel of its own.
	 */
	private final class ChannelBulk implements Bulk {

		private final List<@Nullable String> ids = new ArrayList<>();

		private final List<@Nullable PublishException> outcomes = new ArrayList<>();

		private final List<@Nullable Pending> pending = new ArrayList<>();

		private final Map<String, @Nullable String> exchanges = new HashMap<>();

		private @Nullable SharedChannel channel;

		/** Why every message from now on fails without being published, once known. */
		private @Nullable Function<@Nullable String, PublishException> broken;

		private boolean reusable = true;

		private boolean finished;

		ChannelBulk() {
			if (ConfirmedPublisher.this.closed) {
				this.broken = (id) -> new PublishException("Publisher is closed", id, null);
			}
		}

		@Override
		public void add(Outgoing message) {
			if (this.finished) {
				throw new IllegalStateException("Bulk is finished");
			}
			String id = message.properties().getCorrelationId();
			int index = this.ids.size();
			this.ids.add(id);
			this.outcomes.add(null);
			this.pending.add(null);
			Function<@Nullable String, PublishException> broken = this.broken;
			if (broken != null) {
				this.outcomes.set(index, broken.apply(id));
				return;
			}
			String reason = missingExchange(message.exchange(), id);
			if (reason != null) {
				this.outcomes.set(index, new PublishException("Task " + id + " was not sent: " + reason, id, null));
				return;
			}
			SharedChannel channel = this.channel;
			if (channel == null) {
				try {
					channel = borrowBulk(id);
					this.channel = channel;
				}
				catch (PublishException ex) {
					Function<@Nullable String, PublishException> unreachable = (other) -> new PublishException(
							"Task " + other + " was not sent: " + ex.getMessage(), other, ex.getCause());
					this.broken = unreachable;
					this.outcomes.set(index, unreachable.apply(id));
					return;
				}
			}
			if (index >= MAX_IN_FLIGHT) {
				Pending oldest = this.pending.get(index - MAX_IN_FLIGHT);
				if (oldest != null) {
					oldest.awaitQuietly(ConfirmedPublisher.this.timeoutMillis);
				}
			}
			try {
				this.pending.set(index, channel.enqueue(message.exchange(), message.routingKey(), message.properties(),
						message.body()));
			}
			catch (PublishException ex) {
				this.reusable = false;
				this.outcomes.set(index, ex);
				if (!channel.isOpen()) {
					String why = "Task %s was not sent: the channel closed before it was published (" + ex.getMessage()
							+ ")";
					this.broken = (other) -> new PublishException(why.formatted(other), other, ex.getCause());
				}
			}
		}

		@Override
		public List<@Nullable PublishException> finish() {
			if (this.finished) {
				throw new IllegalStateException("Bulk is finished");
			}
			this.finished = true;
			SharedChannel channel = this.channel;
			if (channel == null) {
				return this.outcomes;
			}
			long timeoutMillis = ConfirmedPublisher.this.timeoutMillis;
			try {
				long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
				for (int i = 0; i < this.pending.size(); i++) {
					Pending each = this.pending.get(i);
					if (each != null) {
						PublishException failure = channel.await(each, deadline, timeoutMillis);
						if (failure != null) {
							this.outcomes.set(i, failure);
							this.reusable &= !failure.timedOut;
						}
					}
				}
			}
			finally {
				if (!this.reusable || !channel.isOpen() || ConfirmedPublisher.this.closed
						|| !ConfirmedPublisher.this.bulkIdle.offer(channel)) {
					channel.close();
				}
			}
			return this.outcomes;
		}

		/**
		 * Why a named exchange cannot take messages, or {@code null}; asked passively
		 * once per exchange, on a channel of its own (the broker closes it when the
		 * exchange is missing).
		 */
		private @Nullable String missingExchange(String exchange, @Nullable String id) {
			if (exchange.isEmpty()) {
				return null;
			}
			if (this.exchanges.containsKey(exchange)) {
				return this.exchanges.get(exchange);
			}
			String reason = null;
			Channel channel = null;
			try {
				channel = openChannel(id);
				channel.exchangeDeclarePassive(exchange);
			}
			catch (IOException | ShutdownSignalException ex) {
				if (channel != null && !channel.isOpen()) {
					reason = PublisherChannel.describe(ex);
				}
			}
			catch (RuntimeException ex) {
				// Unreachable: the publish reports it, message by message.
			}
			finally {
				if (channel != null) {
					closeQuietly(channel);
				}
			}
			this.exchanges.put(exchange, reason);
			return reason;
		}

	}

	private static void closeQuietly(Channel channel) {
		try {
			if (channel.isOpen()) {
				channel.close();
			}
		}
		catch (IOException | TimeoutException | RuntimeException ex) {
			logger.debug("Error closing publisher channel", ex);
		}
	}

	private SharedChannel borrowBulk(@Nullable String taskId) {
		SharedChannel channel;
		while ((channel = this.bulkIdle.poll()) != null) {
			if (channel.isOpen()) {
				return channel;
			}
		}
		try {
			return new SharedChannel(openChannel(taskId));
		}
		catch (IOException ex) {
			throw unreachable(taskId, ex);
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

	private SharedChannel asyncChannel(@Nullable String taskId) {
		SharedChannel channel = this.async;
		if (channel != null && channel.isOpen()) {
			return channel;
		}
		synchronized (this.shared) {
			channel = this.async;
			if (channel == null || !channel.isOpen()) {
				try {
					channel = new SharedChannel(openChannel(taskId));
				}
				catch (IOException ex) {
					throw unreachable(taskId, ex);
				}
				this.async = channel;
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
			SharedChannel async = this.async;
			if (async != null) {
				async.close();
				this.async = null;
			}
		}
		PublisherChannel channel;
		while ((channel = this.idle.poll()) != null) {
			channel.close();
		}
		SharedChannel bulk;
		while ((bulk = this.bulkIdle.poll()) != null) {
			bulk.close();
		}
	}

	/**
	 * A message to publish.
	 *
	 * @param exchange the exchange ({@code ""} for the default exchange)
	 * @param routingKey the routing key
	 * @param properties the message properties (the correlation id names the task)
	 * @param body the body
	 */
	public record Outgoing(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {

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
				long timeoutMillis, @Nullable Runnable written) {
			String id = properties.getCorrelationId();
			this.returnedId = null;
			this.returnedReason = null;
			try {
				this.channel.basicPublish(exchange, routingKey, true, properties, body);
				if (written != null) {
					written.run();
				}
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

		/**
		 * Publish without waiting; the confirm completes the returned pending message.
		 */
		Pending enqueue(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
			String id = properties.getCorrelationId();
			Pending mine = new Pending(exchange, routingKey, id);
			try {
				synchronized (this.publishMonitor) {
					long sequence = this.channel.getNextPublishSeqNo();
					mine.sequence = sequence;
					this.pending.put(sequence, mine);
					try {
						this.channel.basicPublish(exchange, routingKey, true, properties, body);
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
			return mine;
		}

		/**
		 * Wait for a message's confirm until the deadline ({@link System#nanoTime()}).
		 * @return {@code null} when confirmed and routed, else why not
		 */
		@Nullable PublishException await(Pending mine, long deadline, long timeoutMillis) {
			String id = mine.id;
			String returned;
			try {
				returned = mine.outcome.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				this.pending.remove(mine.sequence);
				PublishException failure = new PublishException(
						"Broker did not confirm task " + id + " within " + timeoutMillis + " ms", id, ex);
				failure.timedOut = true;
				return failure;
			}
			catch (InterruptedException ex) {
				this.pending.remove(mine.sequence);
				Thread.currentThread().interrupt();
				return new PublishException("Broker did not accept task " + id + ": " + PublisherChannel.describe(ex),
						id, ex);
			}
			catch (ExecutionException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				return new PublishException(
						"Broker did not accept task " + id + ": " + PublisherChannel.describe(cause), id, cause);
			}
			if (returned != null) {
				return new PublishException("Task " + id + " could not be routed to any queue: " + returned, id, null);
			}
			return null;
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
				if (each.returned == null && each.exchange.equals(exchange) && each.routingKey.equals(routingKey)
						&& Objects.equals(each.id, id)) {
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

		final String exchange;

		final String routingKey;

		final @Nullable String id;

		/** Completed with the return reason ({@code null} when routed) once confirmed. */
		final CompletableFuture<@Nullable String> outcome = new CompletableFuture<>();

		/** Set on the connection's thread before the confirm, read after it. */
		volatile @Nullable String returned;

		/** The publish sequence number, set before the message is published. */
		long sequence;

		Pending(String exchange, String routingKey, @Nullable String id) {
			this.exchange = exchange;
			this.routingKey = routingKey;
			this.id = id;
		}

		/** Wait a while for the confirm, whatever it says (the caller looks later). */
		void awaitQuietly(long timeoutMillis) {
			try {
				this.outcome.get(timeoutMillis, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException ex) {
				// Reported when the bulk collects its outcomes.
			}
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
