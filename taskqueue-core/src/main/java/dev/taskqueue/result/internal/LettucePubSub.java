package dev.taskqueue.result.internal;

import java.util.concurrent.CompletionStage;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A Lettuce pub/sub connection of the backend's own for the subscriptions made ahead of a
 * publish, kept apart so that nothing of Lettuce is loaded when the application uses
 * another Redis client.
 * <p>
 * {@code SUBSCRIBE} and {@code UNSUBSCRIBE} are written without waiting for their
 * replies, so a send that listens ahead neither blocks nor hands its subscription to
 * another thread; the replies and notifications arrive on Lettuce's I/O thread. Lettuce
 * subscribes to the channels Redis confirmed again when it reconnects, including one
 * whose {@code UNSUBSCRIBE} timed out before it could be sent.
 */
final class LettucePubSub implements AutoCloseable {

	private final StatefulRedisPubSubConnection<byte[], byte[]> connection;

	private final RedisPubSubAsyncCommands<byte[], byte[]> commands;

	private LettucePubSub(StatefulRedisPubSubConnection<byte[], byte[]> connection, Listener listener) {
		this.connection = connection;
		this.commands = connection.async();
		connection.addListener(new RedisPubSubAdapter<>() {

			@Override
			public void message(byte[] channel, byte[] message) {
				listener.message(channel, message);
			}

			@Override
			public void subscribed(byte[] channel, long count) {
				listener.subscribed(channel);
			}

		});
	}

	/**
	 * Open a pub/sub connection with the factory's Lettuce client.
	 * @param connectionFactory the connection factory
	 * @param listener where the notifications go
	 * @return the connection, or {@code null} if the factory is not Lettuce's or its
	 * client is neither a standalone (or Sentinel) nor a cluster client
	 */
	static @Nullable LettucePubSub connect(RedisConnectionFactory connectionFactory, Listener listener) {
		if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			return null;
		}
		AbstractRedisClient client = lettuce.getRequiredNativeClient();
		if (client instanceof RedisClient redis) {
			return new LettucePubSub(redis.connectPubSub(ByteArrayCodec.INSTANCE), listener);
		}
		if (client instanceof RedisClusterClient cluster) {
			return new LettucePubSub(cluster.connectPubSub(ByteArrayCodec.INSTANCE), listener);
		}
		return null;
	}

	/**
	 * Send {@code SUBSCRIBE} without waiting for its reply.
	 * @param channel the channel
	 * @return completes once Redis confirmed the subscription, or fails if it was not
	 * sent in time (Lettuce drops a command that timed out while it reconnected, and does
	 * not subscribe again to a channel Redis never confirmed)
	 */
	CompletionStage<Void> subscribe(byte[] channel) {
		return this.commands.subscribe(channel);
	}

	/**
	 * Send {@code UNSUBSCRIBE} without waiting for its reply.
	 * @param channels the channels
	 */
	void unsubscribe(byte[]... channels) {
		this.commands.unsubscribe(channels);
	}

	@Override
	public void close() {
		// Closed already if the connection factory was destroyed first: its client
		// closes every connection it opened.
		if (this.connection.isOpen()) {
			this.connection.close();
		}
	}

	/**
	 * Receives what arrives on the connection, on Lettuce's I/O thread.
	 */
	interface Listener {

		/**
		 * A channel's subscription is in place (again, after a reconnect).
		 * @param channel the channel
		 */
		void subscribed(byte[] channel);

		/**
		 * A message was published on a channel.
		 * @param channel the channel
		 * @param message the message
		 */
		void message(byte[] channel, byte[] message);

	}

}
