package dev.taskqueue.ratelimit.internal;

import java.util.List;

import dev.taskqueue.ratelimit.RateLimit;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A rate limiter shared by every worker: one token bucket (GCRA, capacity
 * {@link RateLimit#burst()}) in a Redis key, reserved atomically by a Lua script that
 * reads the Redis server's clock, so workers on machines whose clocks differ still share
 * one rate. Each reservation is one round trip.
 */
public final class RedisRateLimiter implements TaskRateLimiter {

	/**
	 * Reserves a start. KEYS[1]: the bucket; ARGV[1]: interval, ARGV[2]: tolerance (burst
	 * - 1 intervals), both in microseconds. Returns the wait in microseconds. The key
	 * holds the theoretical arrival time and expires once the bucket is full again.
	 */
	private static final RedisScript<Long> RESERVE = new DefaultRedisScript<>("""
			if redis.replicate_commands then pcall(redis.replicate_commands) end
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
			local interval = tonumber(ARGV[1])
			local tolerance = tonumber(ARGV[2])
			local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
			if tat < now then tat = now end
			local start = tat - tolerance
			if start < now then start = now end
			local next = tat + interval
			redis.call('SET', KEYS[1], string.format('%.0f', next), 'PX', math.ceil((next - now) / 1000) + 1000)
			return start - now
			""", Long.class);

	private final StringRedisTemplate redis;

	private final String key;

	private final long intervalMicros;

	private final long toleranceMicros;

	/**
	 * Create a limiter on a bucket.
	 * @param redis the Redis template
	 * @param key the bucket's key
	 * @param limit the rate limit
	 */
	public RedisRateLimiter(StringRedisTemplate redis, String key, RateLimit limit) {
		this.redis = redis;
		this.key = key;
		this.intervalMicros = Math.max(1, limit.intervalNanos() / 1000);
		this.toleranceMicros = (limit.burst() - 1) * this.intervalMicros;
	}

	/**
	 * Return the bucket's key.
	 * @return the bucket's key
	 */
	public String getKey() {
		return this.key;
	}

	@Override
	public boolean isShared() {
		return true;
	}

	@Override
	public long reserveMillis() {
		Long waitMicros = this.redis.execute(RESERVE, List.of(this.key), Long.toString(this.intervalMicros),
				Long.toString(this.toleranceMicros));
		return (waitMicros != null) ? (waitMicros + 999) / 1000 : 0;
	}

}
