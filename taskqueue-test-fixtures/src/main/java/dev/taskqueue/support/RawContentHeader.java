package dev.taskqueue.support;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;

/**
 * The property list of an AMQP 0-9-1 content header ({@code basic} class), parsed from
 * the raw bytes without the RabbitMQ client's help: which properties are present, their
 * values, and every header with its field-table type letter, in wire order. The RabbitMQ
 * Java client reads headers into a {@code HashMap}, which loses both the order and the
 * type letters; this parser keeps them.
 * <p>
 * Property names are py-amqp's ({@code content_type}, {@code delivery_mode}, ...), as in
 * the vectors' {@code properties_present}. Header types are written like the vectors'
 * {@code header_amqp_types}, with arrays as {@code A[V,V]}.
 *
 * @param present the names of the properties whose flag is set, in flag order
 * @param properties the values of the present properties other than {@code headers}
 * @param headers the headers, in wire order
 */
public record RawContentHeader(List<String> present, Map<String, Object> properties, List<Field> headers) {

	private static final List<String> FLAGS = List.of("content_type", "content_encoding", "headers", "delivery_mode",
			"priority", "correlation_id", "reply_to", "expiration", "message_id", "timestamp", "type", "user_id",
			"app_id", "cluster_id");

	/**
	 * One header.
	 *
	 * @param name the header name
	 * @param type the type letter, e.g. {@code S}, {@code V}, {@code I}, {@code t},
	 * {@code A[V,V]}
	 * @param value the value: {@code String} for {@code S}, {@code null} for {@code V},
	 * {@code Integer}, {@code Boolean}, {@code List} for arrays
	 */
	public record Field(String name, String type, Object value) {
	}

	/**
	 * Parse a property list: property flags followed by the property values.
	 * @param bytes the raw bytes (as in the vectors'
	 * {@code content_header_properties_raw_b64})
	 * @return the parsed content header
	 */
	public static RawContentHeader parse(byte[] bytes) {
		try {
			DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
			int flags = in.readUnsignedShort();
			if ((flags & 1) != 0) {
				throw new IllegalArgumentException("continued property flags are not supported");
			}
			List<String> present = new ArrayList<>();
			Map<String, Object> properties = new LinkedHashMap<>();
			List<Field> headers = new ArrayList<>();
			for (int i = 0; i < FLAGS.size(); i++) {
				if ((flags & (1 << (15 - i))) == 0) {
					continue;
				}
				String name = FLAGS.get(i);
				present.add(name);
				switch (name) {
					case "headers" -> headers.addAll(readTable(in));
					case "delivery_mode", "priority" -> properties.put(name, in.readUnsignedByte());
					case "timestamp" -> properties.put(name, in.readLong());
					default -> properties.put(name, readShortString(in));
				}
			}
			if (in.available() != 0) {
				throw new IllegalArgumentException(in.available() + " bytes left after the property list");
			}
			return new RawContentHeader(Collections.unmodifiableList(present), Collections.unmodifiableMap(properties),
					Collections.unmodifiableList(headers));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The bytes the RabbitMQ Java client puts on the wire for these properties (what
	 * {@code basicPublish} sends), parsed.
	 * @param properties the properties
	 * @return the parsed content header
	 */
	public static RawContentHeader written(AMQP.BasicProperties properties) {
		return parse(writtenBytes(properties));
	}

	/**
	 * The raw property list the RabbitMQ Java client writes for these properties.
	 * @param properties the properties
	 * @return the bytes after the content header's class id, weight and body size
	 */
	public static byte[] writtenBytes(AMQP.BasicProperties properties) {
		try {
			byte[] payload = properties.toFrame(1, 0).getPayload();
			// class-id (2), weight (2), body size (8), then the property flags and list
			return Arrays.copyOfRange(payload, 12, payload.length);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Return the header names, in wire order.
	 * @return the header names, in wire order
	 */
	public List<String> headerNames() {
		return this.headers.stream().map(Field::name).toList();
	}

	/**
	 * Return header name to type letter, in wire order.
	 * @return header name to type letter, in wire order
	 */
	public Map<String, String> headerTypes() {
		Map<String, String> types = new LinkedHashMap<>();
		this.headers.forEach((field) -> types.put(field.name(), field.type()));
		return types;
	}

	/**
	 * A header.
	 * @param name the name
	 * @return the header
	 * @throws IllegalArgumentException if there is no such header
	 */
	public Field header(String name) {
		return this.headers.stream()
			.filter((field) -> field.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no header " + name));
	}

	private static String readShortString(DataInputStream in) throws IOException {
		byte[] bytes = new byte[in.readUnsignedByte()];
		in.readFully(bytes);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static List<Field> readTable(DataInputStream in) throws IOException {
		byte[] table = new byte[in.readInt()];
		in.readFully(table);
		DataInputStream t = new DataInputStream(new ByteArrayInputStream(table));
		List<Field> fields = new ArrayList<>();
		while (t.available() > 0) {
			String name = readShortString(t);
			char type = (char) t.readUnsignedByte();
			StringBuilder typeName = new StringBuilder();
			Object value = readValue(t, type, typeName);
			fields.add(new Field(name, typeName.toString(), value));
		}
		return fields;
	}

	private static Object readValue(DataInputStream in, char type, StringBuilder typeName) throws IOException {
		typeName.append(type);
		switch (type) {
			case 'S' -> {
				byte[] bytes = new byte[in.readInt()];
				in.readFully(bytes);
				return new String(bytes, StandardCharsets.UTF_8);
			}
			case 'V' -> {
				return null;
			}
			case 'I' -> {
				return in.readInt();
			}
			case 't' -> {
				return in.readUnsignedByte() != 0;
			}
			case 'l' -> {
				return in.readLong();
			}
			case 'A' -> {
				byte[] bytes = new byte[in.readInt()];
				in.readFully(bytes);
				DataInputStream a = new DataInputStream(new ByteArrayInputStream(bytes));
				List<Object> values = new ArrayList<>();
				List<String> types = new ArrayList<>();
				while (a.available() > 0) {
					StringBuilder elementType = new StringBuilder();
					values.add(readValue(a, (char) a.readUnsignedByte(), elementType));
					types.add(elementType.toString());
				}
				typeName.append('[').append(String.join(",", types)).append(']');
				return Collections.unmodifiableList(values);
			}
			default -> throw new IllegalArgumentException("field type '" + type + "' is not supported here");
		}
	}

}
