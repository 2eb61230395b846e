package dev.taskqueue.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the documentation checks read Markdown, and that the link checker finds what is
 * broken.
 */
class MarkdownTests {

	@TempDir
	Path root;

	@Test
	void headingsGetGitHubsAnchors() {
		assertThat(Markdown.slug("Flow control: rate limits, priorities"))
			.isEqualTo("flow-control-rate-limits-priorities");
		assertThat(Markdown.slug("`@QueueTask` attributes")).isEqualTo("queuetask-attributes");
		assertThat(Markdown.slug("Calling — across [languages](x.md)")).isEqualTo("calling--across-languages");
		assertThat(Markdown.slug("**At least once**, max_retries")).isEqualTo("at-least-once-max_retries");
	}

	@Test
	void repeatedHeadingsGetNumberedAnchors() {
		Markdown page = Markdown.parse(this.root.resolve("a.md"), "# Notes\n\n## Notes\n\n## Notes\n");
		assertThat(page.anchors()).containsExactly("notes", "notes-1", "notes-2");
	}

	@Test
	void linksInCodeAreNotLinks() {
		Markdown page = Markdown.parse(this.root.resolve("a.md"),
				"See [one](one.md) and `[two](two.md)`.\n\n```java\n// [three](three.md)\n```\n[four]: four.md\n");
		assertThat(page.links()).extracting(Markdown.Link::target).containsExactly("one.md", "four.md");
		assertThat(page.links()).extracting(Markdown.Link::line).containsExactly(1, 6);
	}

	@Test
	void codeBlocksKnowTheirLanguageAndMarker() {
		Markdown page = Markdown.parse(this.root.resolve("a.md"),
				"Text\n\n<!-- snippet: a/B.java#send -->\n```java\nclient.send(\"x\");\n```\n\n~~~yaml\na: 1\n~~~\n");
		assertThat(page.codeBlocks()).hasSize(2);
		Markdown.CodeBlock java = page.codeBlocks().get(0);
		assertThat(java.language()).isEqualTo("java");
		assertThat(java.marker()).isEqualTo("snippet: a/B.java#send");
		assertThat(java.content()).isEqualTo("client.send(\"x\");");
		assertThat(page.codeBlocks().get(1).marker()).isNull();
		assertThat(page.codeBlocks().get(1).content()).isEqualTo("a: 1");
	}

	@Test
	void codeBlocksAreReplacedInPlace() {
		Markdown page = Markdown.parse(this.root.resolve("a.md"),
				"A\n```java\nold();\n```\nB\n```java\nkept();\n```\n");
		String text = page.withCodeBlocks(Map.of(page.codeBlocks().get(0), "first();\nsecond();"));
		assertThat(text).isEqualTo("A\n```java\nfirst();\nsecond();\n```\nB\n```java\nkept();\n```\n");
	}

	@Test
	void linkCheckerFindsMissingFilesAndAnchors() throws Exception {
		Files.createDirectories(this.root.resolve("docs"));
		Files.writeString(this.root.resolve("docs/page.md"), "# Page\n\n## Known limits\n");
		Markdown readme = Markdown.parse(this.root.resolve("README.md"), "# Read me\n");
		LinkChecker checker = new LinkChecker(this.root);
		assertThat(checker.check(readme, "docs/page.md#known-limits")).isNull();
		assertThat(checker.check(readme, "#read-me")).isNull();
		assertThat(checker.check(readme, "https://example.org/nowhere")).isNull();
		assertThat(checker.check(readme, "docs/page.md#limits")).startsWith("no heading or anchor 'limits'");
		assertThat(checker.check(readme, "#nothing")).startsWith("no heading or anchor 'nothing'");
		assertThat(checker.check(readme, "docs/missing.md")).startsWith("no such file");
		assertThat(checker.check(readme, "../outside.md")).isEqualTo("leads out of the repository");
		assertThat(checker.check(readme, "/docs/page.md")).startsWith("absolute path");
	}

}
