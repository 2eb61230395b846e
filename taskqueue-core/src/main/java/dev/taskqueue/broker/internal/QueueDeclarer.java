package dev.taskqueue.broker.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.taskqueue.broker.ExchangeType;
import dev.taskqueue.broker.QueueType;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Declares queues as Celery declares them: durable, not auto-delete, no arguments, bound
 * to a durable direct exchange of the same name with the queue name as key. A Python
 * worker and a Java worker can therefore declare and share the same queue without
 * {@code PRECONDITION_FAILED}. Dead-letter queues ({@code <queue>.dlq}) are declared the
 * same way.
 * <p>
 * Queues may be given {@link QueueArguments arguments} (a type, priorities, a delivery
 * limit, a topic exchange), by name or as a default for all; then every declarer of such
 * a queue must use the same ones.
 * <p>
 * A worker declares the queues it consumes with {@link #declareConsumedQueue(String)}:
 * with {@link NativeDelayedDelivery} set, a quorum queue bound to a topic exchange is
 * then also bound to Celery 5.5+'s native delayed delivery, as Celery's workers bind
 * theirs.
 */
public class QueueDeclarer {

	/** The suffix of the dead-letter queue of each task queue. */
	public static final String DLQ_SUFFIX = ".dlq";

	private final RabbitAdmin admin;

	private final Set<String> declared = ConcurrentHashMap.newKeySet();

	private final Map<String, QueueArguments> arguments;

	private final QueueArguments defaults;

	private volatile @Nullable NativeDelayedDelivery nativeDelayedDelivery;

	/**
	 * Create a declarer of queues as Celery declares them.
	 * @param connectionFactory the connection factory
	 */
	public QueueDeclarer(ConnectionFactory connectionFactory) {
		this(connectionFactory, Map.of(), QueueArguments.CELERY);
	}

	/**
	 * Create a declarer with queue arguments.
	 * @param connectionFactory the connection factory
	 * @param arguments the arguments of queues by name
	 * @param defaults the arguments of every other queue
	 */
	public QueueDeclarer(ConnectionFactory connectionFactory, Map<String, QueueArguments> arguments,
			QueueArguments defaults) {
		this.admin = new RabbitAdmin(connectionFactory);
		// Declarations here are explicit; the admin must not redeclare the application's
		// beans.
		this.admin.setAutoStartup(false);
		this.arguments = Map.copyOf(arguments);
		this.defaults = defaults;
	}

	/**
	 * Bind the quorum queues workers consume to Celery's native delayed delivery (and let
	 * clients send countdown tasks through it).
	 * @param nativeDelayedDelivery the topology to bind them to, or {@code null} not to
	 */
	public void setNativeDelayedDelivery(@Nullable NativeDelayedDelivery nativeDelayedDelivery) {
		this.nativeDelayedDelivery = nativeDelayedDelivery;
	}

	/**
	 * Return the native delayed delivery consumed quorum queues are bound to.
	 * @return the native delayed delivery, or {@code null} when it is off
	 */
	public @Nullable NativeDelayedDelivery getNativeDelayedDelivery() {
		return this.nativeDelayedDelivery;
	}

	/**
	 * Declare a queue a worker consumes: as {@link #declareQueue(String)} does, and, for
	 * a quorum queue bound to a topic exchange, with the bindings Celery 5.5+'s workers
	 * add so that countdown and ETA tasks a Celery client routes through native delayed
	 * delivery reach it ({@link #setNativeDelayedDelivery(NativeDelayedDelivery)}).
	 * @param queue the queue name
	 */
	public void declareConsumedQueue(String queue) {
		declareQueue(queue);
		NativeDelayedDelivery delayed = this.nativeDelayedDelivery;
		QueueArguments arguments = argumentsOf(queue);
		if (delayed != null && arguments.type() == QueueType.QUORUM) {
			delayed.bind(queue, arguments.exchangeType());
		}
	}

	/**
	 * The arguments a task queue is declared with.
	 * @param queue the queue name
	 * @return its arguments
	 */
	public QueueArguments argumentsOf(String queue) {
		return this.arguments.getOrDefault(queue, this.defaults);
	}

	/**
	 * Declare a task queue, its exchange and binding, once per declarer.
	 * @param queue the queue name
	 */
	public void declareQueue(String queue) {
		if (this.declared.contains(queue)) {
			return;
		}
		QueueArguments arguments = argumentsOf(queue);
		if (arguments.deliveryLimit() != null) {
			// The broker drops what it dead-letters to a queue that does not exist.
			declareDeadLetterQueue(queue);
		}
		declare(queue, arguments);
	}

	private void declare(String queue, QueueArguments arguments) {
		Queue q = new Queue(queue, true, false, false, arguments.toArguments(queue));
		Exchange exchange = (arguments.exchangeType() == ExchangeType.TOPIC) ? new TopicExchange(queue, true, false)
				: new DirectExchange(queue, true, false);
		Binding binding = new Binding(queue, Binding.DestinationType.QUEUE, queue, queue, null);
		try {
			this.admin.declareQueue(q);
		}
		catch (AmqpException ex) {
			if (isPreconditionFailed(ex)) {
				throw new QueueDeclarationException("Queue '" + queue + "' exists on the broker with other "
						+ "arguments than " + q.getArguments() + " (taskqueue.queues." + queue
						+ ".* and taskqueue.default-queue-type); every declarer must use the same ones, or the "
						+ "queue must be deleted and declared again", ex);
			}
			throw ex;
		}
		this.admin.declareExchange(exchange);
		this.admin.declareBinding(binding);
		this.declared.add(queue);
	}

	private static boolean isPreconditionFailed(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (String.valueOf(cause.getMessage()).contains("PRECONDITION_FAILED")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Declare the dead-letter queue of a task queue.
	 * @param queue the task queue name
	 * @return the dead-letter queue name
	 */
	public String declareDeadLetterQueue(String queue) {
		String dlq = queue + DLQ_SUFFIX;
		if (!this.declared.contains(dlq)) {
			declare(dlq, this.arguments.containsKey(dlq) ? this.arguments.get(dlq)
					: argumentsOf(queue).forDeadLetterQueue());
		}
		return dlq;
	}

	/**
	 * Forget what was declared, so the next use declares again (after the broker lost its
	 * state).
	 */
	public void reset() {
		this.declared.clear();
		NativeDelayedDelivery delayed = this.nativeDelayedDelivery;
		if (delayed != null) {
			delayed.reset();
		}
	}

}
