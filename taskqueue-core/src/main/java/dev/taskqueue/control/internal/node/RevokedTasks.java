package dev.taskqueue.control.internal.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The task ids a worker treats as revoked, as Celery's worker keeps them (its
 * {@code LimitedSet}): each with the time it was added on the monotonic clock, forgotten
 * after {@link #DEFAULT_EXPIRES 3 hours}, at most about {@link #DEFAULT_MAX_SIZE 50,000}
 * (the oldest go first). Workers exchange them at start-up in {@code hello}: the map
 * <code>{id: [time, id]}</code>, times as JSON floats. Thread-safe; {@link #contains} is
 * a map lookup.
 * <p>
 * The monotonic clock is {@link System#nanoTime()} in seconds, which on Linux is the
 * clock Python's {@code time.monotonic()} reads, so times from Python peers mean the same
 * here.
 */
public final class RevokedTasks {

	/** Celery's {@code REVOKES_MAX}. */
	public static final int DEFAULT_MAX_SIZE = 50_000;

	/** Celery's {@code REVOKE_EXPIRES}. */
	public static final Duration DEFAULT_EXPIRES = Duration.ofHours(3);

	private static final Log logger = LogFactory.getLog(RevokedTasks.class);

	private final Map<String, Double> ids = new ConcurrentHashMap<>();

	private final int maxSize;

	private final double expiresSeconds;

	/** A set with Celery's limits. */
	public RevokedTasks() {
		this(DEFAULT_MAX_SIZE, DEFAULT_EXPIRES);
	}

	/**
	 * A set with other limits.
	 * @param maxSize how many ids it keeps, at least 1
	 * @param expires how long it keeps an id
	 */
	public RevokedTasks(int maxSize, Duration expires) {
		if (maxSize < 1 || expires.isNegative() || expires.isZero()) {
			throw new IllegalArgumentException(
					"A revoked set needs a positive size and expiry, got " + maxSize + " and " + expires);
		}
		this.maxSize = maxSize;
		this.expiresSeconds = expires.toNanos() / 1e9;
	}

	/**
	 * The monotonic clock, in seconds.
	 * @return seconds on the monotonic clock
	 */
	static double monotonic() {
		return System.nanoTime() / 1e9;
	}

	/**
	 * Add ids, revoked now.
	 * @param taskIds the ids
	 */
	public void addAll(Collection<String> taskIds) {
		double now = monotonic();
		for (String id : taskIds) {
			this.ids.put(id, now);
		}
		trim();
	}

	/**
	 * Add one id, revoked now.
	 * @param taskId the id
	 */
	public void add(String taskId) {
		this.ids.put(taskId, monotonic());
		trim();
	}

	/**
	 * Whether a task is revoked (added and not yet expired).
	 * @param taskId the id
	 * @return whether it is revoked
	 */
	public boolean contains(String taskId) {
		Double added = this.ids.get(taskId);
		if (added == null) {
			return false;
		}
		if (added + this.expiresSeconds < monotonic()) {
			this.ids.remove(taskId, added);
			return false;
		}
		return true;
	}

	/**
	 * Return how many ids are kept.
	 * @return how many ids are kept
	 */
	public int size() {
		return this.ids.size();
	}

	/**
	 * The ids, oldest first (Celery's {@code revoked} reply).
	 * @return the ids
	 */
	public List<String> list() {
		purge();
		return sorted().stream().map(Map.Entry::getKey).toList();
	}

	/**
	 * The ids in {@code hello}'s form: <code>{id: [time, id]}</code>, oldest first, after
	 * dropping expired ones.
	 * @return the map
	 */
	public Map<String, List<Object>> toHello() {
		purge();
		Map<String, List<Object>> hello = new LinkedHashMap<>();
		for (Map.Entry<String, Double> entry : sorted()) {
			hello.put(entry.getKey(), List.of(entry.getValue(), entry.getKey()));
		}
		return hello;
	}

	/**
	 * Merge ids another worker sent in {@code hello}, keeping its times as Celery does.
	 * Entries whose time is not a float ({@code [1013.71, "id"]} or {@code 1013.71}) are
	 * skipped with a log line, where Celery drops the whole node's set.
	 * @param hello the map, as decoded from JSON, or {@code null}
	 * @return how many ids were merged
	 */
	public int merge(@Nullable Map<?, ?> hello) {
		if (hello == null) {
			return 0;
		}
		int merged = 0;
		int skipped = 0;
		for (Map.Entry<?, ?> entry : hello.entrySet()) {
			Object value = entry.getValue();
			if (value instanceof List<?> list && !list.isEmpty()) {
				value = list.get(0);
			}
			if (value instanceof Double time && entry.getKey() instanceof String id) {
				this.ids.merge(id, time, Math::max);
				merged++;
			}
			else {
				skipped++;
			}
		}
		if (skipped > 0) {
			logger.warn("Skipped " + skipped + " revoked ids of a hello whose times are not floats");
		}
		trim();
		return merged;
	}

	/** Drop expired ids. */
	public void purge() {
		double oldest = monotonic() - this.expiresSeconds;
		this.ids.values().removeIf((added) -> added < oldest);
	}

	private void trim() {
		// In batches: sorting on every add past the limit would cost more than the ids.
		if (this.ids.size() > this.maxSize + Math.max(1, this.maxSize / 10)) {
			purge();
			List<Map.Entry<String, Double>> all = sorted();
			for (int i = 0; i < all.size() - this.maxSize; i++) {
				this.ids.remove(all.get(i).getKey(), all.get(i).getValue());
			}
		}
	}

	private List<Map.Entry<String, Double>> sorted() {
		List<Map.Entry<String, Double>> entries = new ArrayList<>(this.ids.entrySet());
		entries.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
		return entries;
	}

}
