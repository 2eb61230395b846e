package dev.taskqueue.broker.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.AMQP;
import dev.taskqueue.broker.QueueType;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Parks messages in the broker until they are due, with no broker plugin: a cascade of
 * {@value #LEVELS} durable queues whose queue-level TTLs are 1 s, 2 s, 4 s, ...
 * 2<sup>27</sup> s. A message is published with a routing key that spells its delay in
 * binary, one word per level (most significant first) followed by the target queue's
 * name, to the exchange of the first level it waits in (its delay's highest set bit).
 * Each level's topic exchange sends it into that level's queue when its bit is set, or
 * straight on to the next level; each queue dead-letters expired messages to the next
 * level's exchange, keeping the routing key; the last exchange delivers to the target
 * queue. Every queue in the cascade holds messages of one TTL, so none waits behind a
 * longer one, and nothing is held in a worker's memory: parked tasks survive worker
 * restarts.
 * <p>
 * Delays are whole seconds; a worker holds the remaining fraction itself when the message
 * comes back. Longer delays than the cascade spans come back early and are parked again.
 * <p>
 * The cascade is made of classic queues ({@code taskqueue.delay.L<n>}) or, for a RabbitMQ
 * cluster, of quorum queues ({@code taskqueue.delay.quorum.L<n>}), which survive the loss
 * of a node: a classic queue lives on one node, and while that node is down nothing can
 * be parked in it and what it holds waits. Quorum levels dead-letter at least once
 * ({@code x-dead-letter-strategy}, which needs {@code x-overflow: reject-publish}), so a
 * message moves on to the next level only once that level has it. The two cascades have
 * different names because a queue's type cannot change once declared.
 */
public class DelayQueues {

	/** The number of levels: delays up to 2<sup>28</sup> - 1 s (about 8.5 years). */
	public static final int LEVELS = 28;

	/** The longest delay one pass through the cascade gives, in seconds. */
	public static final long MAX_DELAY_SECONDS = (1L << LEVELS) - 1;

	private static final String PREFIX = "taskqueue.delay.";

	private static final String QUORUM_PREFIX = PREFIX + "quorum.";

	private final RabbitAdmin admin;

	private final QueueType type;

	private final String prefix;

	private final String deliveryExchange;

	private final ConfirmedPublisher publisher;

	private final Set<String> boundTargets = ConcurrentHashMap.newKeySet();

	private volatile boolean declared;

	/**
	 * Create the delay queues' manager.
	 * @param connectionFactory the connection factory for declarations
	 * @param publisher publishes parked messages
	 */
	public DelayQueues(ConnectionFactory connectionFactory, ConfirmedPublisher publisher) {
		this(connectionFactory, publisher, QueueType.CLASSIC);
	}

	/**
	 * Create the delay queues' manager.
	 * @param connectionFactory the connection factory for declarations
	 * @param publisher publishes parked messages
	 * @param type the type of the cascade's queues
	 */
	public DelayQueues(ConnectionFactory connectionFactory, ConfirmedPublisher publisher, QueueType type) {
		this.admin = new RabbitAdmin(connectionFactory);
		this.admin.setAutoStartup(false);
		this.publisher = publisher;
		this.type = type;
		this.prefix = (type == QueueType.QUORUM) ? QUORUM_PREFIX : PREFIX;
		this.deliveryExchange = this.prefix + "deliver";
	}

	/**
	 * The name of a level's queue and exchange in the classic cascade.
	 * @param level the level, 0 to {@value #LEVELS} - 1
	 * @return the name
	 */
	public static String levelName(int level) {
		return PREFIX + "L" + level;
	}

	/**
	 * The name of a level's queue and exchange in this cascade.
	 * @param level the level, 0 to {@value #LEVELS} - 1
	 * @return the name
	 */
	public String nameOf(int level) {
		return this.prefix + "L" + level;
	}

	/**
	 * Return the type of the cascade's queues.
	 * @return the type of the cascade's queues
	 */
	public QueueType getType() {
		return this.type;
	}

	/**
	 * Park a message until its delay has passed, then deliver it to a queue. Its
	 * {@code expiration} property is dropped, since a per-message TTL would dead-letter
	 * it early; the worker checks the task's {@code expires} header when it comes back.
	 * @param targetQueue where the message goes when due
	 * @param delaySeconds how long to park it (capped at {@link #MAX_DELAY_SECONDS})
	 * @param properties the message properties
	 * @param body the body
	 */
	public void park(String targetQueue, long delaySeconds, AMQP.BasicProperties properties, byte[] body) {
		declareTopology();
		bindTarget(targetQueue);
		long delay = Math.max(0, Math.min(delaySeconds, MAX_DELAY_SECONDS));
		this.publisher.publish(entryOf(delay), routingKey(delay, targetQueue), parked(properties), body);
	}

	/**
	 * Park a message as {@link #park} does, without waiting for the broker's confirm: a
	 * caller parking many messages keeps many in flight instead of waiting a round trip
	 * for each. Whoever holds the original message keeps it until the returned future
	 * completes, and settles it then (acknowledged when confirmed, returned to its queue
	 * when not).
	 * @param targetQueue where the message goes when due
	 * @param delaySeconds how long to park it (capped at {@link #MAX_DELAY_SECONDS})
	 * @param properties the message properties
	 * @param body the body
	 * @return completes once the broker confirmed the parked message, or fails with a
	 * {@link PublishException}
	 */
	public CompletableFuture<Void> parkAsync(String targetQueue, long delaySeconds, AMQP.BasicProperties properties,
			byte[] body) {
		try {
			declareTopology();
			bindTarget(targetQueue);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		long delay = Math.max(0, Math.min(delaySeconds, MAX_DELAY_SECONDS));
		return this.publisher.publishAsync(entryOf(delay), routingKey(delay, targetQueue), parked(properties), body);
	}

	private static AMQP.BasicProperties parked(AMQP.BasicProperties properties) {
		return properties.builder().expiration(null).deliveryMode(2).build();
	}

	/**
	 * The exchange a delay enters the cascade by: that of the first level it waits in
	 * (its highest set bit), or the delivery exchange for no delay. Entering there rather
	 * than at the top level spares the broker the walk down through every level above,
	 * one topic match each, which was most of its work for a park.
	 * @param delaySeconds the delay, 0 to {@link #MAX_DELAY_SECONDS}
	 * @return the exchange to publish the parked message to
	 */
	String entryOf(long delaySeconds) {
		if (delaySeconds <= 0) {
			return this.deliveryExchange;
		}
		return nameOf(63 - Long.numberOfLeadingZeros(delaySeconds));
	}

	/**
	 * The routing key that spells a delay and a target.
	 * @param delaySeconds the delay
	 * @param targetQueue the target queue
	 * @return the routing key
	 */
	static String routingKey(long delaySeconds, String targetQueue) {
		StringBuilder key = new StringBuilder(LEVELS * 2 + targetQueue.length());
		for (int level = LEVELS - 1; level >= 0; level--) {
			key.append(((delaySeconds >> level) & 1) == 1 ? '1' : '0').append('.');
		}
		return key.append(targetQueue).toString();
	}

	/**
	 * Declare the cascade (once per instance; declarations are idempotent on the broker).
	 */
	public void declareTopology() {
		if (this.declared) {
			return;
		}
		synchronized (this) {
			if (this.declared) {
				return;
			}
			this.admin.declareExchange(new TopicExchange(this.deliveryExchange, true, false));
			for (int level = 0; level < LEVELS; level++) {
				String name = nameOf(level);
				String next = (level == 0) ? this.deliveryExchange : nameOf(level - 1);
				Map<String, Object> args = new LinkedHashMap<>();
				if (this.type == QueueType.QUORUM) {
					// Dead-lettered with RabbitMQ's default strategy: at-least-once
					// dead-lettering stopped moving expired messages after the level's
					// leader changed (RabbitMQ 3.10), holding every parked task.
					args.put("x-queue-type", "quorum");
				}
				args.put("x-message-ttl", (1L << level) * 1000);
				args.put("x-dead-letter-exchange", next);
				this.admin.declareExchange(new TopicExchange(name, true, false));
				this.admin.declareQueue(new Queue(name, true, false, false, args));
				String skip = "*.".repeat(LEVELS - 1 - level);
				this.admin.declareBinding(new Binding(name, Binding.DestinationType.QUEUE, name, skip + "1.#", null));
				this.admin
					.declareBinding(new Binding(next, Binding.DestinationType.EXCHANGE, name, skip + "0.#", null));
			}
			this.declared = true;
		}
	}

	/**
	 * Let the cascade deliver to a queue.
	 * @param targetQueue the queue
	 */
	public void bindTarget(String targetQueue) {
		if (this.boundTargets.contains(targetQueue)) {
			return;
		}
		declareTopology();
		this.admin.declareBinding(new Binding(targetQueue, Binding.DestinationType.QUEUE, this.deliveryExchange,
				"*.".repeat(LEVELS) + targetQueue, null));
		this.boundTargets.add(targetQueue);
	}

	/**
	 * Forget what was declared, so the next use declares again (after the broker lost its
	 * state).
	 */
	public void reset() {
		this.declared = false;
		this.boundTargets.clear();
	}

}
