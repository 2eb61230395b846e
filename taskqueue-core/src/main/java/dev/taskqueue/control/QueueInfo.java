package dev.taskqueue.control;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A queue a node consumes, from Celery's {@code active_queues} reply (kombu's
 * {@code Queue.as_dict()}).
 *
 * @param name the queue name
 * @param exchange the exchange it is bound to
 * @param exchangeType the exchange's type
 * @param routingKey the binding key
 * @param durable whether it survives a broker restart
 * @param exclusive whether only one connection may use it
 * @param autoDelete whether it goes with its last consumer
 * @param queueArguments its declaration arguments, empty for none
 */
public record QueueInfo(String name, String exchange, String exchangeType, String routingKey, boolean durable,
		boolean exclusive, boolean autoDelete, Map<String, @Nullable Object> queueArguments) {

	static QueueInfo of(Map<?, ?> queue) {
		String exchange = "";
		String type = "direct";
		if (queue.get("exchange") instanceof Map<?, ?> ex) {
			exchange = Replies.text(ex, "name");
			type = Replies.text(ex, "type");
		}
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		if (queue.get("queue_arguments") instanceof Map<?, ?> map) {
			map.forEach((key, value) -> arguments.put(String.valueOf(key), value));
		}
		return new QueueInfo(Replies.text(queue, "name"), exchange, type, Replies.text(queue, "routing_key"),
				Boolean.TRUE.equals(queue.get("durable")), Boolean.TRUE.equals(queue.get("exclusive")),
				Boolean.TRUE.equals(queue.get("auto_delete")), arguments);
	}

}
