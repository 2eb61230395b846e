package dev.taskqueue.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md lists every property as the build's configuration metadata
 * describes it: the tables between its markers are generated (also to
 * {@code taskqueue-docs/target/generated-docs/}), and the committed page must hold what
 * the build generates.
 */
class ConfigurationReferenceTests {

	private final Documentation documentation = Documentation.repository();

	private final String generated = new ConfigurationReference(ConfigurationMetadata.load(),
			new FieldDocs(this.documentation.root()))
		.render();

	@Test
	void committedPageHoldsTheGeneratedTables() {
		Documentation.write(
				this.documentation.resolve("taskqueue-docs/target/generated-docs/configuration-properties.md"),
				this.generated);
		String committed = this.documentation.generatedPart("docs/configuration.md", "configuration properties",
				this.generated);
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
	void classesNestedInMapValuesGetARowForEachOfTheirProperties() {
		assertThat(this.generated)
			.contains("| `taskqueue.beat.schedule.[<name>].options.queue` | `String` |  | Queue to send to;")
			.contains("| `taskqueue.beat.schedule.[<name>].crontab.minute` | `String` | `*` |")
			.doesNotContainPattern("\\$\\w+@\\p{XDigit}+");
	}

	@Test
	void defaultsComeFromTheMetadataOrFromANewPropertiesObject() {
		assertThat(this.generated).contains("| `taskqueue.worker.prefetch` | `Integer` | `16` |")
			.contains("| `taskqueue.result.expires` | `Duration` | `1d` |")
			.contains("| `taskqueue.accept-content` | `List<String>` | `json` |");
	}

	@Test
	void defaultsOfClosedSetsAreAmongTheirValues() {
		Pattern row = Pattern.compile("^\\| `([^`]+)` \\| `[^|]+` \\| ([^|]+) \\| .* Values: ([^|]+)\\. \\|$",
				Pattern.MULTILINE);
		Matcher matcher = row.matcher(this.generated);
		List<String> wrong = new ArrayList<>();
		while (matcher.find()) {
			List<String> values = List.of(matcher.group(3).split(", "));
			for (String value : matcher.group(2).trim().split(", ")) {
				if (!values.contains(value)) {
					wrong.add(matcher.group(1) + " defaults to " + value + ", not one of " + values);
				}
			}
		}
		assertThat(wrong).as("defaults the metadata gets wrong (set them in the additional metadata)").isEmpty();
		assertThat(this.generated).contains("| `taskqueue.celery-version` | `CeleryVersion` | `5.6` |");
	}

	@Test
	void closedSetsListTheirValues() {
		assertThat(this.generated).containsPattern("\\| `taskqueue\\.result\\.backend` \\| `Backend` \\| `redis` \\| .*"
				+ "Values: `redis`, `none`\\. \\|");
	}

}
