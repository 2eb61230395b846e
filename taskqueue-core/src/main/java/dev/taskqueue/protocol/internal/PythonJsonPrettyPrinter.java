package dev.taskqueue.protocol.internal;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.PrettyPrinter;

/**
 * Writes JSON on one line with the separators of Python's {@code json.dumps} (and so of
 * Celery's message bodies and stored results): {@code ", "} between elements and entries,
 * {@code ": "} between a name and its value, and nothing inside empty arrays and objects,
 * e.g. {@code [[2, 3], {}, {"callbacks": null}]}.
 * <p>
 * Jackson's {@code MinimalPrettyPrinter} cannot do this: it writes only the separator
 * character and ignores the spacing of its {@code Separators}. The printer is stateless
 * and can be shared.
 */
public final class PythonJsonPrettyPrinter implements PrettyPrinter {

	/** The shared instance. */
	public static final PythonJsonPrettyPrinter INSTANCE = new PythonJsonPrettyPrinter();

	private PythonJsonPrettyPrinter() {
	}

	@Override
	public void writeRootValueSeparator(JsonGenerator g) {
		g.writeRaw(' ');
	}

	@Override
	public void writeStartObject(JsonGenerator g) {
		g.writeRaw('{');
	}

	@Override
	public void writeEndObject(JsonGenerator g, int nrOfEntries) {
		g.writeRaw('}');
	}

	@Override
	public void writeObjectEntrySeparator(JsonGenerator g) {
		g.writeRaw(", ");
	}

	@Override
	public void writeObjectNameValueSeparator(JsonGenerator g) {
		g.writeRaw(": ");
	}

	@Override
	public void writeStartArray(JsonGenerator g) {
		g.writeRaw('[');
	}

	@Override
	public void writeEndArray(JsonGenerator g, int nrOfValues) {
		g.writeRaw(']');
	}

	@Override
	public void writeArrayValueSeparator(JsonGenerator g) {
		g.writeRaw(", ");
	}

	@Override
	public void beforeArrayValues(JsonGenerator g) {
	}

	@Override
	public void beforeObjectEntries(JsonGenerator g) {
	}

}
