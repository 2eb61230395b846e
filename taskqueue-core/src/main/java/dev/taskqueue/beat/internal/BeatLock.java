package dev.taskqueue.beat.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The schedule's lock, with RedBeat's protocol so Java and Python beats exclude each
 * other: {@code SET <lock> <token> NX PX <timeout>} to take it, RedBeat's compare-token
 * script that resets the time to live to the full timeout ("extend to") on every tick,
 * and a compare-token {@code DEL} to give it up. The token is opaque to Python, which
 * only compares it.
 * <p>
 * The holder also keeps a lease by its own monotonic clock: the lock is taken as held
 * until the timeout has passed since the last extend was <em>sent</em>, less a margin. A
 * beat that paused longer (a GC pause, {@code SIGSTOP}) finds its lease over before it
 * publishes anything, whatever Redis says.
 */
public final class BeatLock {

	/** RedBeat's {@code LUA_EXTEND_TO_SCRIPT}. */
	private static final RedisScript<Long> EXTEND = new DefaultRedisScript<>("""
			local token = redis.call('get', KEYS[1])
			if not token or token ~= ARGV[1] then
			    return 0
			end
			local expiration = redis.call('pttl', KEYS[1])
			if not expiration then
			    expiration = 0
			end
			if expiration < 0 then
			    return 0
			end
			redis.call('pexpire', KEYS[1], ARGV[2])
			return 1
			""", Long.class);

	/** redis-py's {@code LUA_RELEASE_SCRIPT}. */
	private static final RedisScript<Long> RELEASE = new DefaultRedisScript<>("""
			local token = redis.call('get', KEYS[1])
			if not token or token ~= ARGV[1] then
			    return 0
			end
			redis.call('del', KEYS[1])
			return 1
			""", Long.class);

	private final StringRedisTemplate redis;

	private final RedBeatKeys keys;

	private final String token;

	private final Duration timeout;

	private final long marginNanos;

	private final LongSupplier nanoTime;

	private volatile long leaseEndsNanos;

	private volatile long epoch;

	/**
	 * Create a lock handle.
	 * @param redis the template
	 * @param keys the schedule's keys
	 * @param token this beat's token
	 * @param timeout the lock's time to live, renewed at every extend
	 */
	public BeatLock(StringRedisTemplate redis, RedBeatKeys keys, String token, Duration timeout) {
		this(redis, keys, token, timeout, System::nanoTime);
	}

	BeatLock(StringRedisTemplate redis, RedBeatKeys keys, String token, Duration timeout, LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
		this.redis = redis;
		this.keys = keys;
		this.token = token;
		this.timeout = timeout;
		// Redis and this JVM measure the timeout with different clocks; a tenth of it,
		// at most a second, covers their drift many times over.
		this.marginNanos = Math.min(TimeUnit.SECONDS.toNanos(1), timeout.toNanos() / 10);
	}

	/**
	 * Return this beat's token.
	 * @return this beat's token
	 */
	public String token() {
		return this.token;
	}

	/**
	 * Try to take the lock.
	 * @return whether this beat holds it now
	 */
	boolean acquire() {
		long sent = this.nanoTime.getAsLong();
		Boolean taken = this.redis.opsForValue().setIfAbsent(this.keys.lock(), this.token, this.timeout);
		if (Boolean.TRUE.equals(taken)) {
			this.leaseEndsNanos = sent + this.timeout.toNanos() - this.marginNanos;
			Long epoch = this.redis.opsForValue().increment(this.keys.epoch());
			this.epoch = (epoch != null) ? epoch : 0;
			return true;
		}
		return false;
	}

	/**
	 * Extend the lock to its full timeout.
	 * @return whether this beat still held it
	 */
	boolean extend() {
		long sent = this.nanoTime.getAsLong();
		Long extended = this.redis.execute(EXTEND, List.of(this.keys.lock()), this.token,
				Long.toString(this.timeout.toMillis()));
		if (extended != null && extended == 1L) {
			this.leaseEndsNanos = sent + this.timeout.toNanos() - this.marginNanos;
			return true;
		}
		this.leaseEndsNanos = sent;
		return false;
	}

	/**
	 * Return whether this beat's lease runs, by its own clock: false once the timeout
	 * passed since the last successful extend was sent.
	 * @return whether the lease runs
	 */
	boolean leaseValid() {
		return this.nanoTime.getAsLong() - this.leaseEndsNanos < 0;
	}

	/** End the lease at once (the lock was lost). */
	void dropLease() {
		this.leaseEndsNanos = this.nanoTime.getAsLong();
	}

	/**
	 * Give the lock up if this beat holds it.
	 * @return whether it was released
	 */
	boolean release() {
		this.leaseEndsNanos = this.nanoTime.getAsLong();
		Long released = this.redis.execute(RELEASE, List.of(this.keys.lock()), this.token);
		return released != null && released == 1L;
	}

	/**
	 * Return the token of the beat holding the lock, or {@code null} if none does.
	 * @return the token of the beat holding the lock, or {@code null} if none does
	 */
	@Nullable String holder() {
		return this.redis.opsForValue().get(this.keys.lock());
	}

	/**
	 * Return the fencing epoch of this beat's last acquisition.
	 * @return the fencing epoch of this beat's last acquisition
	 */
	long epoch() {
		return this.epoch;
	}

}
