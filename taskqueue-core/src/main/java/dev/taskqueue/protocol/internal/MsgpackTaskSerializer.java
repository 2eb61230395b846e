package dev.taskqueue.protocol.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.taskqueue.protocol.ContentTypes;
import dev.taskqueue.protocol.TaskSerializer;
import org.jspecify.annotations.Nullable;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Celery's {@code msgpack} serializer ({@code application/x-msgpack}), as kombu writes
 * it: {@code msgpack.packb(value, use_bin_type=True)} and
 * {@code unpackb(data, raw=False)}. Strings are msgpack strings, {@code byte[]} is
 * msgpack binary (Python {@code bytes}), floats are 64-bit.
 * <p>
 * Values the JSON model has no place for are written as the JSON mapper would write them
 * (a record becomes a map, a date the mapper's text for it), so a task reads the same
 * arguments whichever serializer carried them. Integers must fit msgpack's range
 * ({@code -2^63} to {@code 2^64-1}), as in Python. Map keys that are not strings (Python
 * may send {@code {1: 'a'}}) are read as their text, as JSON would have sent them.
 * msgpack's timestamp extension is read as an ISO-8601 string; other extension types are
 * refused.
 */
public final class MsgpackTaskSerializer implements TaskSerializer {

	/** The serializer's name. */
	public static final String NAME = "msgpack";

	private static final int MAX_DEPTH = 1000;

	private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

	private static final BigInteger MIN_INT64 = BigInteger.valueOf(Long.MIN_VALUE);

	private static final MessagePack.UnpackerConfig UNPACKER = new MessagePack.UnpackerConfig()
		.withActionOnMalformedString(CodingErrorAction.REPORT)
		.withActionOnUnmappableString(CodingErrorAction.REPORT);

	private final ObjectMapper mapper;

	/**
	 * Create a serializer.
	 * @param mapper the mapper that turns values outside the JSON model into it
	 */
	public MsgpackTaskSerializer(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String contentType() {
		return ContentTypes.MSGPACK;
	}

	@Override
	public String contentEncoding() {
		return "binary";
	}

	@Override
	public byte[] encode(@Nullable Object value) {
		try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
			write(packer, value, 0);
			return packer.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void write(MessagePacker packer, @Nullable Object value, int depth) throws IOException {
		if (depth > MAX_DEPTH) {
			throw new IllegalArgumentException("value nests deeper than " + MAX_DEPTH + " levels");
		}
		if (value == null) {
			packer.packNil();
		}
		else if (value instanceof String s) {
			packer.packString(s);
		}
		else if (value instanceof Boolean b) {
			packer.packBoolean(b);
		}
		else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
			packer.packLong(((Number) value).longValue());
		}
		else if (value instanceof Double || value instanceof Float) {
			packer.packDouble(((Number) value).doubleValue());
		}
		else if (value instanceof BigInteger big) {
			writeBigInteger(packer, big);
		}
		else if (value instanceof BigDecimal decimal) {
			packer.packDouble(decimal.doubleValue());
		}
		else if (value instanceof byte[] bytes) {
			packer.packBinaryHeader(bytes.length);
			packer.writePayload(bytes);
		}
		else if (value instanceof Map<?, ?> map) {
			packer.packMapHeader(map.size());
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				Object key = entry.getKey();
				packer.packString((key instanceof String s) ? s : String.valueOf(key));
				write(packer, entry.getValue(), depth + 1);
			}
		}
		else if (value instanceof List<?> list) {
			packer.packArrayHeader(list.size());
			for (Object element : list) {
				write(packer, element, depth + 1);
			}
		}
		else if (value instanceof Collection<?> collection) {
			packer.packArrayHeader(collection.size());
			for (Object element : collection) {
				write(packer, element, depth + 1);
			}
		}
		else if (value instanceof Object[] array) {
			packer.packArrayHeader(array.length);
			for (Object element : array) {
				write(packer, element, depth + 1);
			}
		}
		else if (value instanceof Optional<?> optional) {
			write(packer, optional.orElse(null), depth + 1);
		}
		else {
			write(packer, this.mapper.valueToTree(value), depth + 1);
		}
	}

	private void write(MessagePacker packer, JsonNode node, int depth) throws IOException {
		if (depth > MAX_DEPTH) {
			throw new IllegalArgumentException("value nests deeper than " + MAX_DEPTH + " levels");
		}
		if (node.isNull() || node.isMissingNode()) {
			packer.packNil();
		}
		else if (node.isString()) {
			packer.packString(node.stringValue());
		}
		else if (node.isBoolean()) {
			packer.packBoolean(node.booleanValue());
		}
		else if (node.isIntegralNumber()) {
			if (node.canConvertToLong()) {
				packer.packLong(node.longValue());
			}
			else {
				writeBigInteger(packer, node.bigIntegerValue());
			}
		}
		else if (node.isNumber()) {
			packer.packDouble(node.doubleValue());
		}
		else if (node.isBinary()) {
			byte[] bytes = node.binaryValue();
			packer.packBinaryHeader(bytes.length);
			packer.writePayload(bytes);
		}
		else if (node.isObject()) {
			packer.packMapHeader(node.size());
			for (Map.Entry<String, JsonNode> entry : node.properties()) {
				packer.packString(entry.getKey());
				write(packer, entry.getValue(), depth + 1);
			}
		}
		else if (node.isArray()) {
			packer.packArrayHeader(node.size());
			for (JsonNode element : node.values()) {
				write(packer, element, depth + 1);
			}
		}
		else {
			throw new IllegalArgumentException("cannot write " + node.getNodeType() + " as msgpack");
		}
	}

	private static void writeBigInteger(MessagePacker packer, BigInteger big) throws IOException {
		if (big.compareTo(MIN_INT64) < 0 || big.compareTo(MAX_UINT64) > 0) {
			throw new IllegalArgumentException(
					"integer " + big + " is outside msgpack's range (-2^63 to 2^64-1); " + "send it as a string");
		}
		packer.packBigInteger(big);
	}

	@Override
	public @Nullable Object decode(byte[] data) {
		try (MessageUnpacker unpacker = UNPACKER.newUnpacker(data)) {
			if (!unpacker.hasNext()) {
				throw new IllegalArgumentException("no msgpack value (empty body)");
			}
			Object value = read(unpacker, 0);
			if (unpacker.hasNext()) {
				throw new IllegalArgumentException(
						"unexpected bytes after the msgpack value at offset " + unpacker.getTotalReadBytes());
			}
			return value;
		}
		catch (MessagePackException ex) {
			throw new IllegalArgumentException("not valid msgpack: " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			// Only a truncated value makes an in-memory buffer "end" early.
			throw new IllegalArgumentException("not valid msgpack: the data ends inside a value", ex);
		}
	}

	private static @Nullable Object read(MessageUnpacker unpacker, int depth) throws IOException {
		if (depth > MAX_DEPTH) {
			throw new IllegalArgumentException("msgpack value nests deeper than " + MAX_DEPTH + " levels");
		}
		MessageFormat format = unpacker.getNextFormat();
		switch (format.getValueType()) {
			case NIL:
				unpacker.unpackNil();
				return null;
			case BOOLEAN:
				return unpacker.unpackBoolean();
			case INTEGER:
				if (format == MessageFormat.UINT64) {
					return narrow(unpacker.unpackBigInteger());
				}
				long number = unpacker.unpackLong();
				return (number == (int) number) ? (Object) (int) number : (Object) number;
			case FLOAT:
				return unpacker.unpackDouble();
			case STRING:
				return unpacker.unpackString();
			case BINARY:
				return unpacker.readPayload(unpacker.unpackBinaryHeader());
			case ARRAY: {
				int size = unpacker.unpackArrayHeader();
				List<@Nullable Object> list = new ArrayList<>(Math.min(size, 1024));
				for (int i = 0; i < size; i++) {
					list.add(read(unpacker, depth + 1));
				}
				return list;
			}
			case MAP: {
				int size = unpacker.unpackMapHeader();
				Map<String, @Nullable Object> map = new LinkedHashMap<>(Math.min(size, 1024) * 4 / 3 + 1);
				for (int i = 0; i < size; i++) {
					Object key = read(unpacker, depth + 1);
					map.put(keyText(key), read(unpacker, depth + 1));
				}
				return map;
			}
			case EXTENSION: {
				ExtensionTypeHeader header = unpacker.unpackExtensionTypeHeader();
				if (header.isTimestampType()) {
					return CeleryTime
						.formatAware(OffsetDateTime.ofInstant(unpacker.unpackTimestamp(header), ZoneOffset.UTC));
				}
				throw new IllegalArgumentException("msgpack extension type " + header.getType()
						+ " is not supported (only the timestamp type -1 is)");
			}
			default:
				throw new IllegalArgumentException("unknown msgpack format " + format);
		}
	}

	private static Object narrow(BigInteger value) {
		return (value.bitLength() < 64) ? (Object) value.longValue() : value;
	}

	private static String keyText(@Nullable Object key) {
		if (key instanceof String s) {
			return s;
		}
		if (key instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		if (key instanceof Map || key instanceof List) {
			throw new IllegalArgumentException(
					"a msgpack map key must be a string or a number, got " + TaskMessageCodec.describe(key));
		}
		// As Python's json.dumps writes them: None -> "null", True -> "true", 1.0 ->
		// "1.0".
		return String.valueOf(key);
	}

}
