package dev.taskqueue.client.scanned;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.taskqueue.client.TaskExchange;

/**
 * A task interface found by scanning.
 */
@TaskExchange("scanned")
public interface ScannedTasks {

	CompletableFuture<List<Label>> labels(Request request);

	/**
	 * A result type.
	 *
	 * @param text the text
	 */
	record Label(String text) {
	}

	/**
	 * An argument type.
	 *
	 * @param count the count
	 */
	record Request(int count) {
	}

}
