package dev.taskqueue.result.internal;

import java.util.concurrent.CompletableFuture;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
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

}
