package dev.taskqueue.beat.internal;

import org.jspecify.annotations.Nullable;

/**
 * The Redis keys of a schedule, built as RedBeat builds them: by plain concatenation with
 * the prefix (RedBeat's default {@code redbeat:} ends with its own colon), a lock key
 * that does not start with the prefix prefixed with it. Keys of the Java beat's own,
 * which Python never reads, sit beside them.
 */
public final class RedBeatKeys {

	/** RedBeat's default prefix. */
	public static final String DEFAULT_PREFIX = "redbeat:";

	private final String prefix;

	private final String lock;

	private final boolean sharedStatics;

	/**
	 * Create the keys.
	 * @param prefix RedBeat's {@code redbeat_key_prefix}
	 * @param lockKey RedBeat's {@code redbeat_lock_key}, or {@code null} for the default
	 * (the prefix and {@code :lock})
	 * @param sharedStatics whether configured entries are listed in RedBeat's own statics
	 * set, which Python beats reconcile too, instead of the Java beat's
	 */
	public RedBeatKeys(String prefix, @Nullable String lockKey, boolean sharedStatics) {
		if (prefix.isEmpty()) {
			throw new IllegalArgumentException("The key prefix must not be empty");
		}
		this.prefix = prefix;
		this.lock = (lockKey == null || lockKey.isEmpty()) ? prefix + ":lock"
				: lockKey.startsWith(prefix) ? lockKey : prefix + lockKey;
		this.sharedStatics = sharedStatics;
	}

	/**
	 * Return the prefix.
	 * @return the prefix
	 */
	public String prefix() {
		return this.prefix;
	}

	/**
	 * The key of an entry's hash (also its member in the schedule).
	 * @param name the entry's name
	 * @return the key
	 */
	public String entry(String name) {
		return this.prefix + name;
	}

	/**
	 * The name of the entry a key holds, or {@code null} if the key is not the prefix's.
	 * @param key the key
	 * @return the name
	 */
	public @Nullable String name(String key) {
		return (key.startsWith(this.prefix) && key.length() > this.prefix.length())
				? key.substring(this.prefix.length()) : null;
	}

	/**
	 * Return the sorted set of next-due times.
	 * @return the sorted set of next-due times
	 */
	public String schedule() {
		return this.prefix + ":schedule";
	}

	/**
	 * Return the set of configured entries' names this beat reconciles.
	 * @return the set of configured entries' names this beat reconciles
	 */
	public String statics() {
		return this.sharedStatics ? this.prefix + ":statics" : this.prefix + ":statics:java";
	}

	/**
	 * Return the lock, shared with Python's beats.
	 * @return the lock, shared with Python's beats
	 */
	public String lock() {
		return this.lock;
	}

	/**
	 * Return the counter of lock acquisitions by Java beats (their fencing epoch).
	 * @return the counter of lock acquisitions by Java beats (their fencing epoch)
	 */
	public String epoch() {
		return this.lock + ":epoch";
	}

	/**
	 * Return the hash of fires advanced but not yet confirmed by the broker.
	 * @return the hash of fires advanced but not yet confirmed by the broker
	 */
	public String inflight() {
		return this.prefix + ":inflight:java";
	}

}
