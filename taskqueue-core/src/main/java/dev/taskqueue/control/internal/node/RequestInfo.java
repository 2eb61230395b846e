package dev.taskqueue.control.internal.node;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import dev.taskqueue.protocol.internal.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * A task request a worker holds: running, prefetched, or waiting for its ETA. Celery's
 * {@code active}, {@code reserved}, {@code scheduled} and {@code query_task} replies are
 * built from it ({@code Request.info()}).
 *
 * @param id the task id
 * @param name the task name
 * @param args the positional arguments
 * @param kwargs the keyword arguments
 * @param argsRepr the {@code argsrepr} the sender wrote, or {@code null} to derive it
 * @param kwargsRepr the {@code kwargsrepr} the sender wrote, or {@code null} to derive it
 * @param startedAt when its execution began, or {@code null} if it has not
 * @param acknowledged whether its message is acknowledged (a Java worker acknowledges
 * after the task, so a running task is usually not)
 * @param exchange the exchange it was published to ({@code ""} for the default one)
 * @param routingKey its routing key
 * @param priority its message priority, or {@code null}
 * @param redelivered whether the broker redelivered it
 * @param workerPid the process (or, on a JVM, the thread) running it, or {@code null}
 * @param eta when it is due, or {@code null}
 */
public record RequestInfo(String id, String name, List<?> args, Map<String, ?> kwargs, @Nullable String argsRepr,
		@Nullable String kwargsRepr, @Nullable Instant startedAt, boolean acknowledged, String exchange,
		String routingKey, @Nullable Integer priority, boolean redelivered, @Nullable Long workerPid,
		@Nullable OffsetDateTime eta) {

	/**
	 * A request for a received message, not started and not acknowledged.
	 * @param message the message
	 * @param exchange the exchange it arrived through
	 * @param routingKey its routing key
	 * @param redelivered whether the broker redelivered it
	 * @return the request
	 */
	public static RequestInfo of(TaskMessage message, String exchange, String routingKey, boolean redelivered) {
		return new RequestInfo(message.id(), message.task(), message.args(), message.kwargs(), null, null, null, false,
				exchange, routingKey, message.priority(), redelivered, null, message.eta());
	}

	/**
	 * This request, started.
	 * @param at when it started
	 * @param workerPid the process or thread running it
	 * @return the started request
	 */
	public RequestInfo started(Instant at, long workerPid) {
		return new RequestInfo(this.id, this.name, this.args, this.kwargs, this.argsRepr, this.kwargsRepr, at,
				this.acknowledged, this.exchange, this.routingKey, this.priority, this.redelivered, workerPid,
				this.eta);
	}

	/**
	 * This request, with its message acknowledged or not.
	 * @param acknowledged whether the message is acknowledged
	 * @return the request
	 */
	public RequestInfo acknowledged(boolean acknowledged) {
		return new RequestInfo(this.id, this.name, this.args, this.kwargs, this.argsRepr, this.kwargsRepr,
				this.startedAt, acknowledged, this.exchange, this.routingKey, this.priority, this.redelivered,
				this.workerPid, this.eta);
	}

}
