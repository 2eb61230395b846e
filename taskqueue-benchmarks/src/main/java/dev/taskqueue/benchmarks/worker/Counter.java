package dev.taskqueue.benchmarks.worker;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what a process under test has finished, and remembers when it finished the last
 * one (epoch milliseconds, the clock every process on the machine shares).
 */
public final class Counter {

	private final AtomicLong count = new AtomicLong();

	private volatile long lastMillis;

	private volatile long firstMillis;

	/** Count one more. */
	public void increment() {
		long now = System.currentTimeMillis();
		if (this.count.incrementAndGet() == 1) {
			this.firstMillis = now;
		}
		this.lastMillis = now;
	}

	/**
	 * Return how many were counted.
	 * @return how many were counted
	 */
	public long count() {
		return this.count.get();
	}

	/**
	 * Return when the first one was counted (epoch milliseconds), or 0.
	 * @return when the first one was counted (epoch milliseconds), or 0
	 */
	public long firstMillis() {
		return this.firstMillis;
	}

	/**
	 * Return when the last one was counted (epoch milliseconds), or 0.
	 * @return when the last one was counted (epoch milliseconds), or 0
	 */
	public long lastMillis() {
		return this.lastMillis;
	}

}
