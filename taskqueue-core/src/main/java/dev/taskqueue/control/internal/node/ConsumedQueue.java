package dev.taskqueue.control.internal.node;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A queue a worker consumes, for Celery's {@code active_queues} reply (kombu's
 * {@code Queue.as_dict()}), and what {@code add_consumer} asks a worker to consume.
 *
 * @param name the queue name
 * @param exchange the exchange it is bound to ({@code ""} for the default exchange)
 * @param exchangeType {@code direct}, {@code topic}, {@code fanout} or {@code headers}
 * @param routingKey its binding key
 * @param durable whether it survives a broker restart
 * @param exclusive whether only one connection may use it
 * @param autoDelete whether it goes when its last consumer does
 * @param arguments its declaration arguments ({@code x-queue-type},
 * {@code x-max-priority} ...), or empty
 */
public record ConsumedQueue(String name, String exchange, String exchangeType, String routingKey, boolean durable,
		boolean exclusive, boolean autoDelete, Map<String, @Nullable Object> arguments) {

	public ConsumedQueue {
		arguments = new LinkedHashMap<>(arguments);
	}

	/**
	 * A queue as Celery declares one from its name: durable, bound to a direct exchange
	 * of the same name with the name as key.
	 * @param name the queue name
	 * @return the queue
	 */
	public static ConsumedQueue named(String name) {
		return new ConsumedQueue(name, name, "direct", name, true, false, false, Map.of());
	}

}
