package dev.taskqueue.broker;

/**
 * The kind of RabbitMQ queue a task queue is declared as.
 */
public enum QueueType {

	/** A classic queue, as Celery declares them; supports message priorities. */
	CLASSIC,

	/**
	 * A replicated quorum queue ({@code x-queue-type: quorum}); supports a delivery limit
	 * past which the broker dead-letters a message, but no message priorities (RabbitMQ
	 * before 3.12).
	 */
	QUORUM

}
