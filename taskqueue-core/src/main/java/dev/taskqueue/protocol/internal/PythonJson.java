package dev.taskqueue.protocol.internal;

import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON written and read the way Python's {@code json} module does by default, which
 * Celery and kombu use for message bodies and stored results: one line with {@code ", "}
 * and {@code ": "} separators ({@link PythonJsonPrettyPrinter}), every non-ASCII
 * character as a lower-case {@code \\uXXXX} escape ({@code ensure_ascii=True}), and the
 * floats JSON has no literal for as the bare tokens {@code NaN}, {@code Infinity} and
 * {@code -Infinity}.
 */
public final class PythonJson {

	private PythonJson() {
	}

	/**
	 * A writer that writes as Python's {@code json.dumps} does with its defaults.
	 * @param mapper the mapper to write with
	 * @return the writer
	 */
	public static ObjectWriter writer(ObjectMapper mapper) {
		return mapper.writer()
			.with(PythonJsonPrettyPrinter.INSTANCE)
			.with(JsonWriteFeature.ESCAPE_NON_ASCII)
			.without(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
			.without(JsonWriteFeature.WRITE_NAN_AS_STRINGS);
	}

	/**
	 * A writer that writes as Python's {@code json.dumps} does with kombu's encoder: with
	 * {@code kombuTypes}, dates, times, decimals, UUIDs and bytes become kombu 5.3+ typed
	 * objects (<code>{"__type__": "datetime", "__value__": ...}</code>).
	 * @param mapper the mapper to write with
	 * @param kombuTypes whether to write typed objects
	 * @return the writer
	 */
	public static ObjectWriter writer(JsonMapper mapper, boolean kombuTypes) {
		return writer(kombuTypes ? KombuJson.writing(mapper) : mapper);
	}

	/**
	 * A reader of any JSON value that also accepts Python's {@code NaN}, {@code Infinity}
	 * and {@code -Infinity}.
	 * @param mapper the mapper to read with
	 * @return the reader
	 */
	public static ObjectReader reader(ObjectMapper mapper) {
		return mapper.readerFor(Object.class).with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);
	}

}
