package dev.taskqueue.benchmarks.worker;

import java.util.List;

import dev.taskqueue.worker.QueueTask;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The tasks under test, each the twin of one in the reference Celery app
 * ({@code tasks.py}): {@code bench.noop} does nothing but count itself; the others serve
 * the waiting-work benchmarks.
 */
@Component
class BenchTasks {

	/** The name the driver sends. */
	static final String NOOP = "bench.noop";

	private final Counter counter;

	private final StringRedisTemplate redis;

	BenchTasks(Counter counter, StringRedisTemplate redis) {
		this.counter = counter;
		this.redis = redis;
	}

	@QueueTask(name = NOOP)
	void noop() {
		this.counter.increment();
	}

	/**
	 * A task sent for a given time: appends how late it started (milliseconds after that
	 * time, by the clock every process on the machine shares) to a Redis list, as
	 * Celery's {@code tasks.eta_probe} does, so both are measured the same way.
	 * @param etaMillis the task's eta, epoch milliseconds
	 * @param key the list
	 */
	@QueueTask(name = "bench.eta")
	void eta(long etaMillis, String key) {
		this.redis.opsForList().rightPush(key, Long.toString(System.currentTimeMillis() - etaMillis));
		this.counter.increment();
	}

	@QueueTask(name = "bench.add")
	long add(long x, long y) {
		return x + y;
	}

	/**
	 * A chord's body: counts its runs in a Redis key, so the driver can check that it ran
	 * exactly once, and returns the header results' sum.
	 * @param values the header results
	 * @param key the counter key
	 * @return the sum
	 */
	@QueueTask(name = "bench.chord-body")
	long chordBody(List<Long> values, String key) {
		this.redis.opsForValue().increment(key);
		return values.stream().mapToLong(Long::longValue).sum();
	}

}
