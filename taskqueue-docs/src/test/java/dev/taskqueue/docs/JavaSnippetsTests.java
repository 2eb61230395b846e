package dev.taskqueue.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java block of the documentation is a region of a source file in
 * {@code dev.taskqueue.docs.snippets} (this module's test sources, compiled by every
 * build against the starter), named by the comment before it:
 * {@code <!-- snippet: gettingstarted/Divide.java#task -->}. A block that differs from
 * its region fails the build; {@code -Dtaskqueue.docs.update=true} copies the regions
 * into the pages instead. A block that does not claim to compile (a fragment with
 * elisions) says so and why: {@code <!-- not compiled: elided arguments -->}.
 */
class JavaSnippetsTests {

	static final String SNIPPETS = "taskqueue-docs/src/test/java/dev/taskqueue/docs/snippets";

	private static final Pattern MARKER = Pattern.compile("snippet:\\s*(\\S+)#([\\w-]+)");

	private static final Pattern NOT_COMPILED = Pattern.compile("not compiled:\\s*\\S.*");

	private final Documentation documentation = Documentation.repository();

	@Test
	void javaBlocksAreRegionsOfCompiledSources() {
		List<String> problems = new ArrayList<>();
		for (Markdown page : this.documentation.markdown()) {
			Map<Markdown.CodeBlock, String> stale = new LinkedHashMap<>();
			for (Markdown.CodeBlock block : page.codeBlocks()) {
				if (!block.language().equals("java")) {
					continue;
				}
				if (block.marker() != null && NOT_COMPILED.matcher(block.marker()).matches()) {
					continue;
				}
				String where = this.documentation.relativize(page.path()) + ":" + block.line() + ": ";
				Matcher marker = (block.marker() != null) ? MARKER.matcher(block.marker()) : null;
				if (marker == null || !marker.matches()) {
					problems.add(where + "a java block needs <!-- snippet: <file under " + SNIPPETS
							+ ">#<tag> --> on the line before it, or <!-- not compiled: <why> -->");
					continue;
				}
				Path source = this.documentation.resolve(SNIPPETS).resolve(marker.group(1));
				if (!Files.isRegularFile(source)) {
					problems.add(where + "no snippet source " + this.documentation.relativize(source));
					continue;
				}
				try {
					String region = Snippets.region(Documentation.read(source), marker.group(2));
					if (!region.equals(block.content())) {
						stale.put(block, region);
						problems.add(where + "differs from " + marker.group(1) + "#" + marker.group(2));
					}
				}
				catch (IllegalArgumentException ex) {
					problems.add(where + marker.group(1) + ": " + ex.getMessage());
				}
			}
			if (!stale.isEmpty() && Documentation.updating()) {
				Documentation.write(page.path(), page.withCodeBlocks(stale));
				problems.removeIf((problem) -> problem.contains(": differs from "));
			}
		}
		assertThat(problems).as("Java blocks out of step with their sources; " + Documentation.howToUpdate()).isEmpty();
	}

	@Test
	void everyTaggedRegionIsShown() throws IOException {
		Set<String> shown = new HashSet<>();
		for (Markdown page : this.documentation.markdown()) {
			for (Markdown.CodeBlock block : page.codeBlocks()) {
				Matcher marker = (block.marker() != null) ? MARKER.matcher(block.marker()) : null;
				if (marker != null && marker.matches()) {
					shown.add(marker.group(1) + "#" + marker.group(2));
				}
			}
		}
		Path snippets = this.documentation.resolve(SNIPPETS);
		List<String> unused = new ArrayList<>();
		try (Stream<Path> sources = Files.walk(snippets)) {
			for (Path source : sources.filter((path) -> path.toString().endsWith(".java")).sorted().toList()) {
				String file = snippets.relativize(source).toString().replace('\\', '/');
				for (String tag : Snippets.tags(Documentation.read(source))) {
					if (!shown.contains(file + "#" + tag)) {
						unused.add(file + "#" + tag);
					}
				}
			}
		}
		assertThat(unused).as("snippet regions no page shows").isEmpty();
	}

}
