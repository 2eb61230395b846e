package dev.taskqueue.control.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import dev.taskqueue.protocol.internal.EncodedMessage;
import dev.taskqueue.protocol.internal.PythonJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Celery's monitoring events as its {@code EventDispatcher} writes them and its
 * {@code EventReceiver} reads them: on the {@code celeryev} topic exchange, routing key
 * the type with {@code -} as {@code .}, a {@code hostname} header, and a JSON body that
 * is one event object or, for a buffered group, an array of them ({@code task.multi}).
 * Every event starts with {@code hostname}, {@code utcoffset}, {@code pid} and
 * {@code clock} and ends with {@code timestamp} and {@code type}.
 */
public final class EventMessages {

	/** Celery's default {@code event_exchange}. */
	public static final String DEFAULT_EXCHANGE = "celeryev";

	/** {@code event_queue_ttl}: 5 s, in milliseconds as the broker takes it. */
	public static final int QUEUE_TTL_MILLIS = 5_000;

	/** {@code event_queue_expires}: 60 s, in milliseconds. */
	public static final int QUEUE_EXPIRES_MILLIS = 60_000;

	/** Celery's {@code event_queue_prefix}. */
	public static final String QUEUE_PREFIX = "celeryev";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final ObjectWriter WRITER = PythonJson.writer(MAPPER);

	private static final ObjectReader READER = PythonJson.reader(MAPPER);

	private EventMessages() {
	}

	/**
	 * The routing key of an event type: {@code task-succeeded} is {@code task.succeeded}.
	 * @param type the type
	 * @return the routing key
	 */
	public static String routingKey(String type) {
		return type.replace('-', '.');
	}

	/**
	 * The group of an event type, the part before the first {@code -}: {@code task},
	 * {@code worker}.
	 * @param type the type
	 * @return the group
	 */
	public static String group(String type) {
		int dash = type.indexOf('-');
		return (dash >= 0) ? type.substring(0, dash) : type;
	}

	/**
	 * The {@code utcoffset} field as Python computes it: the local offset from UTC,
	 * negated, in hours, floored ({@code time.altzone // 3600} under DST, else
	 * {@code time.timezone // 3600}). UTC gives 0, Berlin in summer -2, New York in
	 * winter 5, India (+05:30) -6.
	 * @return the value for this JVM's default zone now
	 */
	public static int utcoffset() {
		return utcoffset(ZoneId.systemDefault().getRules().getOffset(Instant.now()));
	}

	/**
	 * The {@code utcoffset} field of an offset.
	 * @param offset the local offset from UTC
	 * @return the negated hours, floored
	 */
	public static int utcoffset(ZoneOffset offset) {
		return Math.floorDiv(-offset.getTotalSeconds(), 3600);
	}

	/**
	 * Seconds since the epoch, as Python's {@code time.time()}.
	 * @return the time now
	 */
	public static double now() {
		Instant now = Instant.now();
		return now.getEpochSecond() + now.getNano() / 1e9;
	}

	/**
	 * Epoch seconds as a number that JSON writes as Python's {@code repr} of a float does
	 * ({@code 1796609576.2551296}, where a Java double would be written
	 * {@code 1.7966095762551296E9}).
	 * @param seconds the seconds
	 * @return the number to write
	 */
	public static BigDecimal seconds(double seconds) {
		return new BigDecimal(Double.toString(seconds));
	}

	/**
	 * An instant as epoch seconds, written as Python writes a float.
	 * @param instant the instant
	 * @return the number to write
	 */
	public static BigDecimal seconds(Instant instant) {
		return seconds(instant.getEpochSecond() + instant.getNano() / 1e9);
	}

	/**
	 * An event object in Celery's field order.
	 * @param hostname the sender's node name
	 * @param utcoffset the sender's {@link #utcoffset()}
	 * @param pid the sender's pid
	 * @param clock the sender's clock, after {@code forward()}
	 * @param type the type
	 * @param fields the type's own fields, in order
	 * @param timestamp when the event was created, epoch seconds
	 * @return the event
	 */
	public static Map<String, @Nullable Object> event(String hostname, int utcoffset, long pid, long clock, String type,
			Map<String, ? extends @Nullable Object> fields, double timestamp) {
		Map<String, @Nullable Object> event = new LinkedHashMap<>(fields.size() + 8);
		event.put("hostname", hostname);
		event.put("utcoffset", utcoffset);
		event.put("pid", pid);
		event.put("clock", clock);
		event.putAll(fields);
		// As Python's repr writes it (1796609576.2551296), not Java's
		// 1.7966095762551296E9.
		event.put("timestamp", new BigDecimal(Double.toString(timestamp)));
		event.put("type", type);
		return event;
	}

	/**
	 * Encode one event or a batch.
	 * @param hostname the sender's node name, for the {@code hostname} header
	 * @param body an event object, or a list of them
	 * @return the properties (transient) and body
	 */
	public static EncodedMessage encode(String hostname, Object body) {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("hostname", hostname);
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.contentEncoding("utf-8")
			.headers(headers)
			.deliveryMode(1)
			.priority(0)
			.build();
		return new EncodedMessage(properties, WRITER.writeValueAsBytes(body));
	}

	/**
	 * Decode an event message as Celery's receiver does: an object is one event, an array
	 * several in order.
	 * @param contentType the content type, or {@code null}
	 * @param body the body
	 * @return the events
	 * @throws UnreadableMessageException if the body is not JSON events
	 */
	public static List<Map<String, @Nullable Object>> decode(@Nullable String contentType, byte[] body) {
		if (!PidboxMessages.isJson(contentType)) {
			throw new UnreadableMessageException("an event in " + contentType + " cannot be read: only JSON is");
		}
		Object value;
		try {
			value = READER.readValue(body);
		}
		catch (JacksonException ex) {
			throw new UnreadableMessageException("an event is not JSON: " + ex.getOriginalMessage(), ex);
		}
		List<Map<String, @Nullable Object>> events = new ArrayList<>();
		if (value instanceof Map<?, ?> map) {
			events.add(event(map));
		}
		else if (value instanceof List<?> list) {
			for (Object element : list) {
				if (!(element instanceof Map<?, ?> map)) {
					throw new UnreadableMessageException("an event batch holds a " + element + " that is not an event");
				}
				events.add(event(map));
			}
		}
		else {
			throw new UnreadableMessageException("an event must be a JSON object or an array of them");
		}
		return events;
	}

	private static Map<String, @Nullable Object> event(Map<?, ?> map) {
		if (!(map.get("type") instanceof String)) {
			throw new UnreadableMessageException("an event needs a type, got " + map.get("type"));
		}
		Map<String, @Nullable Object> event = new LinkedHashMap<>();
		map.forEach((key, value) -> event.put(String.valueOf(key), value));
		return event;
	}

	/**
	 * The arguments of a receiver's queue: {@code x-message-ttl} 5000 and
	 * {@code x-expires} 60000, as integers.
	 * @return the arguments
	 */
	public static Map<String, Object> queueArguments() {
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("x-expires", QUEUE_EXPIRES_MILLIS);
		arguments.put("x-message-ttl", QUEUE_TTL_MILLIS);
		return arguments;
	}

}
