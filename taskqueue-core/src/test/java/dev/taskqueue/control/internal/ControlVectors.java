package dev.taskqueue.control.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import dev.taskqueue.support.CeleryVectors;
import tools.jackson.databind.JsonNode;

/**
 * The remote-control and event vectors of real Celery 5.6.3 and 5.2.6 workers, in
 * {@code celery-vectors/control/} and {@code celery-vectors/events/}.
 */
public final class ControlVectors {

	private ControlVectors() {
	}

	/**
	 * The names of the {@code .json} files of a folder.
	 * @param folder {@code control} or {@code events}
	 * @return the file names, sorted
	 */
	public static Set<String> fileNames(String folder) {
		URL url = ControlVectors.class.getResource(CeleryVectors.FOLDER + folder);
		if (url == null) {
			throw new IllegalStateException("no " + CeleryVectors.FOLDER + folder + " on the classpath");
		}
		try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
			Set<String> names = new TreeSet<>();
			files.map((path) -> path.getFileName().toString())
				.filter((name) -> name.endsWith(".json"))
				.forEach(names::add);
			return names;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Read a control vector.
	 * @param file e.g. {@code ping.json}
	 * @return its JSON
	 */
	public static JsonNode control(String file) {
		return CeleryVectors.load("control/" + file);
	}

	/**
	 * The messages of one role in every control vector.
	 * @param role {@code request}, {@code reply} or {@code event}
	 * @return each message with the file it comes from
	 */
	public static List<Captured> messages(String role) {
		List<Captured> found = new ArrayList<>();
		for (String file : fileNames("control")) {
			JsonNode vector = control(file);
			if (vector.has("messages")) {
				for (JsonNode message : vector.get("messages")) {
					if (role.equals(message.path("role").asString())) {
						found.add(new Captured(file, message));
					}
				}
			}
		}
		return found;
	}

	/**
	 * One captured message.
	 *
	 * @param file the vector file
	 * @param message the message element
	 */
	public record Captured(String file, JsonNode message) {

		@Override
		public String toString() {
			return this.file + ": "
					+ this.message.at("/body_json/method").asString(this.message.path("role").asString());
		}

	}

}
