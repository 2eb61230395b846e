package dev.taskqueue.protocol.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.protocol.ContentTypes;
import dev.taskqueue.protocol.TaskSerializer;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.MessageProperties;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes and decodes Celery protocol v2 task messages exactly as Celery 5 writes them:
 * the sixteen headers in Celery's order and AMQP types, the properties Celery sets, and
 * an {@code [args, kwargs, embed]} body in the message's serializer ({@code json} with
 * Python's separators by default, {@code msgpack}, or an application's own
 * {@link TaskSerializer}), optionally compressed as kombu does ({@link Compression}).
 */
public final class TaskMessageCodec {

	/** The {@code lang} header Celery workers expect. */
	public static final String LANG = "py";

	private static final String ENCODING = "utf-8";

	private static final Integer PERSISTENT = 2;

	private final JsonMapper mapper;

	private final ObjectWriter bodyWriter;

	private final ObjectReader bodyReader;

	private final Set<String> accept;

	private final Serializers serializers;

	private final TaskSerializer serializer;

	private final @Nullable String compression;

	private final boolean typedJson;

	/**
	 * Create a codec that sends JSON, uncompressed, and reads the built-in serializers.
	 * @param mapper the JSON mapper for bodies
	 * @param acceptContent serializer names or content types a worker accepts (Celery's
	 * {@code accept_content})
	 */
	public TaskMessageCodec(JsonMapper mapper, Collection<String> acceptContent) {
		this(mapper, acceptContent, Serializers.defaults(mapper), JsonTaskSerializer.NAME, null);
	}

	/**
	 * Create a codec.
	 * @param mapper the JSON mapper for bodies and argument values
	 * @param acceptContent serializer names or content types a worker accepts (Celery's
	 * {@code accept_content})
	 * @param serializers the serializers known to this process
	 * @param serializer the name or content type of the serializer messages are sent with
	 * unless they choose another (Celery's {@code task_serializer})
	 * @param compression the compression messages are sent with unless they choose
	 * another (Celery's {@code task_compression}), or {@code null} for none
	 * @throws IllegalArgumentException if the serializer or compression is unknown
	 */
	public TaskMessageCodec(JsonMapper mapper, Collection<String> acceptContent, Serializers serializers,
			String serializer, @Nullable String compression) {
		this(mapper, acceptContent, serializers, serializer, compression, CeleryVersion.DEFAULT.writesTypedJson());
	}

	/**
	 * Create a codec.
	 * @param mapper the JSON mapper for bodies and argument values
	 * @param acceptContent serializer names or content types a worker accepts (Celery's
	 * {@code accept_content})
	 * @param serializers the serializers known to this process
	 * @param serializer the name or content type of the serializer messages are sent with
	 * unless they choose another (Celery's {@code task_serializer})
	 * @param compression the compression messages are sent with unless they choose
	 * another (Celery's {@code task_compression}), or {@code null} for none
	 * @param typedJson whether JSON bodies write dates, times, decimals, UUIDs and bytes
	 * as kombu 5.3+ typed objects ({@link CeleryVersion#writesTypedJson()}); reading
	 * accepts both forms either way
	 * @throws IllegalArgumentException if the serializer or compression is unknown
	 */
	public TaskMessageCodec(JsonMapper mapper, Collection<String> acceptContent, Serializers serializers,
			String serializer, @Nullable String compression, boolean typedJson) {
		this.mapper = KombuJson.reading(withoutDefaultTyping(mapper));
		this.typedJson = typedJson;
		this.bodyWriter = PythonJson.writer(this.mapper, typedJson);
		this.bodyReader = PythonJson.reader(this.mapper);
		this.accept = resolveAccept(acceptContent, serializers);
		this.serializers = serializers;
		this.serializer = serializers.get(serializer);
		this.compression = (compression != null) ? Compression.resolve(compression) : null;
	}

	// An application's serializer names resolve to their content types; Celery's names
	// and any
	// content type as ContentTypes resolves them.
	private static Set<String> resolveAccept(Collection<String> acceptContent, Serializers serializers) {
		Set<String> resolved = new LinkedHashSet<>();
		for (String entry : acceptContent) {
			String type = ContentTypes.resolve(entry);
			if (!type.contains("/")) {
				try {
					type = serializers.get(entry).contentType().toLowerCase(Locale.ROOT);
				}
				catch (IllegalArgumentException ex) {
					// Not a serializer here: messages of it are refused as having no
					// decoder.
				}
			}
			resolved.add(type);
		}
		return resolved;
	}

