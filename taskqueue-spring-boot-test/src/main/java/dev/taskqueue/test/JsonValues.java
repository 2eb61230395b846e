package dev.taskqueue.test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compares what a test expects with what the codec read back: as JSON values, so that
 * {@code 16} matches {@code 16L} and {@code 16.0}, and a record matches the map it was
 * written as.
 */
final class JsonValues {

	private static final JsonMapper mapper = JsonMapper.shared();

	private JsonValues() {
	}

	static boolean same(@Nullable Object expected, @Nullable Object actual) {
		return Objects.equals(normalize(expected), normalize(actual));
	}

	private static @Nullable Object normalize(@Nullable Object value) {
		if (value == null || value instanceof String || value instanceof Boolean) {
			return value;
		}
		if (value instanceof Number number) {
			try {
				return new BigDecimal(number.toString()).stripTrailingZeros();
			}
			catch (NumberFormatException ex) {
				return number.toString();
			}
		}
		if (value instanceof List<?> list) {
			List<@Nullable Object> normalized = new ArrayList<>(list.size());
			list.forEach((element) -> normalized.add(normalize(element)));
			return normalized;
		}
		if (value instanceof Object[] array) {
			return normalize(List.of(array));
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, @Nullable Object> normalized = new LinkedHashMap<>();
			map.forEach((key, element) -> normalized.put(String.valueOf(key), normalize(element)));
			return normalized;
		}
		Object plain = mapper.convertValue(value, Object.class);
		return (plain == null || plain.getClass() == value.getClass()) ? plain : normalize(plain);
	}

}
