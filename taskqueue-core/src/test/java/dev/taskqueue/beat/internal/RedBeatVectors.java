package dev.taskqueue.beat.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The captures of a real RedBeat in {@code src/test/resources/celery-vectors/redbeat/} (a
 * copy of {@code shared/celery-vectors/redbeat/}).
 */
final class RedBeatVectors {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	private RedBeatVectors() {
	}

	static JsonNode read(String file) {
		try (InputStream in = RedBeatVectors.class.getResourceAsStream("/celery-vectors/redbeat/" + file)) {
			if (in == null) {
				throw new IllegalStateException("No vector file " + file);
			}
			return MAPPER.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A JSON value as the plain Java values RedBeat's fields decode to.
	 */
	static Object plain(JsonNode node) {
		return MAPPER.treeToValue(node, Object.class);
	}

}