	/**
	 * A message names its task; it must never name a class. Default typing would let any
	 * {@code "@class"} (or wrapper-array) value in the arguments pick the class Jackson
	 * instantiates, the classic Jackson gadget-chain hole, so a mapper that has it (from
	 * an application's customizer) is used here without it.
	 */
	static JsonMapper withoutDefaultTyping(JsonMapper mapper) {
		if (mapper.deserializationConfig().getDefaultTyper(mapper.constructType(Object.class)) == null
				&& mapper.serializationConfig().getDefaultTyper(mapper.constructType(Object.class)) == null) {
			return mapper;
		}
		LogFactory.getLog(TaskMessageCodec.class)
			.warn("The JSON mapper given to taskqueue has default typing "
					+ "activated; taskqueue uses it without default typing so that messages cannot choose classes");
		return mapper.rebuild().deactivateDefaultTyping().build();
	}

	/**
	 * Return the mapper used for bodies and argument values.
	 * @return the mapper used for bodies and argument values
	 */
	public JsonMapper mapper() {
		return this.mapper;
	}

	/**
	 * Return whether JSON bodies write kombu 5.3+ typed objects.
	 * @return whether JSON bodies write kombu 5.3+ typed objects
	 */
	public boolean writesTypedJson() {
		return this.typedJson;
	}

	/**
	 * Return the accepted content types.
	 * @return the accepted content types
	 */
	public Set<String> acceptedContentTypes() {
		return this.accept;
	}

	/**
	 * Return the serializers known to this codec.
	 * @return the serializers known to this codec
	 */
	public Serializers serializers() {
		return this.serializers;
	}

	/**
	 * Return the serializer messages are sent with unless they choose another.
	 * @return the serializer messages are sent with unless they choose another
	 */
	public TaskSerializer defaultSerializer() {
		return this.serializer;
	}

	/**
	 * Encode a message as Celery would publish it.
	 * @param message the message
	 * @return the AMQP properties and body
	 */
	public EncodedMessage encode(TaskMessage message) {
		Map<String, Object> headers = new LinkedHashMap<>(24);
		headers.put("lang", message.lang());
		headers.put("task", message.task());
		headers.put("id", message.id());
		headers.put("shadow", message.shadow());
		headers.put("eta", (message.eta() != null) ? CeleryTime.formatAware(message.eta()) : null);
		headers.put("expires", (message.expires() != null) ? CeleryTime.formatAware(message.expires()) : null);
		headers.put("group", message.group());
		headers.put("group_index", message.groupIndex());
		headers.put("retries", message.retries());
		headers.put("timelimit", Arrays.asList(message.hardTimeLimit(), message.softTimeLimit()));
		headers.put("root_id", message.rootId());
		headers.put("parent_id", message.parentId());
		headers.put("argsrepr", PyRepr.args(message.args()));
		headers.put("kwargsrepr", PyRepr.kwargs(message.kwargs()));
		headers.put("origin", message.origin());
		headers.put("ignore_result", message.ignoreResult());
		message.extraHeaders().forEach(headers::putIfAbsent);
		String expiration = null;
		if (message.expires() != null) {
			long millis = Duration.between(OffsetDateTime.now(), message.expires()).toMillis();
			expiration = Long.toString(Math.max(0, millis));
		}
		TaskSerializer serializer = serializerOf(message);
		String compression = (message.compression() != null) ? Compression.resolve(message.compression())
				: this.compression;
		byte[] body = encodeBody(message, serializer);
		if (compression != null) {
			// kombu puts it among the message headers, after Celery's own.
			headers.put(COMPRESSION, compression);
			body = Compression.compress(body);
		}
		else {
			headers.remove(COMPRESSION);
		}
		// Not AMQP.BasicProperties.Builder: it keeps headers in a HashMap, losing
		// Celery's order.
		AMQP.BasicProperties props = new OrderedBasicProperties(serializer.contentType(), serializer.contentEncoding(),
				headers, PERSISTENT, message.priority(), message.id(), message.replyTo(), expiration);
		return new EncodedMessage(props, body);
	}

