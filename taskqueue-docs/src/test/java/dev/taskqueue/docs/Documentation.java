package dev.taskqueue.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The user documentation of the repository: README.md, CHANGELOG.md and the pages under
 * docs/. Tests that find a page out of step with the code rewrite it instead of failing
 * when run with {@code -Dtaskqueue.docs.update=true}.
 */
final class Documentation {

	static final String UPDATE_PROPERTY = "taskqueue.docs.update";

	private static final String HOW_TO_UPDATE = "./mvnw -pl taskqueue-docs -am test -Dtest='dev.taskqueue.docs.*Tests' "
			+ "-Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE_PROPERTY + "=true";

	private final Path root;

	private Documentation(Path root) {
		this.root = root;
	}

	/**
	 * The repository the tests run in, as the build names it
	 * ({@code taskqueue.docs.root}), or the parent of the working directory.
	 * @return the documentation of the repository
	 */
	static Documentation repository() {
		String root = System.getProperty("taskqueue.docs.root");
		Path path = (root != null) ? Path.of(root) : Path.of("..");
		path = path.toAbsolutePath().normalize();
		if (!Files.isRegularFile(path.resolve("README.md")) || !Files.isDirectory(path.resolve("docs"))) {
			throw new IllegalStateException("No README.md and docs/ in " + path);
		}
		return new Documentation(path);
	}

	Path root() {
		return this.root;
	}

	Path resolve(String relative) {
		return this.root.resolve(relative);
	}

	String relativize(Path path) {
		return this.root.relativize(path).toString();
	}

	/**
	 * Every Markdown file users read: README.md, CHANGELOG.md and docs/**.md.
	 * @return the files, in a stable order
	 */
	List<Path> markdownFiles() {
		List<Path> files = new ArrayList<>();
		for (String name : List.of("README.md", "CHANGELOG.md")) {
			Path file = this.root.resolve(name);
			if (Files.isRegularFile(file)) {
				files.add(file);
			}
		}
		try (Stream<Path> docs = Files.walk(this.root.resolve("docs"))) {
			docs.filter((file) -> file.toString().endsWith(".md")).sorted().forEach(files::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return files;
	}

	List<Markdown> markdown() {
		return markdownFiles().stream().map(Markdown::read).toList();
	}

	static boolean updating() {
		return Boolean.getBoolean(UPDATE_PROPERTY);
	}

	/**
	 * How a maintainer brings the pages in step after a change of the code.
	 * @return the command
	 */
	static String howToUpdate() {
		return "run `" + HOW_TO_UPDATE + "` to rewrite the pages from the code";
	}

	/**
	 * The part of a page between {@code <!-- begin generated: NAME -->} and
	 * {@code <!-- end generated: NAME -->}, rewritten with what the build generates when
	 * {@linkplain #updating() updating}.
	 * @param page the page, relative to the repository
	 * @param name the name of the generated part
	 * @param generated what the build generates for it
	 * @return the committed part, as it is after any update
	 * @throws IllegalStateException if the page lacks the markers
	 */
	String generatedPart(String page, String name, String generated) {
		Path file = resolve(page);
		String begin = "<!-- begin generated: " + name + " -->";
		String end = "<!-- end generated: " + name + " -->";
		String text = read(file);
		int from = text.indexOf(begin);
		int to = text.indexOf(end);
		if (from < 0 || to < from) {
			throw new IllegalStateException(page + " has no '" + begin + "' ... '" + end + "' markers");
		}
		String committed = text.substring(from + begin.length(), to);
		if (!committed.equals(generated) && updating()) {
			write(file, text.substring(0, from + begin.length()) + generated + text.substring(to));
			return generated;
		}
		return committed;
	}

	static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void write(Path file, String text) {
		try {
			Files.createDirectories(file.getParent());
			Files.writeString(file, text, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
