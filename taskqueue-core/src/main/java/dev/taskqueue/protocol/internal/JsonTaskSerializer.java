package dev.taskqueue.protocol.internal;

import dev.taskqueue.protocol.ContentTypes;
import dev.taskqueue.protocol.TaskSerializer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

/**
 * Celery's {@code json} serializer: bytes exactly as Python's {@code json.dumps} writes
 * them ({@link PythonJson}).
 */
public final class JsonTaskSerializer implements TaskSerializer {

	/** The serializer's name. */
	public static final String NAME = "json";

	private final ObjectWriter writer;

	private final ObjectReader reader;

	/**
	 * Create a serializer.
	 * @param mapper the mapper that writes and reads values
	 */
	public JsonTaskSerializer(ObjectMapper mapper) {
		this.writer = PythonJson.writer(mapper);
		this.reader = PythonJson.reader(mapper);
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String contentType() {
		return ContentTypes.JSON;
	}

	@Override
	public String contentEncoding() {
		return "utf-8";
	}

	@Override
	public byte[] encode(@Nullable Object value) {
		return this.writer.writeValueAsBytes(value);
	}

	@Override
	public @Nullable Object decode(byte[] data) {
		return this.reader.readValue(data);
	}

}
