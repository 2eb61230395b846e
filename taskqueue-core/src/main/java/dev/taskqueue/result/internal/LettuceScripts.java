package dev.taskqueue.result.internal;

import java.util.concurrent.CompletableFuture;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Lettuce's asynchronous scripting, kept apart so that nothing of Lettuce is loaded when
 * the application uses another Redis client.
 */
final class LettuceScripts {

	private LettuceScripts() {
	}

	/**
	 * Whether the factory's connections all share one native connection, which outlives
	 * the Spring Data connection a command was sent on (Lettuce's default). Otherwise
	 * each Spring Data connection has a native one of its own, closed — with its pending
	 * replies — when it is.
	 * @param connectionFactory the connection factory
	 * @return whether replies can be awaited after the connection is released
	 */
	static boolean sharesNativeConnection(RedisConnectionFactory connectionFactory) {
		return connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.getShareNativeConnection();
	}

	/**
	 * Whether the factory is Lettuce's.
	 * @param connectionFactory the connection factory
	 * @return whether it is a {@link LettuceConnectionFactory}
	 */
	static boolean isLettuce(RedisConnectionFactory connectionFactory) {
		return connectionFactory instanceof LettuceConnectionFactory;
	}

	/**
	 * Whether Lettuce's factory is configured for a Redis Cluster.
	 * @param connectionFactory Lettuce's connection factory
	 * @return whether it is cluster-aware
	 */
	static boolean isCluster(RedisConnectionFactory connectionFactory) {
		return ((LettuceConnectionFactory) connectionFactory).isClusterAware();
	}

	/**
	 * Run a script on Lettuce's connection without waiting for the reply:
	 * {@code EVALSHA}, and {@code EVAL} when Redis does not know the script.
	 * @param nativeConnection what Spring Data Redis's connection wraps
	 * @param sha the script's SHA-1
	 * @param script the script
	 * @param key the only key
	 * @param args the arguments
	 * @return a future of the reply, or {@code null} if the connection is not Lettuce's
	 * asynchronous one
	 */
	@SuppressWarnings("unchecked")
	static @Nullable CompletableFuture<Void> evalAsync(@Nullable Object nativeConnection, String sha, byte[] script,
			byte[] key, byte[]... args) {
		if (!(nativeConnection instanceof RedisScriptingAsyncCommands<?, ?> commands)) {
			return null;
		}
		RedisScriptingAsyncCommands<byte[], byte[]> async = (RedisScriptingAsyncCommands<byte[], byte[]>) commands;
		byte[][] keys = { key };
		return async.<Long>evalsha(sha, ScriptOutputType.INTEGER, keys, args)
			.toCompletableFuture()
			.exceptionallyCompose((ex) -> RedisResultBackend.isNoScript(ex)
					? async.<Long>eval(script, ScriptOutputType.INTEGER, keys, args).toCompletableFuture()
					: CompletableFuture.failedFuture(ex))
			.thenApply((published) -> null);
	}

	/**
	 * Whether a native connection is Lettuce's asynchronous one, and open.
	 * @param nativeConnection what Spring Data Redis's connection wraps
	 * @return whether commands can be sent on it
	 */
	static boolean isOpen(@Nullable Object nativeConnection) {
		return nativeConnection instanceof BaseRedisAsyncCommands<?, ?> commands && commands.isOpen();
	}

	/**
	 * Send {@code WAIT} on Lettuce's connection without waiting for the reply: it returns
	 * once the given number of replicas acknowledged every write this connection sent
	 * before it, or after the timeout.
	 * @param nativeConnection what Spring Data Redis's connection wraps
	 * @param replicas how many replicas to wait for
	 * @param timeoutMillis how long to wait at most
	 * @return a future of how many replicas acknowledged the writes, or {@code null} if
	 * the connection is not Lettuce's asynchronous one
	 */
	static @Nullable CompletableFuture<Long> waitForReplicasAsync(@Nullable Object nativeConnection, int replicas,
			long timeoutMillis) {
		if (!(nativeConnection instanceof BaseRedisAsyncCommands<?, ?> commands)) {
			return null;
		}
		return commands.waitForReplication(replicas, timeoutMillis).toCompletableFuture();
	}

}
