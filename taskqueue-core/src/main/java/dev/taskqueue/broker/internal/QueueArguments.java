package dev.taskqueue.broker.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.taskqueue.broker.ExchangeType;
import dev.taskqueue.broker.QueueType;
import org.jspecify.annotations.Nullable;

/**
 * How one task queue is declared on the broker. Every process that declares the queue
 * (workers, clients sending to it, Python Celery) must declare it with the same
 * arguments, or the broker refuses the declaration ({@code PRECONDITION_FAILED}); hence
 * everything here is opt-in, and {@link #CELERY} (a classic queue without arguments) is
 * what Celery declares.
 *
 * @param type the queue type
 * @param maxPriority the highest message priority the queue orders by
 * ({@code x-max-priority}, 1-255), or {@code null} for no priorities
 * @param deliveryLimit for quorum queues, how many times a message may be returned to the
 * queue before the broker dead-letters it to {@code <queue>.dlq}
 * ({@code x-delivery-limit}), or {@code null} for no limit
 * @param exchangeType the type of the exchange of the queue's name it is bound to
 */
public record QueueArguments(QueueType type, @Nullable Integer maxPriority, @Nullable Integer deliveryLimit,
		ExchangeType exchangeType) {

	/** A classic queue without arguments, as Celery declares it. */
	public static final QueueArguments CELERY = new QueueArguments(QueueType.CLASSIC, null, null);

	/**
	 * Arguments of a queue bound to a direct exchange, as Celery binds them by default.
	 * @param type the queue type
	 * @param maxPriority the highest message priority the queue orders by, or
	 * {@code null} for no priorities
	 * @param deliveryLimit for quorum queues, the broker's delivery limit, or
	 * {@code null} for no limit
	 * @throws IllegalArgumentException if they do not make sense together
	 */
	public QueueArguments(QueueType type, @Nullable Integer maxPriority, @Nullable Integer deliveryLimit) {
		this(type, maxPriority, deliveryLimit, ExchangeType.DIRECT);
	}

	/**
	 * Check the arguments make sense together.
	 * @param type the queue type
	 * @param maxPriority the highest message priority the queue orders by, or
	 * {@code null} for no priorities
	 * @param deliveryLimit for quorum queues, the broker's delivery limit, or
	 * {@code null} for no limit
	 * @param exchangeType the type of the queue's exchange
	 * @throws IllegalArgumentException if they do not
	 */
	public QueueArguments {
		if (maxPriority != null && (maxPriority < 1 || maxPriority > 255)) {
			throw new IllegalArgumentException("max-priority must be between 1 and 255, got " + maxPriority);
		}
		if (maxPriority != null && type == QueueType.QUORUM) {
			throw new IllegalArgumentException(
					"max-priority needs a classic queue: quorum queues do not order " + "messages by priority");
		}
		if (deliveryLimit != null && type != QueueType.QUORUM) {
			throw new IllegalArgumentException("delivery-limit needs a quorum queue (type: quorum)");
		}
		if (deliveryLimit != null && deliveryLimit < 1) {
			throw new IllegalArgumentException("delivery-limit must be at least 1, got " + deliveryLimit);
		}
	}

	/**
	 * The arguments of a queue's declaration.
	 * @param queue the queue name
	 * @return the {@code x-} arguments, empty for {@link #CELERY}
	 */
	public Map<String, Object> toArguments(String queue) {
		Map<String, Object> args = new LinkedHashMap<>();
		if (this.type == QueueType.QUORUM) {
			args.put("x-queue-type", "quorum");
			if (this.deliveryLimit != null) {
				args.put("x-delivery-limit", this.deliveryLimit);
				args.put("x-dead-letter-exchange", "");
				args.put("x-dead-letter-routing-key", queue + QueueDeclarer.DLQ_SUFFIX);
			}
		}
		if (this.maxPriority != null) {
			args.put("x-max-priority", this.maxPriority);
		}
		return args;
	}

	/**
	 * The arguments of this queue's dead-letter queue: of the same type, without
	 * priorities or a delivery limit, bound to a direct exchange.
	 * @return the arguments
	 */
	public QueueArguments forDeadLetterQueue() {
		return new QueueArguments(this.type, null, null);
	}

}
