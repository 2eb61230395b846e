package dev.taskqueue.protocol;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.util.MinimalPrettyPrinter;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON written and read the way Python's {@code json} module does by default (Celery's and kombu's
 * serializer): {@code ", "} between items and {@code ": "} after keys, on one line, and the floats
 * JSON has no literal for as the bare tokens {@code NaN}, {@code Infinity} and {@code -Infinity}.
 */
public final class PythonJson {

	private static final PythonSeparators SEPARATORS = new PythonSeparators();

	private PythonJson() {
	}

	/**
	 * A writer of the mapper that uses Python's separators.
	 * @param mapper the mapper
	 * @return the writer
	 */
	public static ObjectWriter writer(JsonMapper mapper) {
		return mapper.writer().with(SEPARATORS).without(JsonWriteFeature.WRITE_NAN_AS_STRINGS);
	}

	/**
	 * A reader of the mapper that also accepts Python's {@code NaN}, {@code Infinity} and
	 * {@code -Infinity}.
	 * @param mapper the mapper
	 * @return the reader, for any JSON value
	 */
	public static ObjectReader reader(JsonMapper mapper) {
		return mapper.readerFor(Object.class).with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);
	}

	private static final class PythonSeparators extends MinimalPrettyPrinter {

		@Override
		public void writeObjectNameValueSeparator(JsonGenerator g) {
			g.writeRaw(": ");
		}

		@Override
		public void writeObjectEntrySeparator(JsonGenerator g) {
			g.writeRaw(", ");
		}

		@Override
		public void writeArrayValueSeparator(JsonGenerator g) {
			g.writeRaw(", ");
		}

	}

}
