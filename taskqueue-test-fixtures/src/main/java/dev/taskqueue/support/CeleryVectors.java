package dev.taskqueue.support;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.impl.LongStringHelper;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Celery 5.2.6 reference vectors in {@code src/test/resources/celery-vectors/} (a
 * copy of {@code shared/celery-vectors/}), and conversions of their messages into what
 * Spring AMQP hands a listener.
 */
public final class CeleryVectors {

	/** The classpath folder of the vectors. */
	public static final String FOLDER = "/celery-vectors/";

	/** Vector files of messages the Celery client published. */
	public static final List<String> CLIENT_CASES = List.of("delay", "countdown", "eta", "link", "link_error", "kwargs",
			"args_and_kwargs", "expires", "expired", "priority", "ignore_result", "noop", "chain_3", "group_3", "chord",
			"chord_partial", "send_task_divide", "retry");

	/** Vector files of messages the Celery worker published. */
	public static final List<String> WORKER_CASES = List.of("worker_link_callback", "worker_errback",
			"worker_chain_steps", "worker_chord_body", "worker_retry_republish");

	/** The sixteen headers of every Celery task message, in Celery's order. */
	public static final List<String> CELERY_HEADERS = List.of("lang", "task", "id", "shadow", "eta", "expires", "group",
			"group_index", "retries", "timelimit", "root_id", "parent_id", "argsrepr", "kwargsrepr", "origin",
			"ignore_result");

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private CeleryVectors() {
	}

	/**
	 * Return a plain mapper for reading vectors.
	 * @return a plain mapper for reading vectors
	 */
	public static JsonMapper mapper() {
		return MAPPER;
	}

