package dev.taskqueue.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation speaks to users: no references to the project's issue tracker or to
 * the material it was built from. Code blocks and code spans are not looked at.
 */
class UserLanguageTests {

	private static final Map<Pattern, String> FORBIDDEN = Map.of(Pattern.compile("(?i)\\bissues?\\s*#?\\d+"),
			"an issue number", Pattern.compile("(?<![\\w/&])#\\d+\\b"), "an issue number",
			Pattern.compile("(?i)\\bseed\\b"), "the project's history");

	@Test
	void pagesNameNoIssuesAndNoProjectHistory() {
		Documentation documentation = Documentation.repository();
		List<String> found = new ArrayList<>();
		for (Markdown page : documentation.markdown()) {
			for (Markdown.Line line : page.prose()) {
				FORBIDDEN.forEach((pattern, what) -> {
					Matcher matcher = pattern.matcher(line.text());
					if (matcher.find()) {
						found.add(documentation.relativize(page.path()) + ":" + line.number() + ": " + what + " ('"
								+ matcher.group() + "')");
					}
				});
			}
		}
		assertThat(found).as("words for the team, not for users").isEmpty();
	}

	@Test
	void theCheckFindsIssueNumbers() {
		Markdown page = Markdown.parse(Documentation.repository().resolve("README.md"),
				"Fixed in issue #6, see #12 and the seed article.\n\n```\n# 1\n```\nA `#7` in code.\n");
		List<String> found = new ArrayList<>();
		for (Markdown.Line line : page.prose()) {
			FORBIDDEN.keySet().forEach((pattern) -> {
				Matcher matcher = pattern.matcher(line.text());
				while (matcher.find()) {
					found.add(matcher.group());
				}
			});
		}
		assertThat(found).containsExactlyInAnyOrder("issue #6", "#6", "#12", "seed");
	}

}
