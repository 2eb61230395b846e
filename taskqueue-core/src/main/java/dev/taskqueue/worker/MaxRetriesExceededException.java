package dev.taskqueue.worker;

/**
 * The failure of a task that asked to be retried once more than its {@code maxRetries}
 * allow, without saying why (Celery's {@code MaxRetriesExceededError}). When a retry had
 * a cause, the task fails with that cause instead, and its traceback starts with this
 * type's name.
 */
public class MaxRetriesExceededException extends RuntimeException {

	/**
	 * Create a new instance.
	 * @param message what was not retried
	 */
	public MaxRetriesExceededException(String message) {
		super(message);
	}

}