	/**
	 * Read a vector file.
	 * @param fileName e.g. {@code delay.json}
	 * @return its JSON
	 */
	public static JsonNode load(String fileName) {
		try (InputStream in = CeleryVectors.class.getResourceAsStream(FOLDER + fileName)) {
			if (in == null) {
				throw new IllegalArgumentException("no vector " + FOLDER + fileName + " on the classpath");
			}
			return MAPPER.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The names of every {@code .json} vector file.
	 * @return the file names, sorted
	 */
	public static Set<String> fileNames() {
		URL url = CeleryVectors.class.getResource(FOLDER);
		if (url == null) {
			throw new IllegalStateException("no " + FOLDER + " on the classpath");
		}
		try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
			Set<String> names = new TreeSet<>();
			files.map((path) -> path.getFileName().toString())
				.filter((name) -> name.endsWith(".json"))
				.forEach(names::add);
			return names;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Every message of a case.
	 * @param name the case, e.g. {@code chord}
	 * @return its messages
	 */
	public static List<MessageVector> messages(String name) {
		JsonNode file = load(name + ".json");
		List<MessageVector> messages = new ArrayList<>();
		int i = 0;
		for (JsonNode message : file.get("messages")) {
			messages.add(new MessageVector(name, i++, message));
		}
		return messages;
	}

	/**
	 * The first message of a case.
	 * @param name the case
	 * @return its first message
	 */
	public static MessageVector first(String name) {
		return messages(name).get(0);
	}

	/**
	 * Return every message of every client and worker case.
	 * @return every message of every client and worker case
	 */
	public static Stream<MessageVector> allMessages() {
		return Stream.concat(CLIENT_CASES.stream(), WORKER_CASES.stream()).flatMap((name) -> messages(name).stream());
	}

	/**
	 * One captured message.
	 *
	 * @param file the case name (vector file without {@code .json})
	 * @param index its position in the file's {@code messages}
	 * @param json the message element
	 */
	public record MessageVector(String file, int index, JsonNode json) {

		public JsonNode headers() {
			return this.json.get("headers");
		}

		public JsonNode properties() {
			return this.json.get("properties");
		}

		public JsonNode headerTypes() {
			return this.json.get("header_amqp_types");
		}

		public JsonNode bodyJson() {
			return this.json.get("body_json");
		}

		public String bodyText() {
			return this.json.get("body_text").asString();
		}

		public byte[] body() {
			return bodyText().getBytes(StandardCharsets.UTF_8);
		}

		/**
		 * Return the header as text, or {@code null} when it is JSON null.
		 * @return the header as text, or {@code null} when it is JSON null
		 */
		public String header(String name) {
			JsonNode value = headers().get(name);
			return (value == null || value.isNull()) ? null : value.asString();
		}

		/**
		 * Return whether the raw content-header bytes were captured (client-published
		 * messages).
		 * @return whether the raw content-header bytes were captured (client-published
		 * messages)
		 */
		public boolean hasRawContentHeader() {
			return this.json.has("content_header_properties_raw_b64");
		}

		/**
		 * Return the raw content-header property bytes, as RabbitMQ delivered them.
		 * @return the raw content-header property bytes, as RabbitMQ delivered them
		 */
		public byte[] rawContentHeader() {
			return Base64.getDecoder().decode(this.json.get("content_header_properties_raw_b64").asString());
		}

		/**
		 * Header types as the vector's {@code header_amqp_types}, in the form
		 * {@link RawContentHeader#headerTypes()} uses ({@code A[V,V]} for arrays).
		 * @return header name to type letter, in order
		 */
		public Map<String, String> headerTypeLetters() {
			Map<String, String> types = new LinkedHashMap<>();
			headerTypes().properties().forEach((entry) -> types.put(entry.getKey(), typeLetter(entry.getValue())));
			return types;
		}

		/**
		 * The AMQP properties as the RabbitMQ Java client reads them off the wire: parsed
		 * from the raw bytes when the vector has them, otherwise built from
		 * {@code properties}, {@code headers} and {@code header_amqp_types} with the
		 * client's value classes ({@code LongString} for {@code S}, {@code null} for
		 * {@code V}, {@code Integer}, {@code Boolean}, {@code List}).
		 * @return the properties
		 */
		public AMQP.BasicProperties basicProperties() {
			return hasRawContentHeader() ? basicPropertiesFromRaw() : basicPropertiesFromJson();
		}

		public AMQP.BasicProperties basicPropertiesFromRaw() {
			try {
				// The client's parser starts after the class id, at the weight (2 bytes)
				// and body size (8)
				byte[] raw = rawContentHeader();
				byte[] header = new byte[10 + raw.length];
				System.arraycopy(raw, 0, header, 10, raw.length);
				return new AMQP.BasicProperties(new DataInputStream(new ByteArrayInputStream(header)));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		public AMQP.BasicProperties basicPropertiesFromJson() {
			Map<String, Object> headers = new LinkedHashMap<>();
			headerTypes().properties()
				.forEach((entry) -> headers.put(entry.getKey(),
						wireValue(entry.getValue(), headers().get(entry.getKey()))));
			JsonNode p = properties();
			return new AMQP.BasicProperties.Builder().contentType(text(p, "content_type"))
				.contentEncoding(text(p, "content_encoding"))
				.headers(headers)
				.deliveryMode(p.has("delivery_mode") ? p.get("delivery_mode").intValue() : null)
				.priority(p.has("priority") ? p.get("priority").intValue() : null)
				.correlationId(text(p, "correlation_id"))
				.replyTo(text(p, "reply_to"))
				.expiration(text(p, "expiration"))
				.build();
		}

		/**
		 * What a Spring AMQP listener receives: the properties converted by
		 * {@link DefaultMessagePropertiesConverter}, which turns {@code LongString}
		 * headers into {@code String}.
		 * @return the message properties
		 */
		public MessageProperties messageProperties() {
			Envelope envelope = new Envelope(1L, false, this.json.path("exchange").asString(""),
					this.json.path("routing_key").asString(""));
			return new DefaultMessagePropertiesConverter().toMessageProperties(basicProperties(), envelope, "UTF-8");
		}

		@Override
		public String toString() {
			return this.file + "[" + this.index + "]";
		}

		private static String text(JsonNode node, String name) {
			JsonNode value = node.get(name);
			return (value == null || value.isNull()) ? null : value.asString();
		}

		private static Object wireValue(JsonNode type, JsonNode value) {
			if (type.isObject()) {
				JsonNode elementTypes = type.get("A");
				List<Object> list = new ArrayList<>();
				for (int i = 0; i < elementTypes.size(); i++) {
					list.add(wireValue(elementTypes.get(i), value.get(i)));
				}
				return list;
			}
			return switch (type.asString()) {
				case "S" -> LongStringHelper.asLongString(value.asString());
				case "V" -> null;
				case "I" -> value.intValue();
				case "t" -> value.booleanValue();
				default -> throw new IllegalArgumentException("header type " + type + " is not in the vectors");
			};
		}

		private static String typeLetter(JsonNode type) {
			if (type.isObject()) {
				List<String> elements = new ArrayList<>();
				type.get("A").forEach((element) -> elements.add(typeLetter(element)));
				return "A[" + String.join(",", elements) + "]";
			}
			return type.asString();
		}

	}

}
