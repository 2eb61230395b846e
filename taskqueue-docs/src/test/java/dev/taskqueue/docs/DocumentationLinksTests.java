package dev.taskqueue.docs;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The links of README.md, CHANGELOG.md and docs/ resolve, and the README leads to every
 * page of the docs index.
 */
class DocumentationLinksTests {

	private final Documentation documentation = Documentation.repository();

	@Test
	void relativeLinksAndAnchorsResolve() {
		LinkChecker checker = new LinkChecker(this.documentation.root());
		List<String> broken = new ArrayList<>();
		for (Markdown page : this.documentation.markdown()) {
			for (Markdown.Link link : page.links()) {
				String problem = checker.check(page, link.target());
				if (problem != null) {
					broken.add(this.documentation.relativize(page.path()) + ":" + link.line() + ": (" + link.target()
							+ ") " + problem);
				}
			}
		}
		assertThat(broken).as("broken links").isEmpty();
	}

	@Test
	void readmeLinksToEveryPageOfTheIndex() {
		Markdown index = Markdown.read(this.documentation.resolve("docs/README.md"));
		Markdown readme = Markdown.read(this.documentation.resolve("README.md"));
		List<String> pages = index.links()
			.stream()
			.map(Markdown.Link::target)
			.filter((target) -> !LinkChecker.isExternal(target) && !target.startsWith("#"))
			.map((target) -> "docs/" + withoutAnchor(target))
			.distinct()
			.toList();
		List<String> fromReadme = readme.links().stream().map((link) -> withoutAnchor(link.target())).toList();
		assertThat(pages).isNotEmpty();
		assertThat(fromReadme).as("pages the README links to").containsAll(pages);
	}

	private static String withoutAnchor(String target) {
		int hash = target.indexOf('#');
		return (hash >= 0) ? target.substring(0, hash) : target;
	}

}
