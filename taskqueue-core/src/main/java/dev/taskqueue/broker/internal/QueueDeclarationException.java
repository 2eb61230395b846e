package dev.taskqueue.broker.internal;

import org.springframework.amqp.AmqpException;

/**
 * The broker refused to declare a queue because it exists with other arguments.
 */
public class QueueDeclarationException extends AmqpException {

	/**
	 * Create an exception.
	 * @param message what went wrong and how to fix it
	 * @param cause the broker's refusal
	 */
	public QueueDeclarationException(String message, Throwable cause) {
		super(message, cause);
	}

}
