package dev.taskqueue.control.internal;

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
 * Celery's remote-control (pidbox) messages as kombu's {@code Mailbox} writes them:
 * requests on the {@code <ns>.pidbox} fanout exchange, replies on the
 * {@code reply.<ns>.pidbox} direct exchange correlated by the {@code ticket} header,
 * bodies in JSON as Python writes it, and the queues both sides declare.
 */
public final class PidboxMessages {

	/** Celery's default {@code control_exchange}: exchanges {@code celery.pidbox}... */
	public static final String DEFAULT_NAMESPACE = "celery";

	/** {@code control_queue_ttl}: 300 s, in milliseconds as the broker takes it. */
	public static final int QUEUE_TTL_MILLIS = 300_000;

	/** {@code control_queue_expires}: 10 s, in milliseconds. */
	public static final int QUEUE_EXPIRES_MILLIS = 10_000;

	/**
	 * Bodies larger than this are not read: a revoke of every id Celery keeps (50,000) is
	 * about 2 MB.
	 */
	public static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final ObjectWriter WRITER = PythonJson.writer(MAPPER);

	private static final ObjectReader READER = PythonJson.reader(MAPPER);

	private static final String JSON = "application/json";

	private PidboxMessages() {
	}

	/**
	 * The fanout exchange requests are published to.
	 * @param namespace Celery's {@code control_exchange}
	 * @return {@code <namespace>.pidbox}
	 */
	public static String exchange(String namespace) {
		return namespace + ".pidbox";
	}

	/**
	 * The direct exchange replies are published to.
	 * @param namespace Celery's {@code control_exchange}
	 * @return {@code reply.<namespace>.pidbox}
	 */
	public static String replyExchange(String namespace) {
		return "reply." + namespace + ".pidbox";
	}

	/**
	 * A node's own queue.
	 * @param node the node name
	 * @param namespace Celery's {@code control_exchange}
	 * @return {@code <node>.<namespace>.pidbox}
	 */
	public static String nodeQueue(String node, String namespace) {
		return node + "." + namespace + ".pidbox";
	}

	/**
	 * A client's reply queue.
	 * @param oid the client's id, also the routing key of its replies
	 * @param namespace Celery's {@code control_exchange}
	 * @return {@code <oid>.reply.<namespace>.pidbox}
	 */
	public static String replyQueue(String oid, String namespace) {
		return oid + "." + replyExchange(namespace);
	}

	/**
	 * The arguments of node and reply queues: {@code x-message-ttl} 300000 and
	 * {@code x-expires} 10000, as integers as kombu declares them.
	 * @return the arguments
	 */
	public static Map<String, Object> queueArguments() {
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("x-expires", QUEUE_EXPIRES_MILLIS);
		arguments.put("x-message-ttl", QUEUE_TTL_MILLIS);
		return arguments;
	}

	/**
	 * Encode a request.
	 * @param request the request
	 * @return the properties (persistent, as kombu publishes requests) and body
	 */
	public static EncodedMessage encodeRequest(PidboxRequest request) {
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		body.put("method", request.method());
		body.put("arguments", request.arguments());
		body.put("destination", request.destination());
		body.put("pattern", request.pattern());
		body.put("matcher", request.matcher());
		ReplyTo replyTo = request.replyTo();
		if (request.ticket() != null && replyTo != null) {
			body.put("ticket", request.ticket());
			Map<String, Object> to = new LinkedHashMap<>();
			to.put("exchange", replyTo.exchange());
			to.put("routing_key", replyTo.routingKey());
			body.put("reply_to", to);
		}
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("clock", integer(request.clock()));
		headers.put("expires", (request.expires() > 0) ? (Object) request.expires() : (Object) 0);
		return new EncodedMessage(properties(headers, 2), WRITER.writeValueAsBytes(body));
	}

	/**
	 * Decode a request.
	 * @param headers the message headers
	 * @param contentType the content type, or {@code null}
	 * @param body the body
	 * @return the request
	 * @throws UnreadableMessageException if it is not a pidbox request this process can
	 * read
	 */
	public static PidboxRequest decodeRequest(Map<String, ?> headers, @Nullable String contentType, byte[] body) {
		Map<?, ?> map = readJsonObject(contentType, body, "request");
		if (!(map.get("method") instanceof String method)) {
			throw new UnreadableMessageException("a pidbox request needs a method name, got " + map.get("method"));
		}
		Object destination = map.get("destination");
		List<String> nodes = null;
		if (destination instanceof String single) {
			nodes = List.of(single);
		}
		else if (destination instanceof List<?> list) {
			nodes = new ArrayList<>(list.size());
			for (Object node : list) {
				nodes.add(String.valueOf(node));
			}
		}
		else if (destination != null) {
			throw new UnreadableMessageException(
					"the destination of '" + method + "' must be a list of node names, got " + destination);
		}
		ReplyTo replyTo = null;
		if (map.get("reply_to") instanceof Map<?, ?> to && to.get("exchange") instanceof String exchange
				&& to.get("routing_key") instanceof String routingKey) {
			replyTo = new ReplyTo(exchange, routingKey);
		}
		return new PidboxRequest(method, map.get("arguments"), nodes, text(map.get("pattern")),
				text(map.get("matcher")), text(map.get("ticket")), replyTo, number(headers.get("clock")),
				(headers.get("expires") instanceof Number expires) ? expires.doubleValue() : 0);
	}

