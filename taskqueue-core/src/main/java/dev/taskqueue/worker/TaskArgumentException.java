package dev.taskqueue.worker;

/**
 * Thrown when a message's arguments do not fit the task method: too few or too many, an
 * unknown keyword, or a value that cannot be converted to a parameter's type. The task
 * ends {@code FAILURE} with this exception; the message is not retried.
 */
public class TaskArgumentException extends IllegalArgumentException {

	/**
	 * Create a new instance.
	 * @param message what does not fit, naming the task and parameter
	 */
	public TaskArgumentException(String message) {
		super(message);
	}

	/**
	 * Create a new instance.
	 * @param message what does not fit, naming the task and parameter
	 * @param cause the conversion error
	 */
	public TaskArgumentException(String message, Throwable cause) {
		super(message, cause);
	}

}
