package dev.taskqueue.result.internal;

import java.lang.reflect.Method;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * What kind of Redis a connection factory connects to, told from its configuration
 * without connecting.
 */
public final class RedisTopology {

	private static final boolean LETTUCE = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			RedisTopology.class.getClassLoader());

	private RedisTopology() {
	}

	/**
	 * Whether a connection factory connects to a Redis Cluster, where the keys of one
	 * command or script must all be in one hash slot.
	 * @param connectionFactory the connection factory
	 * @return whether it is configured for a Redis Cluster
	 */
	public static boolean isCluster(RedisConnectionFactory connectionFactory) {
		if (LETTUCE && LettuceScripts.isLettuce(connectionFactory)) {
			return LettuceScripts.isCluster(connectionFactory);
		}
		// Jedis's factory, or another one shaped like it, without loading Jedis here.
		for (String name : new String[] { "isRedisClusterAware", "isClusterAware" }) {
			Method method = ReflectionUtils.findMethod(connectionFactory.getClass(), name);
			if (method != null && method.getReturnType() == boolean.class) {
				return Boolean.TRUE.equals(ReflectionUtils.invokeMethod(method, connectionFactory));
			}
		}
		return false;
	}

}
