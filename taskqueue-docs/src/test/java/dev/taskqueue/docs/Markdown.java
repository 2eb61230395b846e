package dev.taskqueue.docs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Markdown file as the documentation checks read it: the anchors its headings make (as
 * GitHub makes them), its links, its fenced code blocks and its prose, each with its line
 * number. Code blocks and code spans are not prose: links and words inside them are not
 * looked at.
 */
final class Markdown {

	private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})\\s*([^\\s`]*).*$");

	private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)(?:\\s+#+)?\\s*$");

	private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");

	private static final Pattern COMMENT = Pattern.compile("^\\s*<!--\\s*(.*?)\\s*-->\\s*$");

	private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");

	private static final Pattern INLINE_LINK = Pattern
		.compile("!?\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

	private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?.*$");

	private static final Pattern HREF = Pattern.compile("href=\"([^\"]+)\"");

	private final Path path;

	private final List<String> lines;

	private final Set<String> anchors = new LinkedHashSet<>();

	private final List<Link> links = new ArrayList<>();

	private final List<CodeBlock> codeBlocks = new ArrayList<>();

	private final List<Line> prose = new ArrayList<>();

	private Markdown(Path path, String text) {
		this.path = path;
		this.lines = List.of(text.split("\n", -1));
		parse();
	}

	static Markdown read(Path path) {
		return new Markdown(path, Documentation.read(path));
	}

	static Markdown parse(Path path, String text) {
		return new Markdown(path, text);
	}

	Path path() {
		return this.path;
	}

	Set<String> anchors() {
		return Collections.unmodifiableSet(this.anchors);
	}

	List<Link> links() {
		return Collections.unmodifiableList(this.links);
	}

	List<CodeBlock> codeBlocks() {
		return Collections.unmodifiableList(this.codeBlocks);
	}

	/**
	 * The lines outside code blocks, with code spans blanked out.
	 * @return the prose lines
	 */
	List<Line> prose() {
		return Collections.unmodifiableList(this.prose);
	}

	/**
	 * This file's text with the content of some code blocks replaced.
	 * @param replacements the new content of each block to replace
	 * @return the new text
	 */
	String withCodeBlocks(Map<CodeBlock, String> replacements) {
		List<String> result = new ArrayList<>();
		int next = 0;
		for (CodeBlock block : this.codeBlocks) {
			String content = replacements.get(block);
			if (content != null) {
				result.addAll(this.lines.subList(next, block.line()));
				if (!content.isEmpty()) {
					result.addAll(List.of(content.split("\n", -1)));
				}
				next = block.endLine() - 1;
			}
		}
		result.addAll(this.lines.subList(next, this.lines.size()));
		return String.join("\n", result);
	}

	private void parse() {
		Map<String, Integer> slugs = new HashMap<>();
		String fence = null;
		int fenceStart = 0;
		String language = null;
		String marker = null;
		for (int i = 0; i < this.lines.size(); i++) {
			String line = this.lines.get(i);
			int number = i + 1;
			Matcher fenceMatch = FENCE.matcher(line);
			if (fence != null) {
				if (fenceMatch.matches() && fenceMatch.group(2).isEmpty()
						&& fenceMatch.group(1).charAt(0) == fence.charAt(0)
						&& fenceMatch.group(1).length() >= fence.length()) {
					String content = String.join("\n", this.lines.subList(fenceStart, i));
					this.codeBlocks.add(new CodeBlock(language, content, fenceStart, number, marker));
					fence = null;
				}
				continue;
			}
			if (fenceMatch.matches()) {
				fence = fenceMatch.group(1);
				language = fenceMatch.group(2).toLowerCase(Locale.ROOT);
				fenceStart = number;
				marker = markerBefore(i);
				continue;
			}
			String text = blankCodeSpans(line);
			this.prose.add(new Line(number, text));
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				String slug = slug(heading.group(2));
				int seen = slugs.merge(slug, 1, Integer::sum);
				this.anchors.add((seen == 1) ? slug : slug + "-" + (seen - 1));
			}
			Matcher anchor = HTML_ANCHOR.matcher(line);
			while (anchor.find()) {
				this.anchors.add(anchor.group(1));
			}
			Matcher link = INLINE_LINK.matcher(text);
			while (link.find()) {
				this.links.add(new Link(link.group(2), number));
			}
			Matcher definition = REFERENCE_DEFINITION.matcher(text);
			if (definition.matches()) {
				this.links.add(new Link(definition.group(1), number));
			}
			Matcher href = HREF.matcher(text);
			while (href.find()) {
				this.links.add(new Link(href.group(1), number));
			}
		}
		if (fence != null) {
			throw new IllegalStateException(this.path + ":" + fenceStart + ": code block is never closed");
		}
	}

	/**
	 * The HTML comment on the last non-blank line before line {@code index}, if any.
	 */
	private String markerBefore(int index) {
		for (int i = index - 1; i >= 0; i--) {
			String line = this.lines.get(i);
			if (!line.isBlank()) {
				Matcher comment = COMMENT.matcher(line);
				return comment.matches() ? comment.group(1) : null;
			}
		}
		return null;
	}

	private static String blankCodeSpans(String line) {
		Matcher span = CODE_SPAN.matcher(line);
		StringBuilder text = new StringBuilder();
		while (span.find()) {
			span.appendReplacement(text, Matcher.quoteReplacement(" ".repeat(span.group().length())));
		}
		span.appendTail(text);
		return text.toString();
	}

	/**
	 * The anchor GitHub gives a heading: its text as rendered (code spans keep their
	 * content, links their text, emphasis marks go), in lower case, without punctuation
	 * other than hyphens and underscores, spaces turned into hyphens.
	 * @param heading the heading's Markdown
	 * @return the anchor, without '#'
	 */
	static String slug(String heading) {
		String text = CODE_SPAN.matcher(heading).replaceAll((match) -> Matcher.quoteReplacement(match.group(2)));
		text = INLINE_LINK.matcher(text).replaceAll((match) -> Matcher.quoteReplacement(match.group(1)));
		text = text.replace("*", "").toLowerCase(Locale.ROOT);
		StringBuilder slug = new StringBuilder();
		text.codePoints().forEach((c) -> {
			if (c == ' ') {
				slug.append('-');
			}
			else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
				slug.appendCodePoint(c);
			}
		});
		return slug.toString();
	}

	/**
	 * A link's target as written: a URL, a relative path, {@code path#anchor} or
	 * {@code #anchor}.
	 *
	 * @param target the target
	 * @param line the line it is on
	 */
	record Link(String target, int line) {
	}

	/**
	 * A fenced code block.
	 *
	 * @param language the fence's language, in lower case ({@code ""} when none)
	 * @param content the lines between the fences
	 * @param line the line of the opening fence
	 * @param endLine the line of the closing fence
	 * @param marker the text of the HTML comment on the last non-blank line before the
	 * block ({@code <!-- snippet: ... -->}), or {@code null}
	 */
	record CodeBlock(String language, String content, int line, int endLine, String marker) {
	}

	/**
	 * A line of prose.
	 *
	 * @param number its line number
	 * @param text its text, code spans blanked out
	 */
	record Line(int number, String text) {
	}

}
