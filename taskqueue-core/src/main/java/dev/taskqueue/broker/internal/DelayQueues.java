package dev.taskqueue.broker.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.AMQP;
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
 * name. Each level's topic exchange sends it into that level's queue when its bit is set,
 * or straight on to the next level; each queue dead-letters expired messages to the next
 * level's exchange, keeping the routing key; the last exchange delivers to the target
 * queue. Every queue in the cascade holds messages of one TTL, so none waits behind a
 * longer one, and nothing is held in a worker's memory: parked tasks survive worker
 * restarts.
 * <p>
 * Delays are whole seconds; a worker holds the remaining fraction itself when the message
 * comes back. Longer delays than the cascade spans come back early and are parked again.
 */
public class DelayQueues {

	/** The number of levels: delays up to 2<sup>28</sup> - 1 s (about 8.5 years). */
	public static final int LEVELS = 28;

	/** The longest delay one pass through the cascade gives, in seconds. */
	public static final long MAX_DELAY_SECONDS = (1L << LEVELS) - 1;

	private static final String PREFIX = "taskqueue.delay.";

	private static final String DELIVERY_EXCHANGE = PREFIX + "deliver";

	private final RabbitAdmin admin;

	private final ConfirmedPublisher publisher;

	private final Set<String> boundTargets = ConcurrentHashMap.newKeySet();

	private volatile boolean declared;

	/**
	 * Create the delay queues' manager.
	 * @param connectionFactory the connection factory for declarations
	 * @param publisher publishes parked messages
	 */
	public DelayQueues(ConnectionFactory connectionFactory, ConfirmedPublisher publisher) {
		this.admin = new RabbitAdmin(connectionFactory);
		this.admin.setAutoStartup(false);
		this.publisher = publisher;
	}

	/**
	 * The name of a level's queue and exchange.
	 * @param level the level, 0 to {@value #LEVELS} - 1
	 * @return the name
	 */
	public static String levelName(int level) {
		return PREFIX + "L" + level;
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
		AMQP.BasicProperties parked = properties.builder().expiration(null).deliveryMode(2).build();
		this.publisher.publish(levelName(LEVELS - 1), routingKey(delay, targetQueue), parked, body);
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
			this.admin.declareExchange(new TopicExchange(DELIVERY_EXCHANGE, true, false));
			for (int level = 0; level < LEVELS; level++) {
				String name = levelName(level);
				String next = (level == 0) ? DELIVERY_EXCHANGE : levelName(level - 1);
				Map<String, Object> args = new HashMap<>();
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
		this.admin.declareBinding(new Binding(targetQueue, Binding.DestinationType.QUEUE, DELIVERY_EXCHANGE,
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
