package dev.taskqueue.control.internal;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * Receives Celery monitoring events as Celery's {@code EventReceiver} does (Flower,
 * {@code celery events}): a queue of its own, {@code celeryev.<uuid>}, non-durable,
 * auto-delete, with Celery's {@code x-message-ttl} and {@code x-expires}, bound to the
 * event exchange, consumed without acknowledgements on a thread of its own. Each event of
 * a message (one object, or a {@code task.multi} array) goes to the handler with the
 * receiver's {@code local_received} added. Unreadable messages are logged and dropped.
 */
public final class EventReceiver {

	private static final Log logger = LogFactory.getLog(EventReceiver.class);

	private final ConnectionFactory connectionFactory;

	private final String exchange;

	private final String routingKey;

	private final Consumer<Map<String, @Nullable Object>> handler;

	private final String queue = EventMessages.QUEUE_PREFIX + "." + UUID.randomUUID();

	private final Object monitor = new Object();

	private @Nullable BrokerDeclarations declarations;

	private @Nullable SimpleMessageListenerContainer container;

	/**
	 * Create a receiver; it receives once {@link #start() started}.
	 * @param connectionFactory the broker's connection factory
	 * @param exchange the event exchange ({@code celeryev})
	 * @param routingKey the binding key: {@code #} for every event, {@code worker.#} for
	 * worker events only
	 * @param handler called with each event, on the receiver's thread
	 */
	public EventReceiver(ConnectionFactory connectionFactory, String exchange, String routingKey,
			Consumer<Map<String, @Nullable Object>> handler) {
		this.connectionFactory = connectionFactory;
		this.exchange = exchange;
		this.routingKey = routingKey;
		this.handler = handler;
	}

	/**
	 * Return the receiver's queue.
	 * @return the receiver's queue
	 */
	public String getQueueName() {
		return this.queue;
	}

	/** Declare the queue and start consuming. */
	public void start() {
		synchronized (this.monitor) {
			if (this.container != null) {
				return;
			}
			BrokerDeclarations declarations = new BrokerDeclarations("event queue " + this.queue)
				.exchange(this.exchange, "topic", true)
				.autoDeleteQueue(this.queue, EventMessages.queueArguments(), null)
				.bind(this.queue, this.exchange, this.routingKey);
			declarations.register(this.connectionFactory);
			SimpleMessageListenerContainer container = BrokerDeclarations.container(this.connectionFactory, this.queue,
					"taskqueue-events-in-", this::onMessage);
			try {
				container.start();
			}
			catch (RuntimeException ex) {
				declarations.unregister(this.connectionFactory);
				container.destroy();
				throw ex;
			}
			this.declarations = declarations;
			this.container = container;
		}
	}

	/** Stop consuming; the broker deletes the queue. */
	public void stop() {
		synchronized (this.monitor) {
			SimpleMessageListenerContainer container = this.container;
			BrokerDeclarations declarations = this.declarations;
			this.container = null;
			this.declarations = null;
			if (declarations != null) {
				declarations.unregister(this.connectionFactory);
			}
			if (container != null) {
				container.stop();
				container.destroy();
			}
		}
	}

	/**
	 * Return whether it is consuming.
	 * @return whether it is consuming
	 */
	public boolean isRunning() {
		return this.container != null;
	}

	private void onMessage(Message message) {
		List<Map<String, @Nullable Object>> events;
		try {
			events = EventMessages.decode(message.getMessageProperties().getContentType(), message.getBody());
		}
		catch (UnreadableMessageException ex) {
			logger.warn("Ignored an unreadable event on " + this.queue + ": " + ex.getMessage());
			return;
		}
		double received = EventMessages.now();
		for (Map<String, @Nullable Object> event : events) {
			event.put("local_received", received);
			try {
				this.handler.accept(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Event handler failed on " + event.get("type") + " from " + event.get("hostname"), ex);
			}
		}
	}

}