	private TaskSerializer serializerOf(TaskMessage message) {
		String name = message.serializer();
		if (name == null) {
			return this.serializer;
		}
		TaskSerializer found = this.serializers.forContentType(name);
		return (found != null) ? found : this.serializers.get(name);
	}

	/**
	 * Encode the {@code [args, kwargs, embed]} body, uncompressed.
	 * @param message the message
	 * @return the bytes, in the message's serializer
	 */
	public byte[] encodeBody(TaskMessage message) {
		return encodeBody(message, serializerOf(message));
	}

	private byte[] encodeBody(TaskMessage message, TaskSerializer serializer) {
		Map<String, Object> embed = new LinkedHashMap<>(8);
		embed.put("callbacks", message.embed().callbacks());
		embed.put("errbacks", message.embed().errbacks());
		embed.put("chain", message.embed().chain());
		embed.put("chord", message.embed().chord());
		List<Object> body = Arrays.asList(message.args(), message.kwargs(), embed);
		if (serializer instanceof JsonTaskSerializer) {
			return this.bodyWriter.writeValueAsBytes(body);
		}
		return serializer.encode(body);
	}

	/**
	 * Decode a received message.
	 * @param properties the message properties, as Spring AMQP converted them
	 * @param body the body
	 * @return the task message
	 * @throws InvalidMessageException if the content type is not accepted or the message
	 * is not valid protocol v2
	 */
	public TaskMessage decode(MessageProperties properties, byte[] body) {
		return decode(properties, body, Long.MAX_VALUE);
	}

	/**
	 * Decode a received message whose body may be at most a given size. The size is
	 * checked before anything else, so an oversized body is never parsed.
	 * @param properties the message properties, as Spring AMQP converted them
	 * @param body the body
	 * @param maxBodySize the largest body accepted, in bytes
	 * @return the task message
	 * @throws InvalidMessageException if the body is too large, the content type is not
	 * accepted or the message is not valid protocol v2
	 */
	public TaskMessage decode(MessageProperties properties, byte[] body, long maxBodySize) {
		Map<String, @Nullable Object> headers = properties.getHeaders();
		String id = textOrNull(headers.get("id"));
		String task = textOrNull(headers.get("task"));
		if (body.length > maxBodySize) {
			throw new InvalidMessageException(
					"message body of " + body.length + " bytes exceeds the limit of " + maxBodySize
							+ " bytes (taskqueue.worker.max-message-size)",
					id, (task != null && !task.chars().anyMatch(Character::isISOControl)) ? task : null);
		}
		String contentType = properties.getContentType();
		if (contentType == null || !this.accept.contains(contentType.toLowerCase(java.util.Locale.ROOT))) {
			throw new InvalidMessageException(
					"content type '" + contentType + "' is not accepted (accepted: " + this.accept + ")", id, task);
		}
		TaskSerializer serializer = this.serializers.forContentType(contentType.toLowerCase(java.util.Locale.ROOT));
		if (serializer == null) {
			throw new InvalidMessageException("content type '" + contentType + "' has no decoder here (known: "
					+ this.serializers.describeAccepted() + ")", id, task);
		}
		String encoding = properties.getContentEncoding();
		if (encoding != null && !encoding.equalsIgnoreCase(serializer.contentEncoding())
				&& !(isUtf8(encoding) && isUtf8(serializer.contentEncoding()))) {
			throw new InvalidMessageException("content encoding '" + encoding + "' is not supported for "
					+ serializer.contentType() + " (expected '" + serializer.contentEncoding() + "')", id, task);
		}
		if (task == null || id == null) {
			throw new InvalidMessageException("not a Celery protocol v2 message: the 'task' and 'id' headers are "
					+ "required (protocol v1 is not supported)", id, task);
		}
		if (task.isEmpty() || task.chars().anyMatch(Character::isISOControl)) {
			throw new InvalidMessageException("invalid task name " + PyRepr.repr(task), id, null);
		}
		Fields fields = new Fields(id, task);
		TaskMessage.Builder builder = TaskMessage.builder(id, task)
			.lang(fields.text(headers, "lang", LANG))
			.shadow(fields.text(headers, "shadow", null))
			.eta(fields.time(headers, "eta"))
			.expires(fields.time(headers, "expires"))
			.group(fields.text(headers, "group", null))
			.groupIndex(fields.integer(headers, "group_index"))
			.retries(orZero(fields.integer(headers, "retries")))
			.rootId(fields.text(headers, "root_id", null))
			.parentId(fields.text(headers, "parent_id", null))
			.origin(fields.text(headers, "origin", null))
			.ignoreResult(fields.bool(headers, "ignore_result"))
			.replyTo(properties.getReplyTo())
			.priority(orZero(properties.getPriority()));
		Object timelimit = headers.get("timelimit");
		if (timelimit instanceof List<?> limits && limits.size() == 2) {
			builder.timeLimit(fields.number(limits.get(0), "timelimit"), fields.number(limits.get(1), "timelimit"));
		}
		else if (timelimit != null) {
			throw fields
				.invalid("header 'timelimit' must be a list of two numbers or nulls, got " + describe(timelimit));
		}
		headers.forEach((name, value) -> {
			if (!CELERY_HEADERS.contains(name) && !COMPRESSION.equals(name)) {
				builder.extraHeader(name, plain(value));
			}
		});
		String compression = fields.text(headers, COMPRESSION, null);
		if (compression != null) {
			try {
				body = Compression.decompress(compression, body, maxBodySize);
			}
			catch (IllegalArgumentException ex) {
				throw fields.invalid(ex.getMessage()
						+ (ex.getMessage().contains("limit") ? " (taskqueue.worker.max-message-size)" : ""));
			}
			builder.compression(compression);
		}
		builder.serializer(serializer.contentType());
		decodeBody(body, serializer, fields, builder);
		return builder.build();
	}

