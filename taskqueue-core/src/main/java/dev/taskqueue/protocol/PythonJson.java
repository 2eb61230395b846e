package dev.taskqueue.protocol;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.util.MinimalPrettyPrinter;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON written the way Python's {@code json.dumps} writes it by default (Celery's and kombu's
 * serializer): {@code ", "} between items and {@code ": "} after keys, on one line.
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
		return mapper.writer().with(SEPARATORS);
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
