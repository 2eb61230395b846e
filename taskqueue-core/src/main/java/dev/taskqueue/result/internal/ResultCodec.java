package dev.taskqueue.result.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.protocol.TaskSerializer;
import dev.taskqueue.protocol.internal.CeleryTime;
import dev.taskqueue.protocol.internal.JsonTaskSerializer;
import dev.taskqueue.protocol.internal.MsgpackTaskSerializer;
import dev.taskqueue.protocol.internal.PythonJson;
import dev.taskqueue.result.TaskState;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads result records in Celery's layout and key order, in the result
 * serializer (Celery's {@code result_serializer}): JSON by default, or msgpack or an
 * application's own {@link TaskSerializer}, whose bytes are then the Redis value as
 * Celery's Redis backend stores them.
 * <p>
 * Reading tells JSON from msgpack by the first byte (a JSON record starts with
 * <code>{</code>, a msgpack one with a map header), so clients and workers with different
 * result serializers read each other's results; with an application's own serializer
 * every record is read with it.
 */
public final class ResultCodec {

	/** The field naming a stamped task's stamps (Celery 5.3+, extended results). */
	private static final String STAMPED_HEADERS = "stamped_headers";

	private final JsonMapper mapper;

	private final ObjectWriter writer;

	private final ObjectReader reader;

	private final TaskSerializer serializer;

	private final @Nullable MsgpackTaskSerializer msgpack;

	private final JsonTaskSerializer json;

	private final boolean awareDateDone;

	/**
	 * Create a codec that writes JSON.
	 * @param mapper the JSON mapper
	 */
	public ResultCodec(JsonMapper mapper) {
		this(mapper, new JsonTaskSerializer(mapper));
	}

	/**
	 * Create a codec.
	 * @param mapper the JSON mapper
	 * @param serializer the serializer records are written in
	 */
	public ResultCodec(JsonMapper mapper, TaskSerializer serializer) {
		this(mapper, serializer, CeleryVersion.DEFAULT.writesTypedJson(), CeleryVersion.DEFAULT.writesAwareDateDone());
	}

	/**
	 * Create a codec that writes records as a given Celery version does.
	 * @param mapper the JSON mapper
	 * @param serializer the serializer records are written in
	 * @param version the Celery version whose records to write
	 */
	public ResultCodec(JsonMapper mapper, TaskSerializer serializer, CeleryVersion version) {
		this(mapper, serializer, version.writesTypedJson(), version.writesAwareDateDone());
	}

	/**
	 * Create a codec.
	 * @param mapper the JSON mapper
	 * @param serializer the serializer records are written in
	 * @param typedJson whether JSON records write dates, times, decimals, UUIDs and bytes
	 * as kombu 5.3+ typed objects
	 * @param awareDateDone whether {@code date_done} is written with {@code +00:00}
	 * (Celery 5.3+) rather than as naive UTC (Celery 5.2); either form is read
	 */
	public ResultCodec(JsonMapper mapper, TaskSerializer serializer, boolean typedJson, boolean awareDateDone) {
		this.mapper = mapper;
		this.awareDateDone = awareDateDone;
		this.writer = PythonJson.writer(mapper, typedJson);
		this.reader = PythonJson.reader(mapper);
		this.serializer = serializer;
		this.json = (serializer instanceof JsonTaskSerializer j) ? j : new JsonTaskSerializer(mapper);
		boolean builtIn = serializer instanceof JsonTaskSerializer || serializer instanceof MsgpackTaskSerializer;
		this.msgpack = !builtIn ? null
				: (serializer instanceof MsgpackTaskSerializer m) ? m : new MsgpackTaskSerializer(mapper);
	}

	/**
	 * Return the serializer records are written in.
	 * @return the serializer records are written in
	 */
	public TaskSerializer serializer() {
		return this.serializer;
	}

	/**
	 * Return the mapper.
	 * @return the mapper
	 */
	public JsonMapper mapper() {
		return this.mapper;
	}

	/**
	 * Encode a record as Celery's {@code _store_result} does: status, result, traceback,
	 * children, date_done, then group_id and parent_id when set, then the extended
	 * fields, then task_id.
	 * @param meta the record
	 * @return the JSON text
	 * @see #encodeBytes(ResultMeta)
	 */
	public String encode(ResultMeta meta) {
		// Written with every non-ASCII character escaped: the bytes are the text's.
		return isPlain(meta) ? new String(writePlain(meta), StandardCharsets.US_ASCII)
				: this.writer.writeValueAsString(toMap(meta));
	}

	/**
	 * Encode a record in the result serializer, as the Redis value Celery would store.
	 * @param meta the record
	 * @return the bytes
	 */
	public byte[] encodeBytes(ResultMeta meta) {
		if (!(this.serializer instanceof JsonTaskSerializer)) {
			return this.serializer.encode(toMap(meta));
		}
		return isPlain(meta) ? writePlain(meta) : this.writer.writeValueAsBytes(toMap(meta));
	}

	/**
	 * Whether a record has no stamps, whose fields only a map keeps apart from the
	 * record's own.
	 */
	private static boolean isPlain(ResultMeta meta) {
		return meta.stamps().isEmpty();
	}

	/**
	 * Write a record without stamps field by field, in {@link #toMap}'s order: a worker
	 * writes one for every task it runs, and a map and its serializer's look-ups cost
	 * more than the writing.
	 */
	private byte[] writePlain(ResultMeta meta) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		try (JsonGenerator generator = this.writer.createGenerator(out)) {
			generator.writeStartObject();
			generator.writeStringProperty("status", meta.status().name());
			generator.writeName("result");
			writeValue(generator, meta.result());
			generator.writeStringProperty("traceback", meta.traceback());
			generator.writeName("children");
			writeValue(generator, meta.children());
			generator.writeStringProperty("date_done", dateDone(meta.dateDone()));
			if (meta.groupId() != null) {
				generator.writeStringProperty("group_id", meta.groupId());
			}
			if (meta.parentId() != null) {
				generator.writeStringProperty("parent_id", meta.parentId());
			}
			if (meta.name() != null) {
				generator.writeStringProperty("name", meta.name());
				generator.writeName("args");
				writeValue(generator, meta.args());
				generator.writeName("kwargs");
				writeValue(generator, meta.kwargs());
				generator.writeStringProperty("worker", meta.worker());
				generator.writeName("retries");
				writeValue(generator, meta.retries());
				generator.writeStringProperty("queue", meta.queue());
			}
			generator.writeStringProperty("task_id", meta.taskId());
			generator.writeEndObject();
		}
		return out.toByteArray();
	}

	private void writeValue(JsonGenerator generator, @Nullable Object value) {
		if (value == null) {
			generator.writeNull();
		}
		else if (value instanceof String text) {
			generator.writeString(text);
		}
		else if (value instanceof Integer number) {
			generator.writeNumber(number);
		}
		else if (value instanceof Long number) {
			generator.writeNumber(number);
		}
		else if (value instanceof Boolean bool) {
			generator.writeBoolean(bool);
		}
		else if (value instanceof List<?> list && list.isEmpty()) {
			generator.writeStartArray();
			generator.writeEndArray();
		}
		else if (value instanceof Map<?, ?> map && map.isEmpty()) {
			generator.writeStartObject();
			generator.writeEndObject();
		}
		else {
			this.writer.writeValue(generator, value);
		}
	}

	private Map<String, @Nullable Object> toMap(ResultMeta meta) {
		Map<String, @Nullable Object> map = new LinkedHashMap<>(16);
		map.put("status", meta.status().name());
		map.put("result", meta.result());
		map.put("traceback", meta.traceback());
		map.put("children", meta.children());
		map.put("date_done", dateDone(meta.dateDone()));
		if (meta.groupId() != null) {
			map.put("group_id", meta.groupId());
		}
		if (meta.parentId() != null) {
			map.put("parent_id", meta.parentId());
		}
		if (meta.name() != null) {
			map.put("name", meta.name());
			map.put("args", meta.args());
			map.put("kwargs", meta.kwargs());
			map.put("worker", meta.worker());
			map.put("retries", meta.retries());
			map.put("queue", meta.queue());
			if (!meta.stamps().isEmpty()) {
				// Celery 5.3+ (_get_result_meta): the names, then each stamp as a field.
				// A
				// stamp cannot replace one of the record's own fields here.
				map.put(STAMPED_HEADERS, new ArrayList<>(meta.stamps().keySet()));
				meta.stamps().forEach(map::putIfAbsent);
			}
		}
		map.put("task_id", meta.taskId());
		return map;
	}

	/**
	 * Decode a stored record.
	 * @param taskId the id it was stored under
	 * @param json the stored JSON
	 * @return the record
	 * @throws IllegalStateException if the value is not a result record
	 */
	public ResultMeta decode(String taskId, String json) {
		return decode(taskId, json.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Decode a stored record, in JSON, msgpack or the result serializer.
	 * @param taskId the id it was stored under
	 * @param value the stored bytes
	 * @return the record
	 * @throws IllegalStateException if the value is not a result record
	 */
	public ResultMeta decode(String taskId, byte[] value) {
		Object parsed;
		TaskSerializer format = formatOf(value);
		try {
			parsed = (format instanceof JsonTaskSerializer) ? this.reader.readValue(value) : format.decode(value);
		}
		catch (JacksonException ex) {
			throw new IllegalStateException(
					"Stored result of task " + taskId + " is not JSON: " + ex.getOriginalMessage(), ex);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException(
					"Stored result of task " + taskId + " is not " + format.name() + ": " + ex.getMessage(), ex);
		}
		if (!(parsed instanceof Map<?, ?> map) || !(map.get("status") instanceof String status)) {
			throw new IllegalStateException("Stored result of task " + taskId + " has no status");
		}
		Object children = map.get("children");
		Object args = map.get("args");
		Object kwargs = map.get("kwargs");
		Object retries = map.get("retries");
		@SuppressWarnings("unchecked")
		Map<String, ?> kw = (kwargs instanceof Map<?, ?>) ? (Map<String, ?>) kwargs : null;
		return new ResultMeta(taskId, TaskState.of(status), map.get("result"), text(map.get("traceback")),
				(children instanceof List<?> list) ? list : List.of(), text(map.get("date_done")),
				text(map.get("group_id")), text(map.get("parent_id")), text(map.get("name")),
				(args instanceof List<?> a) ? a : null, kw, text(map.get("worker")),
				(retries instanceof Number n) ? n.intValue() : null, text(map.get("queue")), stamps(map));
	}

	private static Map<String, @Nullable Object> stamps(Map<?, ?> record) {
		if (!(record.get(STAMPED_HEADERS) instanceof List<?> names) || names.isEmpty()) {
			return Map.of();
		}
		Map<String, @Nullable Object> stamps = new LinkedHashMap<>();
		for (Object name : names) {
			if (name instanceof String text) {
				stamps.put(text, record.get(text));
			}
		}
		return stamps;
	}

	/**
	 * Encode another value Celery's Redis backend stores with the result serializer (a
	 * chord part, a saved group).
	 */
	byte[] encodeValue(@Nullable Object value) {
		return (this.serializer instanceof JsonTaskSerializer) ? this.writer.writeValueAsBytes(value)
				: this.serializer.encode(value);
	}

	/**
	 * Decode a value {@link #encodeValue} or Celery wrote, in JSON, msgpack or the result
	 * serializer.
	 */
	@Nullable Object decodeValue(byte[] value) {
		TaskSerializer format = formatOf(value);
		return (format instanceof JsonTaskSerializer) ? this.reader.readValue(value) : format.decode(value);
	}

	/** Whether values are JSON text (not another serializer's bytes). */
	boolean writesJson() {
		return this.serializer instanceof JsonTaskSerializer;
	}

	private TaskSerializer formatOf(byte[] value) {
		MsgpackTaskSerializer msgpack = this.msgpack;
		if (msgpack == null || value.length == 0) {
			return this.serializer;
		}
		// JSON text starts with an ASCII character; a msgpack map or array (all Celery
		// stores)
		// with a byte of 0x80 or more.
		return ((value[0] & 0x80) != 0) ? msgpack : this.json;
	}

	/**
	 * A {@code date_done} in this codec's form. Workers write naive UTC; the offset is
	 * added or removed without parsing when the text is in that form.
	 */
	private @Nullable String dateDone(@Nullable String text) {
		if (text == null) {
			return null;
		}
		boolean naive = (text.length() == 19 || text.length() == 26) && text.charAt(10) == 'T';
		boolean utc = (text.length() == 25 || text.length() == 32) && text.charAt(10) == 'T' && text.endsWith("+00:00");
		if (naive || utc) {
			if (this.awareDateDone) {
				return naive ? text + "+00:00" : text;
			}
			return naive ? text : text.substring(0, text.length() - 6);
		}
		try {
			return CeleryTime.formatDateDone(CeleryTime.parse(text).toInstant(), this.awareDateDone);
		}
		catch (DateTimeParseException ex) {
			// Not a time: kept as given, as Celery would store whatever it was handed.
			return text;
		}
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value instanceof String s) ? s : null;
	}

}
