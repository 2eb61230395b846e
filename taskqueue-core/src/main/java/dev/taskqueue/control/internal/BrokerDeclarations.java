package dev.taskqueue.control.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Exchanges, queues and bindings that must exist whenever a connection does: declared now
 * and again on every new connection (as Spring AMQP's {@code RabbitAdmin} does for
 * beans), so an auto-delete queue that went with a lost connection is back before its
 * consumer resumes. Declaration failures are logged, never thrown into the connection
 * factory.
 */
public final class BrokerDeclarations implements ConnectionListener {

	private static final Log logger = LogFactory.getLog(BrokerDeclarations.class);

	private final List<Declaration> declarations = new ArrayList<>();

	private final String description;

	/**
	 * Create an empty set of declarations.
	 * @param description what they are for, in log lines
	 */
	public BrokerDeclarations(String description) {
		this.description = description;
	}

	/**
	 * Declare an exchange.
	 * @param name its name
	 * @param type {@code direct}, {@code fanout} or {@code topic}
	 * @param durable whether it survives a broker restart
	 * @return these declarations
	 */
	public BrokerDeclarations exchange(String name, String type, boolean durable) {
		this.declarations.add((channel) -> channel.exchangeDeclare(name, type, durable, false, null));
		return this;
	}

	/**
	 * Declare a non-durable, auto-delete queue, as Celery's pidbox and event queues are.
	 * @param name its name
	 * @param arguments its arguments
	 * @param consumers told how many consumers the queue had when declared
	 * @return these declarations
	 */
	public BrokerDeclarations autoDeleteQueue(String name, Map<String, Object> arguments,
			@Nullable IntConsumer consumers) {
		this.declarations.add((channel) -> {
			AMQP.Queue.DeclareOk ok = channel.queueDeclare(name, false, false, true, arguments);
			if (consumers != null) {
				consumers.accept(ok.getConsumerCount());
			}
		});
		return this;
	}

	/**
	 * Bind a queue to an exchange.
	 * @param queue the queue
	 * @param exchange the exchange
	 * @param routingKey the binding key
	 * @return these declarations
	 */
	public BrokerDeclarations bind(String queue, String exchange, String routingKey) {
		this.declarations.add((channel) -> channel.queueBind(queue, exchange, routingKey));
		return this;
	}

	/**
	 * Declare now and on every new connection of a factory.
	 * @param connectionFactory the factory
	 * @throws AmqpException if the declarations fail now
	 */
	public void register(ConnectionFactory connectionFactory) {
		declare(connectionFactory.createConnection());
		connectionFactory.addConnectionListener(this);
	}

	/**
	 * Stop declaring on new connections.
	 * @param connectionFactory the factory
	 */
	public void unregister(ConnectionFactory connectionFactory) {
		connectionFactory.removeConnectionListener(this);
	}

	@Override
	public void onCreate(Connection connection) {
		try {
			declare(connection);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not declare the " + this.description + " on a new connection: " + ex.getMessage());
		}
	}

	private void declare(Connection connection) {
		Channel channel = connection.createChannel(false);
		try {
			for (Declaration declaration : this.declarations) {
				declaration.declare(channel);
			}
		}
		catch (IOException ex) {
			throw new AmqpException("Cannot declare the " + this.description + ": " + rootMessage(ex), ex);
		}
		finally {
			try {
				if (channel.isOpen()) {
					channel.close();
				}
			}
			catch (IOException | TimeoutException | RuntimeException ex) {
				// The channel is gone either way.
			}
		}
	}

	/**
	 * A listener container for one of these queues: one consumer on a thread of its own,
	 * {@code no_ack} as Celery consumes pidbox and event queues, re-consuming after a
	 * lost connection.
	 * @param connectionFactory the factory
	 * @param queue the queue
	 * @param threadPrefix the consumer thread's name prefix
	 * @param listener the listener; it must not throw
	 * @return the container, configured and initialized but not started
	 */
	public static SimpleMessageListenerContainer container(ConnectionFactory connectionFactory, String queue,
			String threadPrefix, MessageListener listener) {
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
		container.setQueueNames(queue);
		container.setAcknowledgeMode(AcknowledgeMode.NONE);
		container.setConcurrentConsumers(1);
		container.setMissingQueuesFatal(false);
		container.setRecoveryInterval(1000);
		container.setShutdownTimeout(1000);
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(threadPrefix);
		executor.setDaemon(true);
		container.setTaskExecutor(executor);
		container.setMessageListener(listener);
		container.afterPropertiesSet();
		return container;
	}

	private static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return (cause.getMessage() != null) ? cause.getMessage() : cause.toString();
	}

	@FunctionalInterface
	private interface Declaration {

		void declare(Channel channel) throws IOException;

	}

}