	private static boolean isUtf8(String encoding) {
		return encoding.equalsIgnoreCase(ENCODING) || encoding.equalsIgnoreCase("utf8");
	}

	private void decodeBody(byte[] body, TaskSerializer serializer, Fields fields, TaskMessage.Builder builder) {
		Object parsed;
		try {
			parsed = (serializer instanceof JsonTaskSerializer) ? this.bodyReader.readValue(body)
					: serializer.decode(body);
		}
		catch (JacksonException ex) {
			throw new InvalidMessageException(
					"body is not valid " + formatName(serializer) + ": " + ex.getOriginalMessage(), fields.id,
					fields.task, ex);
		}
		catch (RuntimeException ex) {
			throw new InvalidMessageException("body is not valid " + formatName(serializer) + ": " + ex.getMessage(),
					fields.id, fields.task, ex);
		}
		if (!(parsed instanceof List<?> parts) || parts.size() != 3) {
			throw fields.invalid("body must be a JSON array [args, kwargs, embed], got " + describe(parsed));
		}
		if (!(parts.get(0) instanceof List<?> args)) {
			throw fields.invalid("args (body[0]) must be a JSON array, got " + describe(parts.get(0)));
		}
		if (!(parts.get(1) instanceof Map<?, ?> kwargs)) {
			throw fields.invalid("kwargs (body[1]) must be a JSON object, got " + describe(parts.get(1)));
		}
		Object embed = parts.get(2);
		if (embed != null && !(embed instanceof Map<?, ?>)) {
			throw fields.invalid("embed (body[2]) must be a JSON object or null, got " + describe(embed));
		}
		@SuppressWarnings("unchecked")
		Map<String, ?> kw = (Map<String, ?>) kwargs;
		builder.args(args).kwargs(kw);
		if (embed instanceof Map<?, ?> e) {
			builder.embed(new TaskMessage.Embed(fields.list(e, "callbacks"), fields.list(e, "errbacks"),
					fields.list(e, "chain"), fields.signature(e.get("chord"))));
		}
	}

	private static String formatName(TaskSerializer serializer) {
		return (serializer instanceof JsonTaskSerializer) ? "JSON" : serializer.name();
	}

	/** kombu's header naming the body's compression. */
	private static final String COMPRESSION = "compression";

	/**
	 * The sixteen headers Celery's protocol v2 defines; anything else is an extra header.
	 */
	public static final Set<String> CELERY_HEADERS = Set.of("lang", "task", "id", "shadow", "eta", "expires", "group",
			"group_index", "retries", "timelimit", "root_id", "parent_id", "argsrepr", "kwargsrepr", "origin",
			"ignore_result");

