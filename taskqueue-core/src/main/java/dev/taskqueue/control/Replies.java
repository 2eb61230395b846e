package dev.taskqueue.control;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** Lenient reads of fields of Celery's replies. */
final class Replies {

	private Replies() {
	}

	static String text(Map<?, ?> map, String key) {
		Object value = map.get(key);
		return (value != null) ? String.valueOf(value) : "";
	}

	static long number(Map<?, ?> map, String key) {
		return (map.get(key) instanceof Number number) ? number.longValue() : 0;
	}

	static Map<String, @Nullable Object> map(Map<?, ?> map, String key) {
		return (map.get(key) instanceof Map<?, ?> value) ? map(value) : new LinkedHashMap<>();
	}

	static Map<String, @Nullable Object> map(Map<?, ?> map) {
		Map<String, @Nullable Object> copy = new LinkedHashMap<>();
		map.forEach((key, value) -> copy.put(String.valueOf(key), value));
		return copy;
	}

}
