package dev.taskqueue.benchmarks.driver;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.benchmarks.stages.WallClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;

/**
 * Sees results being stored: subscribes to the pattern of Celery's result channels. A
 * worker stores a result and publishes it on the key's channel in one atomic script, so
 * the notification of the last expected id is the moment the last result is stored — seen
 * from the client, as a user waiting on it would see it.
 */
final class ResultWatcher implements AutoCloseable {

	static final String PREFIX = "celery-task-meta-";

	private final RedisClient client;

	private final StatefulRedisPubSubConnection<String, String> connection;

	private volatile @Nullable Expectation current;

	/** When each result's notification arrived, while noted (wall-clock micros). */
	private volatile @Nullable Map<String, Long> arrivals;

	ResultWatcher(String host, int port) {
		this.client = RedisClient.create(RedisURI.create(host, port));
		this.connection = this.client.connectPubSub();
		this.connection.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String pattern, String channel, String message) {
				Map<String, Long> arrivals = ResultWatcher.this.arrivals;
				if (arrivals != null && channel.startsWith(PREFIX)) {
					arrivals.put(channel.substring(PREFIX.length()), WallClock.micros());
				}
				Expectation expectation = ResultWatcher.this.current;
				if (expectation != null && channel.startsWith(PREFIX)) {
					expectation.seen(channel.substring(PREFIX.length()), message);
				}
			}
		});
		// Synchronous: subscribed before anything is published.
		this.connection.sync().psubscribe(PREFIX + "*");
	}

	/**
	 * Start waiting for the results of some ids (before they are sent).
	 * @param ids the task ids
	 * @return the expectation to wait on
	 */
	Expectation expect(Collection<String> ids) {
		Expectation expectation = new Expectation(ids);
		this.current = expectation;
		return expectation;
	}

	/**
	 * Start or stop noting when each result's notification arrives.
	 * @param on whether to note them
	 */
	void noteArrivals(boolean on) {
		this.arrivals = on ? new ConcurrentHashMap<>() : null;
	}

	/**
	 * Take when a result's notification arrived.
	 * @param id the task id
	 * @return wall-clock micros, or 0 if not seen (or not noted)
	 */
	long arrival(String id) {
		Map<String, Long> arrivals = this.arrivals;
		Long micros = (arrivals != null) ? arrivals.remove(id) : null;
		return (micros != null) ? micros : 0;
	}

	@Override
	public void close() {
		this.current = null;
		this.connection.close();
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

	/**
	 * The results of a set of ids, as they are stored.
	 */
	static final class Expectation {

		private final Set<String> pending = ConcurrentHashMap.newKeySet();

		private final CountDownLatch done = new CountDownLatch(1);

		private final AtomicInteger failures = new AtomicInteger();

		private volatile long endNanos;

		Expectation(Collection<String> ids) {
			this.pending.addAll(ids);
			if (this.pending.isEmpty()) {
				this.endNanos = System.nanoTime();
				this.done.countDown();
			}
		}

		void seen(String id, String message) {
			if (this.pending.remove(id)) {
				if (!message.contains("\"status\": \"SUCCESS\"")) {
					this.failures.incrementAndGet();
				}
				if (this.pending.isEmpty()) {
					this.endNanos = System.nanoTime();
					this.done.countDown();
				}
			}
		}

		/**
		 * Wait until every result is stored.
		 * @param timeout how long to wait
		 * @return when the last one was stored ({@link System#nanoTime()})
		 * @throws IllegalStateException if they were not all stored in time
		 * @throws InterruptedException if interrupted
		 */
		long await(Duration timeout) throws InterruptedException {
			if (!this.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException(
						this.pending.size() + " results still missing after " + timeout.toSeconds() + " s");
			}
			return this.endNanos;
		}

		int failures() {
			return this.failures.get();
		}

		int missing() {
			return this.pending.size();
		}

	}

}
