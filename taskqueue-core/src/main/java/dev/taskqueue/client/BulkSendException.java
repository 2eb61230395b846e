package dev.taskqueue.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link TaskClient#sendAll(List)} when some tasks were not sent: each failure
 * names its request, its position in the list and why (the broker refused or could not
 * route it, did not confirm it in time or went away, or the request itself is invalid).
 * The other tasks were sent and confirmed: their handles are in {@link #getResults()}. A
 * failed task may not run; it is safe to send it again with the same id.
 */
public class BulkSendException extends TaskPublishException {

	private final List<Failure> failures;

	private final List<@Nullable TaskResult> results;

	/**
	 * Create a new instance.
	 * @param failures the tasks not sent, in request order (at least one)
	 * @param results a handle per request, in request order, {@code null} where it failed
	 */
	public BulkSendException(List<Failure> failures, List<@Nullable TaskResult> results) {
		super(describe(failures, results.size()), failures.get(0).taskId(), failures.get(0).cause());
		this.failures = List.copyOf(failures);
		this.results = Collections.unmodifiableList(new ArrayList<>(results));
	}

	private static String describe(List<Failure> failures, int total) {
		Failure first = failures.get(0);
		return failures.size() + " of " + total + " tasks were not sent; the first, #" + first.index() + " ("
				+ first.request().getTaskName() + "): " + first.cause().getMessage();
	}

	/**
	 * Return the tasks that were not sent, in request order.
	 * @return the failures
	 */
	public List<Failure> getFailures() {
		return this.failures;
	}

	/**
	 * Return a handle per request, in request order: {@code null} where the task was not
	 * sent.
	 * @return the handles
	 */
	public List<@Nullable TaskResult> getResults() {
		return this.results;
	}

	/**
	 * Return the handles of the tasks that were sent and confirmed, in request order.
	 * @return the handles of the tasks sent
	 */
	public List<TaskResult> getSent() {
		List<TaskResult> sent = new ArrayList<>();
		for (TaskResult result : this.results) {
			if (result != null) {
				sent.add(result);
			}
		}
		return sent;
	}

	/**
	 * A task that was not sent.
	 *
	 * @param index its position in the list of requests
	 * @param request its request
	 * @param taskId the id it was given, or {@code null} if it failed before it had one
	 * @param cause why: a {@link TaskPublishException} when the broker did not confirm
	 * it, an {@link IllegalArgumentException} when the request is invalid
	 */
	public record Failure(int index, TaskRequest request, @Nullable String taskId, RuntimeException cause) {

	}

}
