package dev.taskqueue.autoconfigure;

import dev.taskqueue.support.Infrastructure;

/**
 * Removes what a test's worker declared on the local broker.
 */
public final class TestQueues {

	private TestQueues() {
	}

	/**
	 * Delete a task queue, its dead-letter queue and their exchanges.
	 * @param queue the task queue
	 */
	public static void delete(String queue) {
		Infrastructure.deleteQueues(queue);
	}

	/**
	 * Delete exchanges of the test's own.
	 * @param exchanges the exchanges
	 */
	public static void deleteExchanges(String... exchanges) {
		Infrastructure.deleteExchanges(exchanges);
	}

}