	private static int orZero(@Nullable Integer value) {
		return (value != null) ? value : 0;
	}

	static String describe(@Nullable Object value) {
		if (value == null) {
			return "null";
		}
		if (value instanceof Map) {
			return "an object";
		}
		if (value instanceof List<?> list) {
			return "an array of " + list.size();
		}
		if (value instanceof CharSequence) {
			return "a string";
		}
		if (value instanceof Boolean) {
			return "a boolean";
		}
		if (value instanceof Number) {
			return "a number";
		}
		return value.getClass().getSimpleName();
	}

	// Deep: a field table or array header (stamps, stamped_headers) holds AMQP long
	// strings too.
	private static @Nullable Object plain(@Nullable Object value) {
		if (value instanceof LongString || value instanceof DataInputStream || value instanceof byte[]) {
			return textOrNull(value);
		}
		if (value instanceof List<?> list) {
			List<@Nullable Object> copy = new ArrayList<>(list.size());
			list.forEach((element) -> copy.add(plain(element)));
			return copy;
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, @Nullable Object> copy = new LinkedHashMap<>();
			map.forEach((key, element) -> copy.put(String.valueOf(plain(key)), plain(element)));
			return copy;
		}
		return value;
	}

	private static @Nullable String textOrNull(@Nullable Object value) {
		if (value instanceof String s) {
			return s;
		}
		if (value instanceof LongString ls) {
			return new String(ls.getBytes(), StandardCharsets.UTF_8);
		}
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		if (value instanceof DataInputStream in) {
			try {
				return new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				return null;
			}
		}
		return null;
	}

	/**
	 * Reads typed fields and names the task in every error.
	 */
	private static final class Fields {

		private final String id;

		private final String task;

		Fields(String id, String task) {
			this.id = id;
			this.task = task;
		}

		InvalidMessageException invalid(String reason) {
			return new InvalidMessageException(reason, this.id, this.task);
		}

		@Nullable String text(Map<String, @Nullable Object> headers, String name, @Nullable String fallback) {
			Object value = headers.get(name);
			if (value == null) {
				return fallback;
			}
			String text = textOrNull(value);
			if (text == null) {
				throw invalid("header '" + name + "' must be a string, got " + describe(value));
			}
			return text;
		}

		@Nullable Integer integer(Map<String, @Nullable Object> headers, String name) {
			Object value = headers.get(name);
			if (value == null) {
				return null;
			}
			if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
				return ((Number) value).intValue();
			}
			throw invalid("header '" + name + "' must be an integer, got " + describe(value));
		}

		boolean bool(Map<String, @Nullable Object> headers, String name) {
			Object value = headers.get(name);
			if (value == null) {
				return false;
			}
			if (value instanceof Boolean b) {
				return b;
			}
			throw invalid("header '" + name + "' must be a boolean, got " + describe(value));
		}

		@Nullable OffsetDateTime time(Map<String, @Nullable Object> headers, String name) {
			String text = text(headers, name, null);
			if (text == null) {
				return null;
			}
			try {
				return CeleryTime.parse(text);
			}
			catch (DateTimeParseException ex) {
				throw invalid("header '" + name + "' is not an ISO-8601 time: " + PyRepr.repr(text));
			}
		}

		@Nullable Number number(@Nullable Object value, String name) {
			if (value == null || value instanceof Number) {
				return (Number) value;
			}
			throw invalid("header '" + name + "' must hold numbers or nulls, got " + describe(value));
		}

		@Nullable List<?> list(Map<?, ?> embed, String name) {
			Object value = embed.get(name);
			if (value == null) {
				return null;
			}
			if (!(value instanceof List<?> list)) {
				throw invalid("embed '" + name + "' must be an array of signatures or null, got " + describe(value));
			}
			List<Object> signatures = new ArrayList<>(list.size());
			for (Object element : list) {
				signatures.add(signature(element));
			}
			return signatures;
		}

		@Nullable Object signature(@Nullable Object value) {
			if (value == null) {
				return null;
			}
			if (!(value instanceof Map<?, ?> map) || !(map.get("task") instanceof String)) {
				throw invalid("a signature in embed must be an object with a 'task' name, got " + describe(value));
			}
			return value;
		}

	}

}
