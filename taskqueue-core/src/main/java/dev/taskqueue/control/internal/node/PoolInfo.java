package dev.taskqueue.control.internal.node;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How a worker runs tasks, for the {@code pool} object of Celery's {@code stats} reply.
 *
 * @param implementation what runs them, e.g.
 * {@code java.util.concurrent:ThreadPoolExecutor}
 * @param maxConcurrency how many run at once
 * @param softTimeLimit the default soft time limit, or {@code null} for none
 * @param hardTimeLimit the default hard time limit, or {@code null} for none
 */
public record PoolInfo(String implementation, int maxConcurrency, @Nullable Duration softTimeLimit,
		@Nullable Duration hardTimeLimit) {

	/**
	 * A thread pool without default time limits.
	 * @param maxConcurrency how many tasks run at once
	 * @return the pool
	 */
	public static PoolInfo threads(int maxConcurrency) {
		return new PoolInfo("java.util.concurrent:ThreadPoolExecutor", maxConcurrency, null, null);
	}

}
