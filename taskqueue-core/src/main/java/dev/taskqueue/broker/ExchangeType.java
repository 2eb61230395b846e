package dev.taskqueue.broker;

/**
 * The type of the exchange a task queue is bound to, an exchange named as the queue and
 * bound with the queue name as routing key (Celery's {@code task_default_exchange_type}
 * or a {@code Queue}'s {@code exchange_type}).
 */
public enum ExchangeType {

	/** A direct exchange, as Celery declares them by default. */
	DIRECT,

	/**
	 * A topic exchange. Celery 5.5+ sends countdown and ETA tasks to a quorum queue by
	 * native delayed delivery only when its exchange is not direct, so clusters that use
	 * it declare their quorum queues' exchanges as topic.
	 */
	TOPIC

}
