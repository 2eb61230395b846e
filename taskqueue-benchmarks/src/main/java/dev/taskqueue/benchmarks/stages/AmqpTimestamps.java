package dev.taskqueue.benchmarks.stages;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MetricsCollector;
import org.jspecify.annotations.Nullable;

/**
 * When the RabbitMQ client's connection saw a message go or come: installed as the
 * {@link MetricsCollector} of a {@code com.rabbitmq.client.ConnectionFactory}, whose
 * channels call it on the thread that does the work (the publisher's thread after the
 * publish is written, the connection's I/O thread when a confirm or a delivery arrives,
 * the acknowledging thread after an ack is written).
 * <p>
 * Publishes and confirms are kept as the latest of each, which is exact for sequential
 * round trips (one message in flight); deliveries and acks by channel and delivery tag,
 * for {@link #delivered} and {@link #acked} to find them.
 */
public final class AmqpTimestamps implements MetricsCollector {

	private static final int MAX_KEPT = 100_000;

	private final Map<String, Long> deliveries = new ConcurrentHashMap<>();

	private final Map<String, Long> acks = new ConcurrentHashMap<>();

	private volatile long lastPublish;

	private volatile long lastConfirm;

	/**
	 * Return when the latest publish was written (wall-clock micros), or 0.
	 * @return when the latest publish was written (wall-clock micros), or 0
	 */
	public long lastPublish() {
		return this.lastPublish;
	}

	/**
	 * Return when the latest publisher confirm arrived (wall-clock micros), or 0.
	 * @return when the latest publisher confirm arrived (wall-clock micros), or 0
	 */
	public long lastConfirm() {
		return this.lastConfirm;
	}

	/**
	 * Take when a delivery arrived on the connection.
	 * @param channel the channel it came on (the client's channel, or a proxy of it)
	 * @param tag its delivery tag
	 * @return wall-clock micros, or 0 if not seen
	 */
	public long delivered(Channel channel, long tag) {
		Long micros = this.deliveries.remove(key(channel, tag));
		return (micros != null) ? micros : 0;
	}

	/**
	 * Take when a delivery was acknowledged.
	 * @param channel the channel it came on
	 * @param tag its delivery tag
	 * @return wall-clock micros, or 0 if not (yet) acknowledged
	 */
	public long acked(Channel channel, long tag) {
		Long micros = this.acks.remove(key(channel, tag));
		return (micros != null) ? micros : 0;
	}

	/**
	 * Return the key of a delivery: the channel's connection-side object and the tag.
	 * @param channel the channel (a Spring AMQP proxy is unwrapped by the caller)
	 * @param tag the delivery tag
	 * @return the key
	 */
	public static String key(Channel channel, long tag) {
		return System.identityHashCode(channel) + ":" + channel.getChannelNumber() + ":" + tag;
	}

	@Override
	public void basicPublish(Channel channel) {
		this.lastPublish = WallClock.micros();
	}

	@Override
	public void basicPublishAck(Channel channel, long deliveryTag, boolean multiple) {
		this.lastConfirm = WallClock.micros();
	}

	@Override
	public void consumedMessage(Channel channel, long deliveryTag, boolean autoAck) {
		// basic.get: not how a worker consumes.
	}

	@Override
	public void consumedMessage(Channel channel, long deliveryTag, String consumerTag) {
		bounded(this.deliveries).put(key(channel, deliveryTag), WallClock.micros());
	}

	@Override
	public void basicAck(Channel channel, long deliveryTag, boolean multiple) {
		bounded(this.acks).put(key(channel, deliveryTag), WallClock.micros());
	}

	/**
	 * The map, emptied first when deliveries nobody asks about (the worker's control and
	 * event consumers) have piled up.
	 */
	private static Map<String, Long> bounded(Map<String, Long> map) {
		if (map.size() > MAX_KEPT) {
			map.clear();
		}
		return map;
	}

	@Override
	public void newConnection(Connection connection) {
	}

	@Override
	public void closeConnection(Connection connection) {
	}

	@Override
	public void newChannel(Channel channel) {
	}

	@Override
	public void closeChannel(Channel channel) {
	}

	@Override
	public void basicNack(Channel channel, long deliveryTag) {
	}

	@Override
	public void basicReject(Channel channel, long deliveryTag) {
	}

	@Override
	public void basicConsume(Channel channel, String consumerTag, boolean autoAck) {
	}

	@Override
	public void basicCancel(Channel channel, String consumerTag) {
	}

	/**
	 * Return the channel the RabbitMQ client works with behind a Spring AMQP proxy.
	 * @param channel a channel, perhaps a proxy
	 * @return the target channel
	 */
	public static Channel target(@Nullable Channel channel) {
		if (channel instanceof org.springframework.amqp.rabbit.connection.ChannelProxy proxy) {
			return proxy.getTargetChannel();
		}
		if (channel == null) {
			throw new IllegalArgumentException("No channel");
		}
		return channel;
	}

}