	/**
	 * Encode a reply: <code>{"&lt;node&gt;": value}</code> with the request's ticket.
	 * @param node the replying node's name
	 * @param value the command's result
	 * @param ticket the request's ticket
	 * @param clock the node's mailbox clock, after {@code forward()}
	 * @return the properties (transient) and body
	 */
	public static EncodedMessage encodeReply(String node, @Nullable Object value, @Nullable String ticket, long clock) {
		Map<String, @Nullable Object> body = new LinkedHashMap<>(2);
		body.put(node, value);
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("ticket", ticket);
		headers.put("clock", integer(clock));
		return new EncodedMessage(properties(headers, 1), WRITER.writeValueAsBytes(body));
	}

	/**
	 * Decode a reply.
	 * @param headers the message headers
	 * @param contentType the content type, or {@code null}
	 * @param body the body
	 * @return the reply
	 * @throws UnreadableMessageException if it is not a reply this process can read
	 */
	public static PidboxReply decodeReply(Map<String, ?> headers, @Nullable String contentType, byte[] body) {
		Map<?, ?> map = readJsonObject(contentType, body, "reply");
		Map<String, @Nullable Object> replies = new LinkedHashMap<>();
		map.forEach((node, value) -> replies.put(String.valueOf(node), value));
		return new PidboxReply(text(headers.get("ticket")), number(headers.get("clock")), replies);
	}

	private static Map<?, ?> readJsonObject(@Nullable String contentType, byte[] body, String what) {
		if (!isJson(contentType)) {
			throw new UnreadableMessageException("a pidbox " + what + " in " + contentType
					+ " cannot be read: only JSON is (the client's task_serializer must be json)");
		}
		if (body.length > MAX_BODY_BYTES) {
			throw new UnreadableMessageException(
					"a pidbox " + what + " of " + body.length + " bytes is larger than " + MAX_BODY_BYTES);
		}
		Object value;
		try {
			value = READER.readValue(body);
		}
		catch (JacksonException ex) {
			throw new UnreadableMessageException("a pidbox " + what + " is not JSON: " + ex.getOriginalMessage(), ex);
		}
		if (!(value instanceof Map<?, ?> map)) {
			throw new UnreadableMessageException("a pidbox " + what + " must be a JSON object");
		}
		return map;
	}

	/**
	 * Whether a content type may hold Celery's JSON: JSON, or none given (Spring AMQP
	 * reports a missing one as {@code application/octet-stream}).
	 * @param contentType the content type, or {@code null}
	 * @return whether to read the body as JSON
	 */
	static boolean isJson(@Nullable String contentType) {
		return contentType == null || contentType.isEmpty()
				|| contentType.toLowerCase(java.util.Locale.ROOT).contains("json")
				|| "application/octet-stream".equalsIgnoreCase(contentType);
	}

	private static AMQP.BasicProperties properties(Map<String, @Nullable Object> headers, int deliveryMode) {
		return new AMQP.BasicProperties.Builder().contentType(JSON)
			.contentEncoding("utf-8")
			.headers(new LinkedHashMap<>(headers))
			.deliveryMode(deliveryMode)
			.priority(0)
			.build();
	}

	/** Python writes small ints as AMQP {@code I}; a Java long would be {@code l}. */
	private static Object integer(long value) {
		return (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) ? (Object) (int) value : (Object) value;
	}

	private static long number(@Nullable Object value) {
		return (value instanceof Number number) ? number.longValue() : 0;
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	/**
	 * Where a call's replies go.
	 *
	 * @param exchange the reply exchange
	 * @param routingKey the caller's routing key
	 */
	public record ReplyTo(String exchange, String routingKey) {

	}

	/**
	 * A pidbox request.
	 *
	 * @param method the command
	 * @param arguments its keyword arguments as sent: normally an object, {@code null}
	 * for none
	 * @param destination the node names that act, or {@code null} for all
	 * @param pattern with {@code matcher}, selects nodes by name
	 * @param matcher {@code glob} or {@code pcre}
	 * @param ticket the correlation id of replies; only in calls
	 * @param replyTo where replies go; only in calls
	 * @param clock the sender's mailbox clock ({@code clock} header)
	 * @param expires when the caller stops waiting, epoch seconds, or 0
	 */
	public record PidboxRequest(String method, @Nullable Object arguments, @Nullable List<String> destination,
			@Nullable String pattern, @Nullable String matcher, @Nullable String ticket, @Nullable ReplyTo replyTo,
			long clock, double expires) {

		/**
		 * Return whether replies are expected.
		 * @return whether replies are expected
		 */
		public boolean isCall() {
			return this.ticket != null && this.replyTo != null;
		}

	}

	/**
	 * A pidbox reply.
	 *
	 * @param ticket the request's ticket
	 * @param clock the replying node's mailbox clock
	 * @param body the reply: one node name mapped to its result
	 */
	public record PidboxReply(@Nullable String ticket, long clock, Map<String, @Nullable Object> body) {

	}

}
