package dev.taskqueue.result;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.protocol.PythonJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads result records in Celery's JSON layout and key order.
 */
public final class ResultCodec {

	private final JsonMapper mapper;

	private final ObjectWriter writer;

	private final ObjectReader reader;

	/**
	 * Create a codec.
	 * @param mapper the JSON mapper
	 */
	public ResultCodec(JsonMapper mapper) {
		this.mapper = mapper;
		this.writer = PythonJson.writer(mapper);
		this.reader = PythonJson.reader(mapper);
	}

	/** @return the mapper */
	public JsonMapper mapper() {
		return this.mapper;
	}

	/**
	 * Encode a record as Celery's {@code _store_result} does: status, result, traceback,
	 * children, date_done, then group_id and parent_id when set, then the extended fields, then
	 * task_id.
	 * @param meta the record
	 * @return the JSON text
	 */
	public String encode(ResultMeta meta) {
		Map<String, @Nullable Object> map = new LinkedHashMap<>(16);
		map.put("status", meta.status().name());
		map.put("result", meta.result());
		map.put("traceback", meta.traceback());
		map.put("children", meta.children());
		map.put("date_done", meta.dateDone());
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
		}
		map.put("task_id", meta.taskId());
		return this.writer.writeValueAsString(map);
	}

	/**
	 * Decode a stored record.
	 * @param taskId the id it was stored under
	 * @param json the stored JSON
	 * @return the record
	 * @throws IllegalStateException if the value is not a result record
	 */
	public ResultMeta decode(String taskId, String json) {
		Object parsed;
		try {
			parsed = this.reader.readValue(json.getBytes(StandardCharsets.UTF_8));
		}
		catch (JacksonException ex) {
			throw new IllegalStateException("Stored result of task " + taskId + " is not JSON: "
					+ ex.getOriginalMessage(), ex);
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
				(retries instanceof Number n) ? n.intValue() : null, text(map.get("queue")));
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value instanceof String s) ? s : null;
	}

}
