package dev.taskqueue.broker.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.taskqueue.broker.ExchangeType;
import dev.taskqueue.broker.QueueType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Celery 5.5+'s native delayed delivery for quorum queues (kombu's
 * {@code native_delayed_delivery}), declared exactly as Celery's workers declare it so
 * that both can: topic exchanges and queues {@code celery_delayed_27} to
 * {@code celery_delayed_0}, whose queues hold messages for 2<sup>level</sup> seconds and
 * then dead-letter them to the next level, and the {@code celery_delayed_delivery}
 * exchange at the end.
 * <p>
 * A Celery client sends a countdown or ETA task for a quorum queue whose exchange is not
 * direct to {@code celery_delayed_27} with a routing key of the delay's 28 bits
 * ({@code 0.0.1.…}) and the queue's routing key ({@link #routingKey(long, String)}).
 * Celery's worker binds each queue it consumes so the message comes back to it from the
 * delivery exchange: the queue's exchange to the delivery exchange, and the queue to its
 * exchange, both with {@code #.<routing key>} ({@link #bind(String, ExchangeType)}).
 * Direct exchanges cannot match that pattern: like Celery, their queues are not bound
 * (Celery clients send countdown tasks straight to such queues).
 * <p>
 * Failures are logged, not thrown, as Celery's worker does: the worker still consumes,
 * and Celery clients fall back to nothing else, so the log says what to fix.
 */
public class NativeDelayedDelivery {

	/** The number of levels, one per bit of the delay in seconds. */
	public static final int LEVELS = 28;

	/** The longest delay the levels give, in seconds. */
	public static final long MAX_DELAY_SECONDS = (1L << LEVELS) - 1;

	/** The exchange the last level delivers to, and queues are bound to. */
	public static final String DELIVERY_EXCHANGE = "celery_delayed_delivery";

	private static final Log logger = LogFactory.getLog(NativeDelayedDelivery.class);

	private final RabbitAdmin admin;

	private final QueueType queueType;

	private final Set<String> bound = ConcurrentHashMap.newKeySet();

	private final Set<String> directQueues = ConcurrentHashMap.newKeySet();

	private volatile boolean declared;

	/**
	 * Create the topology's declarer.
	 * @param connectionFactory the connection factory for declarations
	 * @param queueType the type of the {@code celery_delayed_*} queues; it must be
	 * Celery's {@code broker_native_delayed_delivery_queue_type} (quorum by default)
	 */
	public NativeDelayedDelivery(ConnectionFactory connectionFactory, QueueType queueType) {
		this.admin = new RabbitAdmin(connectionFactory);
		this.admin.setAutoStartup(false);
		this.queueType = Objects.requireNonNull(queueType, "queueType");
	}

	/**
	 * The name of a level's exchange and queue.
	 * @param level the level, 0 to {@value #LEVELS} - 1
	 * @return {@code celery_delayed_<level>}
	 */
	public static String levelName(int level) {
		if (level < 0 || level >= LEVELS) {
			throw new IllegalArgumentException("level must be between 0 and " + (LEVELS - 1) + ", got " + level);
		}
		return "celery_delayed_" + level;
	}

	/**
	 * The routing key kombu's {@code calculate_routing_key} gives a delayed message: the
	 * delay's 28 bits, most significant first, each followed by a dot, then the target's
	 * routing key. A key that already starts with such a prefix (a message delayed again)
	 * has it replaced.
	 * @param delaySeconds the delay, at least 1 and below 2<sup>28</sup>
	 * @param routingKey the routing key of the target queue's binding
	 * @return the routing key to publish to {@code celery_delayed_27} with
	 */
	public static String routingKey(long delaySeconds, String routingKey) {
		if (delaySeconds < 1 || delaySeconds >= (1L << LEVELS)) {
			throw new IllegalArgumentException(
					"delay must be between 1 and " + ((1L << LEVELS) - 1) + " seconds, got " + delaySeconds);
		}
		if (routingKey.isEmpty()) {
			throw new IllegalArgumentException("routing key must not be empty");
		}
		StringBuilder key = new StringBuilder(LEVELS * 2 + routingKey.length());
		for (int level = LEVELS - 1; level >= 0; level--) {
			key.append(((delaySeconds >> level) & 1) == 1 ? '1' : '0').append('.');
		}
		return key.append(withoutDelayPrefix(routingKey)).toString();
	}

	private static String withoutDelayPrefix(String routingKey) {
		if (routingKey.length() < LEVELS * 2) {
			return routingKey;
		}
		for (int i = 0; i < LEVELS * 2; i += 2) {
			char bit = routingKey.charAt(i);
			if ((bit != '0' && bit != '1') || routingKey.charAt(i + 1) != '.') {
				return routingKey;
			}
		}
		return routingKey.substring(LEVELS * 2);
	}

	/**
	 * Declare the levels and the delivery exchange as kombu's
	 * {@code declare_native_delayed_delivery_exchanges_and_queues} does, once per
	 * instance (until {@link #reset()}); the declarations are idempotent on the broker.
	 * @return whether the topology is declared
	 */
	public boolean declareTopology() {
		if (this.declared) {
			return true;
		}
		synchronized (this) {
			if (this.declared) {
				return true;
			}
			try {
				declareLevels();
				this.declared = true;
			}
			catch (AmqpException ex) {
				logger
					.warn("Could not declare Celery's native delayed delivery (exchanges and queues celery_delayed_*, "
							+ "taskqueue.native-delayed-delivery.queue-type="
							+ this.queueType.name().toLowerCase(Locale.ROOT) + "): " + rootMessage(ex)
							+ ". Countdown tasks Celery clients send to quorum queues will not " + "arrive");
			}
			return this.declared;
		}
	}

	private void declareLevels() {
		String routingKey = "1.#";
		for (int level = LEVELS - 1; level >= 0; level--) {
			String name = levelName(level);
			this.admin.declareExchange(new TopicExchange(name, true, false));
			Map<String, Object> arguments = new LinkedHashMap<>();
			arguments.put("x-queue-type", this.queueType.name().toLowerCase(Locale.ROOT));
			arguments.put("x-overflow", "reject-publish");
			arguments.put("x-message-ttl", (1L << level) * 1000);
			arguments.put("x-dead-letter-exchange", (level > 0) ? levelName(level - 1) : DELIVERY_EXCHANGE);
			if (this.queueType == QueueType.QUORUM) {
				arguments.put("x-dead-letter-strategy", "at-least-once");
			}
			this.admin.declareQueue(new Queue(name, true, false, false, arguments));
			this.admin.declareBinding(new Binding(name, Binding.DestinationType.QUEUE, name, routingKey, null));
			routingKey = "*." + routingKey;
		}
		routingKey = "0.#";
		for (int level = LEVELS - 1; level > 0; level--) {
			// A clear bit skips the level: on to the next level's exchange at once.
			this.admin.declareBinding(new Binding(levelName(level - 1), Binding.DestinationType.EXCHANGE,
					levelName(level), routingKey, null));
			routingKey = "*." + routingKey;
		}
		this.admin.declareExchange(new TopicExchange(DELIVERY_EXCHANGE, true, false));
		this.admin.declareBinding(
				new Binding(DELIVERY_EXCHANGE, Binding.DestinationType.EXCHANGE, levelName(0), routingKey, null));
	}

	/**
	 * Bind a queue, bound to the exchange of its name with its name as routing key, as
	 * kombu's {@code bind_queue_to_native_delayed_delivery_exchange} binds a Celery
	 * worker's queue: the exchange to {@value #DELIVERY_EXCHANGE} and the queue to the
	 * exchange, both with {@code #.<queue>}. Declares the topology first. A queue with a
	 * direct exchange is left alone, as Celery does.
	 * @param queue the queue
	 * @param exchangeType the type of its exchange
	 */
	public void bind(String queue, ExchangeType exchangeType) {
		if (this.bound.contains(queue)) {
			return;
		}
		if (exchangeType == ExchangeType.DIRECT) {
			// Said once: it is how queues are declared unless Celery's side uses topic.
			if (this.directQueues.add(queue)) {
				logger
					.info("Quorum queue '" + queue + "' has a direct exchange, which Celery's native delayed delivery "
							+ "does not support: Celery 5.5+ clients send its countdown tasks straight to it. Set "
							+ "taskqueue.queues." + queue + ".exchange-type=topic, as Celery's queue is declared, to "
							+ "have them delayed by the broker");
			}
			return;
		}
		if (!declareTopology()) {
			return;
		}
		String key = queue.startsWith("#") ? queue : "#." + queue;
		try {
			this.admin
				.declareBinding(new Binding(queue, Binding.DestinationType.EXCHANGE, DELIVERY_EXCHANGE, key, null));
			this.admin.declareBinding(new Binding(queue, Binding.DestinationType.QUEUE, queue, key, null));
			this.bound.add(queue);
		}
		catch (AmqpException ex) {
			logger.warn("Could not bind queue '" + queue + "' to Celery's native delayed delivery: " + rootMessage(ex));
		}
	}

	/**
	 * Whether a queue was bound by {@link #bind(String, ExchangeType)} since the last
	 * {@link #reset()}.
	 * @param queue the queue
	 * @return whether it is bound
	 */
	public boolean isBound(String queue) {
		return this.bound.contains(queue);
	}

	/**
	 * Forget what was declared, so the next use declares again (after the broker lost its
	 * state).
	 */
	public void reset() {
		this.declared = false;
		this.bound.clear();
	}

	private static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return String.valueOf(cause.getMessage());
	}

}
