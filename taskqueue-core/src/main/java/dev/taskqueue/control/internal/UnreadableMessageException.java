package dev.taskqueue.control.internal;

/**
 * A message on a pidbox or event queue that cannot be read: not JSON, too large, or not
 * shaped as Celery writes it. It is logged and dropped; nothing replies to it.
 */
public class UnreadableMessageException extends RuntimeException {

	/**
	 * Create a new instance.
	 * @param message what is wrong
	 */
	public UnreadableMessageException(String message) {
		super(message);
	}

	/**
	 * Create a new instance.
	 * @param message what is wrong
	 * @param cause the parse error
	 */
	public UnreadableMessageException(String message, Throwable cause) {
		super(message, cause);
	}

}
