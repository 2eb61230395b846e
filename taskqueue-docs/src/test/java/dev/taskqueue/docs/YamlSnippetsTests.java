package dev.taskqueue.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every YAML and properties block of the documentation parses, and its taskqueue keys and
 * values bind as an application's would (see {@link PropertyBlocks}).
 */
class YamlSnippetsTests {

	private static final Set<String> LANGUAGES = Set.of("yaml", "yml", "properties");

	@Test
	void configurationBlocksBind() {
		Documentation documentation = Documentation.repository();
		PropertyBlocks blocks = new PropertyBlocks(ConfigurationMetadata.load());
		List<String> problems = new ArrayList<>();
		int checked = 0;
		for (Markdown page : documentation.markdown()) {
			for (Markdown.CodeBlock block : page.codeBlocks()) {
				if (!LANGUAGES.contains(block.language())) {
					continue;
				}
				checked++;
				String where = documentation.relativize(page.path()) + ":" + block.line() + ": ";
				try {
					blocks.check(PropertyBlocks.read(block.language(), block.content()))
						.forEach((problem) -> problems.add(where + problem));
				}
				catch (IllegalArgumentException ex) {
					problems.add(where + ex.getMessage());
				}
			}
		}
		assertThat(checked).as("configuration blocks checked").isPositive();
		assertThat(problems).as("configuration blocks that do not bind").isEmpty();
	}

}
