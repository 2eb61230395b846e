package dev.taskqueue.broker.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.AMQP;
import dev.taskqueue.broker.QueueType;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Parks messages in the broker until they are due, with no broker plugin.
 * <p>
 * A message due within a horizon of 20 minutes waits in a <em>bucket</em>: a durable
 * classic queue per due second, {@code taskqueue.delay.at.<epochSecond>}, bound to the
 * topic exchange {@code taskqueue.delay.at} by {@code <epochSecond>.#}. The message
 * carries an {@code expiration} that ends at the start of its due second, the same
 * instant for every message in the bucket, so none waits behind another; the bucket
 * dead-letters it then, once, to the delivery exchange, which routes it to the target
 * queue by the rest of its routing key, and the worker that takes it holds the remaining
 * fraction of a second itself. A burst of parks is released at the rate its tasks come
 * due, not the rate they were sent. (Expiring each message at its own due time instead
 * made a message wait behind any other of its second parked before it and due later: with
 * tasks parked in random order, half of them started half a second late or more.) A
 * bucket expires ({@code x-expires}) once unused for the horizon and a margin; whoever
 * parks in it declares it again when its own declaration is older than a minute, which
 * keeps it alive past its second. A park that finds its bucket gone (the broker returns
 * the unroutable message) fails rather than losing the message, and the next park
 * declares the bucket again.
 * <p>
 * A message due later, and every message parked in the quorum variant, goes through a
 * cascade of {@value #LEVELS} durable queues whose queue-level TTLs are 1 s, 2 s, 4 s,
 * ... 2<sup>27</sup> s. It is published with a routing key that spells its delay in
 * binary, one word per level (most significant first) followed by the target queue's
 * name, to the exchange of the first level it waits in (its delay's highest set bit).
 * Each level's topic exchange sends it into that level's queue when its bit is set, or
 * straight on to the next level; each queue dead-letters expired messages to the next
 * level's exchange, keeping the routing key; the last exchange delivers to the target
 * queue. A message beyond the horizon leaves the cascade half a horizon before it is due
 * and the worker that takes it parks it again, in its bucket. Delays in the cascade are
 * whole seconds; a worker holds the remaining fraction itself when the message comes
 * back. Longer delays than the cascade spans come back early and are parked again.
 * Nothing is held in a worker's memory: parked tasks survive worker restarts.
 * <p>
 * The quorum cascade ({@code taskqueue.delay.quorum.L<n>}, for a RabbitMQ cluster) is
 * made of quorum queues, which survive the loss of a node: a classic queue lives on one
 * node, and while that node is down nothing can be parked in it and what it holds waits.
 * It has no buckets: a quorum queue per second would be a Raft group per second. The two
 * cascades have different names because a queue's type cannot change once declared.
 */
public class DelayQueues {

	/** The number of levels: delays up to 2<sup>28</sup> - 1 s (about 8.5 years). */
	public static final int LEVELS = 28;

	/** The longest delay one pass through the cascade gives, in seconds. */
	public static final long MAX_DELAY_SECONDS = (1L << LEVELS) - 1;

	private static final String PREFIX = "taskqueue.delay.";

	private static final String QUORUM_PREFIX = PREFIX + "quorum.";

	/** The words after a bucket's second in its routing key: the delivery binding's. */
	private static final String BUCKET_KEY_PADDING = "0.".repeat(LEVELS - 1);

	private final RabbitAdmin admin;

	private final QueueType type;

	private final String prefix;

	private final String deliveryExchange;

	private final ConfirmedPublisher publisher;

	private final Buckets buckets;

	private final Clock clock;

	private final Set<String> boundTargets = ConcurrentHashMap.newKeySet();

	/** When this instance last declared each bucket (by due second), epoch millis. */
	private final Map<Long, Long> declaredBuckets = new ConcurrentHashMap<>();

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
		this(connectionFactory, publisher, type, Buckets.DEFAULT, Clock.systemUTC());
	}

	/**
	 * Create the delay queues' manager with buckets of other names and times (tests).
	 */
	DelayQueues(ConnectionFactory connectionFactory, ConfirmedPublisher publisher, QueueType type, Buckets buckets,
			Clock clock) {
		this.admin = new RabbitAdmin(connectionFactory);
		this.admin.setAutoStartup(false);
		this.publisher = publisher;
		this.type = type;
		this.prefix = (type == QueueType.QUORUM) ? QUORUM_PREFIX : PREFIX;
		this.deliveryExchange = this.prefix + "deliver";
		this.buckets = buckets;
		this.clock = clock;
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
	 * The name of the bucket queue of a due second.
	 * @param epochSecond the second the bucket's messages are due in
	 * @return the name
	 */
	public static String bucketName(long epochSecond) {
		return Buckets.DEFAULT.queueName(epochSecond);
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
	 * Park a message until it is due, then deliver it to a queue, and wait for the
	 * broker's confirm. Its {@code expiration} property is replaced (a per-message TTL of
	 * the sender's would dead-letter it early); the worker checks the task's
	 * {@code expires} header when it comes back.
	 * @param targetQueue where the message goes when due
	 * @param dueMillis when it is due, epoch milliseconds
	 * @param properties the message properties
	 * @param body the body
	 * @throws PublishException if the broker did not take it
	 */
	public void parkUntil(String targetQueue, long dueMillis, AMQP.BasicProperties properties, byte[] body) {
		Route route = route(targetQueue, dueMillis);
		try {
			this.publisher.publish(route.exchange(), route.routingKey(), route.properties(properties), body);
		}
		catch (PublishException ex) {
			route.forget();
			throw ex;
		}
	}

	/**
	 * Park a message as {@link #parkUntil} does, without waiting for the broker's
	 * confirm: a caller parking many messages keeps many in flight instead of waiting a
	 * round trip for each. Whoever holds the original message keeps it until the returned
	 * future completes, and settles it then (acknowledged when confirmed, returned to its
	 * queue when not).
	 * @param targetQueue where the message goes when due
	 * @param dueMillis when it is due, epoch milliseconds
	 * @param properties the message properties
	 * @param body the body
	 * @return completes once the broker confirmed the parked message, or fails with a
	 * {@link PublishException}
	 */
	public CompletableFuture<Void> parkUntilAsync(String targetQueue, long dueMillis, AMQP.BasicProperties properties,
			byte[] body) {
		Route route;
		try {
			route = route(targetQueue, dueMillis);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		CompletableFuture<Void> confirmed = this.publisher.publishAsync(route.exchange(), route.routingKey(),
				route.properties(properties), body);
		return confirmed.whenComplete((ignored, ex) -> {
			if (ex != null) {
				route.forget();
			}
		});
	}

	/**
	 * Where a message due at a time goes: its bucket (until the start of its due second),
	 * the cascade, or straight to the delivery exchange when it is due already. Declares
	 * what it needs first.
	 */
	Route route(String targetQueue, long dueMillis) {
		declareTopology();
		bindTarget(targetQueue);
		long now = this.clock.millis();
		long wait = dueMillis - now;
		if (wait <= 0) {
			return new Route(this.deliveryExchange, routingKey(0, targetQueue), null, null);
		}
		if (this.type == QueueType.CLASSIC && wait <= this.buckets.horizon().toMillis()) {
			long second = Math.floorDiv(dueMillis, 1000);
			Long declaredAt = declareBucket(second, now);
			// Every message of a bucket expires at the start of its second: none waits
			// behind another in the queue, and the worker that takes it holds the rest,
			// soonest first.
			long expiration = Math.max(0, second * 1000 - now);
			return new Route(this.buckets.exchange(), bucketRoutingKey(second, targetQueue), Long.toString(expiration),
					() -> this.declaredBuckets.remove(second, declaredAt));
		}
		long delay = cascadeDelaySeconds(wait);
		return new Route(entryOf(delay), routingKey(delay, targetQueue), null, null);
	}

	/**
	 * How long a message waits in the cascade: whole seconds, and for the classic cascade
	 * only until half a horizon before it is due, when the worker that gets it back parks
	 * it again in its bucket (the cascade may be late by a few seconds in a burst; its
	 * bucket is not).
	 */
	long cascadeDelaySeconds(long waitMillis) {
		long wait = (this.type == QueueType.CLASSIC) ? waitMillis - this.buckets.horizon().toMillis() / 2 : waitMillis;
		return Math.max(0, Math.min(wait / 1000, MAX_DELAY_SECONDS));
	}

	/**
	 * The routing key of a message in a bucket: its due second, then as many words as the
	 * delivery exchange's binding of the target expects, then the target. The bucket
	 * dead-letters it with this key, so the delivery exchange routes it as it routes a
	 * message that left the cascade.
	 * @param epochSecond the due second
	 * @param targetQueue the target queue
	 * @return the routing key
	 */
	static String bucketRoutingKey(long epochSecond, String targetQueue) {
		return epochSecond + "." + BUCKET_KEY_PADDING + targetQueue;
	}

	/**
	 * Declare a bucket unless this instance declared it less than
	 * {@link Buckets#redeclare()} ago. A bucket is deleted once unused (not declared) for
	 * its {@code x-expires}, the horizon plus a margin: every park declares it at most
	 * {@code redeclare} before it happens, and parks it no more than the horizon before
	 * its second, so the bucket outlives its second by the margin less {@code redeclare}.
	 * Two threads may both declare a stale bucket; declaring is idempotent.
	 * @return the declaration time this park relies on
	 */
	Long declareBucket(long epochSecond, long now) {
		Long declaredAt = this.declaredBuckets.get(epochSecond);
		if (isFresh(declaredAt, now)) {
			return declaredAt;
		}
		declareBucketQueue(epochSecond);
		Long at = now;
		this.declaredBuckets.put(epochSecond, at);
		// Forget buckets whose second has passed, so the cache stays as small as the
		// horizon.
		long past = Math.floorDiv(now, 1000);
		this.declaredBuckets.keySet().removeIf((second) -> second < past);
		return at;
	}

	/**
	 * Declare a bucket's queue and bind it to the buckets' exchange.
	 * @param epochSecond the bucket's second
	 */
	void declareBucketQueue(long epochSecond) {
		String name = this.buckets.queueName(epochSecond);
		this.admin.declareQueue(new Queue(name, true, false, false, bucketArguments()));
		this.admin.declareBinding(
				new Binding(name, Binding.DestinationType.QUEUE, this.buckets.exchange(), epochSecond + ".#", null));
	}

	/**
	 * The arguments of every bucket queue: fixed, since a queue cannot be declared again
	 * with others.
	 * @return the arguments
	 */
	Map<String, Object> bucketArguments() {
		Map<String, Object> args = new LinkedHashMap<>();
		args.put("x-dead-letter-exchange", this.deliveryExchange);
		args.put("x-expires", this.buckets.expires().toMillis());
		return args;
	}

	/**
	 * Whether this instance would declare a bucket again before parking in it at the
	 * given time (tests).
	 */
	boolean isBucketFresh(long epochSecond, long now) {
		return isFresh(this.declaredBuckets.get(epochSecond), now);
	}

	private boolean isFresh(@Nullable Long declaredAt, long now) {
		return declaredAt != null && now - declaredAt < this.buckets.redeclare().toMillis();
	}

	private static AMQP.BasicProperties parked(AMQP.BasicProperties properties, @Nullable String expiration) {
		return properties.builder().expiration(expiration).deliveryMode(2).build();
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
			if (this.type == QueueType.CLASSIC) {
				this.admin.declareExchange(new TopicExchange(this.buckets.exchange(), true, false));
			}
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
		this.declaredBuckets.clear();
	}

	/**
	 * Where a parked message is published, and how to forget the bucket declaration it
	 * relied on when the broker did not take it (the bucket may be gone).
	 */
	record Route(String exchange, String routingKey, @Nullable String expiration, @Nullable Runnable forgetBucket) {

		AMQP.BasicProperties properties(AMQP.BasicProperties properties) {
			return parked(properties, this.expiration);
		}

		void forget() {
			if (this.forgetBucket != null) {
				this.forgetBucket.run();
			}
		}

	}

	/**
	 * The buckets' names and times.
	 *
	 * @param exchange the exchange every bucket is bound to
	 * @param horizon the longest wait parked in a bucket; longer ones go through the
	 * cascade first
	 * @param expires how long a bucket lives unused ({@code x-expires}): the horizon plus
	 * a margin, more than {@code redeclare}, for the broker to release its messages
	 * @param redeclare how old a declaration may be before a park declares the bucket
	 * again
	 */
	record Buckets(String exchange, Duration horizon, Duration expires, Duration redeclare) {

		/** Buckets up to 20 minutes ahead, alive 5 minutes past their second at least. */
		static final Buckets DEFAULT = new Buckets(PREFIX + "at", Duration.ofMinutes(20), Duration.ofMinutes(25),
				Duration.ofMinutes(1));

		Buckets {
			if (expires.compareTo(horizon.plus(redeclare)) <= 0) {
				throw new IllegalArgumentException(
						"A bucket must outlive the horizon and a redeclare period: " + expires);
			}
		}

		String queueName(long epochSecond) {
			return this.exchange + "." + epochSecond;
		}

	}

}
