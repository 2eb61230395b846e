package dev.taskqueue.beat.internal;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.taskqueue.client.BulkSendException;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.result.TaskState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Sends the runs of entries through the {@link TaskClient} (many at once, on its bulk
 * path), with the options RedBeat stores mapped as Celery's {@code apply_async} maps
 * them, the run's task id, and Celery beat's {@value #PERIODIC_TASK_NAME} header naming
 * the entry.
 */
final class FireSender {

	/** The header Celery's beat marks periodic runs with. */
	static final String PERIODIC_TASK_NAME = "periodic_task_name";

	private static final Log logger = LogFactory.getLog(FireSender.class);

	private final TaskClient client;

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	FireSender(TaskClient client) {
		this.client = client;
	}

	/**
	 * Build the request of a run.
	 * @param name the entry's name
	 * @param definition the entry's definition
	 * @param id the run's task id
	 * @return the request
	 * @throws IllegalArgumentException if an option cannot be sent
	 */
	TaskRequest request(String name, RedBeatJson.Definition definition, String id) {
		TaskRequest.Builder request = TaskRequest.builder(definition.task())
			.args(definition.args())
			.kwargs(definition.kwargs())
			.taskId(id)
			.header(PERIODIC_TASK_NAME, name);
		definition.options().forEach((option, value) -> apply(name, request, option, value));
		return request.build();
	}

	@SuppressWarnings("unchecked")
	private void apply(String name, TaskRequest.Builder request, String option, Object value) {
		switch (option) {
			case "queue" -> request.queue(String.valueOf(value));
			case "routing_key" -> request.routingKey(String.valueOf(value));
			case "exchange" -> request.exchange(String.valueOf(value));
			case "priority" -> request.priority(number(option, value).intValue());
			case "expires" -> {
				if (value instanceof Number seconds) {
					request.expires(seconds(seconds));
				}
				else {
					request.expires(time(option, value));
				}
			}
			case "countdown" -> request.countdown(seconds(number(option, value)));
			case "eta" -> request.eta(time(option, value));
			case "headers" -> {
				if (!(value instanceof Map<?, ?> headers)) {
					throw new IllegalArgumentException("option headers is not an object");
				}
				((Map<String, Object>) headers).forEach((header, headerValue) -> {
					if (TaskMessageCodec.CELERY_HEADERS.contains(header) || "compression".equals(header)) {
						warnOnce(name, "header '" + header + "' is one of Celery's own; it is not sent");
					}
					else {
						request.header(header, headerValue);
					}
				});
			}
			case "serializer" -> request.serializer(String.valueOf(value));
			case "compression" -> request.compression(String.valueOf(value));
			case "ignore_result" -> request.ignoreResult(Boolean.TRUE.equals(value));
			case "time_limit" -> request.timeLimit(seconds(number(option, value)));
			case "soft_time_limit" -> request.softTimeLimit(seconds(number(option, value)));
			case "task_id" -> warnOnce(name, "option task_id is ignored: the beat names every run by the entry "
					+ "and its due time, so a run fired twice can be recognised");
			default -> {
				if (logger.isDebugEnabled()) {
					logger.debug(
							"Periodic task '" + name + "': option '" + option + "' is not sent (as Celery drops it)");
				}
			}
		}
	}

	/**
	 * Send runs at once (pipelined on one channel) and wait for the broker's confirms.
	 * @param requests the runs
	 * @return per run, in order: {@code null} when confirmed, else why it was not sent
	 * (an {@link IllegalArgumentException} when it can never be sent)
	 */
	List<@Nullable RuntimeException> sendAll(List<TaskRequest> requests) {
		List<@Nullable RuntimeException> outcomes = new ArrayList<>(Collections.nCopies(requests.size(), null));
		try {
			this.client.sendAll(requests);
		}
		catch (BulkSendException ex) {
			for (BulkSendException.Failure failure : ex.getFailures()) {
				outcomes.set(failure.index(), failure.cause());
			}
		}
		catch (RuntimeException ex) {
			// A failure of the whole send is no verdict on any one run: they are all sent
			// again.
			Collections.fill(outcomes,
					(ex instanceof IllegalArgumentException) ? new IllegalStateException(ex.getMessage(), ex) : ex);
		}
		return outcomes;
	}

	/**
	 * Whether a run already reached a worker: its id has a state in the result store.
	 * @param id the run's task id
	 * @return whether the run is known to the result store
	 */
	boolean delivered(String id) {
		return this.client.result(id).getState() != TaskState.PENDING;
	}

	private void warnOnce(String name, String message) {
		if (this.warned.add(name + "\u0000" + message)) {
			logger.warn("Periodic task '" + name + "': " + message);
		}
	}

	private static Number number(String option, Object value) {
		if (value instanceof Number number) {
			return number;
		}
		throw new IllegalArgumentException("option " + option + " is not a number: " + value);
	}

	private static Duration seconds(Number seconds) {
		return Duration.ofNanos(Math.round(seconds.doubleValue() * 1_000_000_000d));
	}

	private static OffsetDateTime time(String option, @Nullable Object value) {
		if (value instanceof ZonedDateTime time) {
			return time.toOffsetDateTime();
		}
		if (value instanceof String text) {
			return OffsetDateTime.parse(text);
		}
		throw new IllegalArgumentException("option " + option + " is neither seconds nor a time: " + value);
	}

}
