package dev.taskqueue.benchmarks.worker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * The raw baseline's consumer: plain Spring AMQP and Lettuce, no taskqueue. A
 * {@link SimpleMessageListenerContainer} with manual acknowledgement that either acks
 * every message as soon as it arrives, or (after {@code GET /store}, until
 * {@code GET /ignore}) first stores a result-sized record under a key of its own and
 * publishes it on the key's channel, in one script as Celery's result format needs, and
 * acks from the store's completion. These are the least a consumer with acks can do,
 * without and with a result: the ceilings of this broker and this Redis on this machine.
 */
public final class RawConsumer {

	/**
	 * The prefix of the raw baseline's result keys and channels; the queue name follows.
	 */
	public static final String KEY_PREFIX = "tq-bench-raw-";

	/**
	 * The correlation id prefix of a message whose record is stored under
	 * {@link #KEY_PREFIX} and its correlation id, for a driver subscribed to that key's
	 * channel alone.
	 */
	public static final String OWN_CHANNEL = "sub-";

	/** The record's time to live, so that keys of a killed run go away by themselves. */
	private static final byte[] TTL = "600".getBytes(StandardCharsets.US_ASCII);

	private static final String STORE = "redis.call('SETEX', KEYS[1], ARGV[1], ARGV[2]); "
			+ "return redis.call('PUBLISH', KEYS[1], ARGV[2])";

	/** The size of a no-op task's stored SUCCESS record in Celery's format. */
	private static final byte[] RECORD = ("{\"status\": \"SUCCESS\", \"result\": null, \"traceback\": null, "
			+ "\"children\": [], \"date_done\": \"2026-11-28T09:00:00.000000\", "
			+ "\"task_id\": \"00000000-0000-0000-0000-000000000000\"}")
		.getBytes(StandardCharsets.UTF_8);

	private RawConsumer() {
	}

	/**
	 * Consume until the JVM stops.
	 * @param portFile where to write the stats port
	 * @param host the broker host
	 * @param port the broker port
	 * @param queue the queue (declared durable if missing)
	 * @param concurrency the consumers
	 * @param prefetch the prefetch of each consumer
	 * @param redisHost the Redis host
	 * @param redisPort the Redis port
	 * @throws Exception if it cannot start
	 */
	public static void run(Path portFile, String host, int port, String queue, int concurrency, int prefetch,
			String redisHost, int redisPort) throws Exception {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(host, port);
		connectionFactory.setUsername("guest");
		connectionFactory.setPassword("guest");
		new RabbitAdmin(connectionFactory).declareQueue(new Queue(queue, true, false, false));
		RedisClient redisClient = RedisClient.create(RedisURI.create(redisHost, redisPort));
		StatefulRedisConnection<byte[], byte[]> redis = redisClient.connect(ByteArrayCodec.INSTANCE);
		RedisAsyncCommands<byte[], byte[]> commands = redis.async();
		String sha = redis.sync().scriptLoad(STORE.getBytes(StandardCharsets.UTF_8));
		String keyPrefix = KEY_PREFIX + queue + "-";
		AtomicLong sequence = new AtomicLong();
		Counter counter = new Counter();
		AtomicBoolean store = new AtomicBoolean();
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
		container.setQueueNames(queue);
		container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		container.setConcurrentConsumers(concurrency);
		container.setPrefetchCount(prefetch);
		container.setMessageListener((ChannelAwareMessageListener) (message, channel) -> {
			if (channel == null) {
				throw new IllegalStateException("Manual acknowledgement needs the channel");
			}
			long tag = message.getMessageProperties().getDeliveryTag();
			if (!store.get()) {
				channel.basicAck(tag, false);
				counter.increment();
				return;
			}
			String correlationId = message.getMessageProperties().getCorrelationId();
			byte[] key = ((correlationId != null && correlationId.startsWith(OWN_CHANNEL)) ? KEY_PREFIX + correlationId
					: keyPrefix + sequence.incrementAndGet())
				.getBytes(StandardCharsets.UTF_8);
			commands.<Long>evalsha(sha, ScriptOutputType.INTEGER, new byte[][] { key }, TTL, RECORD)
				.whenComplete((published, ex) -> {
					try {
						if (ex == null) {
							channel.basicAck(tag, false);
							counter.increment();
						}
						else {
							channel.basicNack(tag, false, true);
						}
					}
					catch (Exception ackFailed) {
						ackFailed.printStackTrace();
					}
				});
		});
		container.afterPropertiesSet();
		container.start();
		StatsServer stats = StatsServer.start(counter, portFile, Map.of("pause", container::stop, "resume",
				container::start, "store", () -> store.set(true), "ignore", () -> store.set(false)));
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			stats.stop();
			container.stop();
			connectionFactory.destroy();
			redis.close();
			redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}, "raw-stop"));
	}

}
