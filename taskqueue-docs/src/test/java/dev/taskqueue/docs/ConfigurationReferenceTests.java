package dev.taskqueue.docs;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md lists every property as the build's configuration metadata
 * describes it: the tables between its markers are generated (also to
 * {@code taskqueue-docs/target/generated-docs/}), and the committed page must hold what
 * the build generates.
 */
class ConfigurationReferenceTests {

	static final String BEGIN = "<!-- begin generated: configuration properties -->";

	static final String END = "<!-- end generated: configuration properties -->";

	private final Documentation documentation = Documentation.repository();

	private final String generated = new ConfigurationReference(ConfigurationMetadata.load(),
			new FieldDocs(this.documentation.root()))
		.render();

	@Test
	void committedPageHoldsTheGeneratedTables() {
		Documentation.write(
				this.documentation.resolve("taskqueue-docs/target/generated-docs/configuration-properties.md"),
				this.generated);
		Path page = this.documentation.resolve("docs/configuration.md");
		String text = Documentation.read(page);
		int begin = text.indexOf(BEGIN);
		int end = text.indexOf(END);
		assertThat(begin).as("%s in docs/configuration.md", BEGIN).isNotNegative();
		assertThat(end).as("%s in docs/configuration.md", END).isGreaterThan(begin);
		String committed = text.substring(begin + BEGIN.length(), end);
		if (!committed.equals(this.generated) && Documentation.updating()) {
			Documentation.write(page, text.substring(0, begin + BEGIN.length()) + this.generated + text.substring(end));
			return;
		}
		assertThat(committed)
			.as("docs/configuration.md is out of step with the configuration metadata; " + Documentation.howToUpdate())
			.isEqualTo(this.generated);
	}

	@Test
	void propertiesOfMapValuesAreDescribedByTheirFieldsJavadoc() {
		assertThat(this.generated).contains("### Tasks")
			.containsPattern(
					"\\| `taskqueue\\.tasks\\.\\[<name>]\\.rate-limit` \\| `RateLimit` \\|  \\| How often the task "
							+ "may start: .*Celery's rate_limit")
			.contains("| `taskqueue.queues.[<name>].max-priority` |")
			.contains("| `taskqueue.routes.[<name>].queue` |");
	}

	@Test
	void defaultsComeFromTheMetadataOrFromANewPropertiesObject() {
		assertThat(this.generated).contains("| `taskqueue.worker.prefetch` | `Integer` | `16` |")
			.contains("| `taskqueue.result.expires` | `Duration` | `1d` |")
			.contains("| `taskqueue.accept-content` | `List<String>` | `json` |");
	}

	@Test
	void closedSetsListTheirValues() {
		assertThat(this.generated).containsPattern("\\| `taskqueue\\.result\\.backend` \\| `Backend` \\| `redis` \\| .*"
				+ "Values: `redis`, `none`\\. \\|");
	}

}
