package dev.taskqueue.ratelimit.internal;

import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.RateLimitScope;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Makes the {@link RedisRateLimiter shared rate limiters} of tasks whose limit has
 * {@link RateLimitScope#CLUSTER cluster} scope: one bucket per task name, under
 * {@code <prefix>taskqueue-rate-<task>}.
 */
public class ClusterRateLimiters {

	/** Key of a task's bucket, after the prefix. */
	public static final String KEY_PREFIX = "taskqueue-rate-";

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	/**
	 * Create the factory.
	 * @param connectionFactory the Redis connection factory
	 * @param keyPrefix the application's key prefix (the result backend's)
	 */
	public ClusterRateLimiters(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keyPrefix = keyPrefix;
	}

	/**
	 * The Redis key of a task's bucket.
	 * @param taskName the task name
	 * @return the key
	 */
	public String keyOf(String taskName) {
		return this.keyPrefix + KEY_PREFIX + taskName;
	}

	/**
	 * A limiter on a task's shared bucket. Limiters made for one task share its bucket,
	 * whatever their rates: a changed rate applies from the next reservation on.
	 * @param taskName the task name
	 * @param limit the rate limit
	 * @return the limiter
	 */
	public TaskRateLimiter limiter(String taskName, RateLimit limit) {
		return new RedisRateLimiter(this.redis, keyOf(taskName), limit);
	}

}
