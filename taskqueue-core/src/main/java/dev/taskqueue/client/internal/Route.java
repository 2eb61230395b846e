package dev.taskqueue.client.internal;

import org.jspecify.annotations.Nullable;

/**
 * Where a task message goes, as a Celery route says it: a queue, and optionally the
 * exchange and routing key to publish with. Without an exchange the message goes to the
 * default exchange with the queue name as routing key, as Celery publishes it.
 *
 * @param queue the queue name
 * @param exchange the exchange, or {@code null} for the default exchange
 * @param routingKey the routing key, or {@code null} for the queue name
 */
public record Route(String queue, @Nullable String exchange, @Nullable String routingKey) {

	/**
	 * A route to a queue through the default exchange.
	 * @param queue the queue name
	 * @return the route
	 */
	public static Route toQueue(String queue) {
		return new Route(queue, null, null);
	}

	/**
	 * Return the exchange to publish to ({@code ""} for the default exchange).
	 * @return the exchange to publish to ({@code ""} for the default exchange)
	 */
	public String effectiveExchange() {
		return (this.exchange != null) ? this.exchange : "";
	}

	/**
	 * Return the routing key to publish with.
	 * @return the routing key to publish with
	 */
	public String effectiveRoutingKey() {
		return (this.routingKey != null) ? this.routingKey : this.queue;
	}

}
