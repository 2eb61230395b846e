package dev.taskqueue.docs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/metrics.md lists every observation and meter as the code documents them
 * ({@code TaskObservationDocumentation}, {@code TaskQueueMeterDocumentation},
 * {@code BeatMeterDocumentation}): the lists between its markers are generated (also to
 * {@code taskqueue-docs/target/generated-docs/}), and the committed page must hold what
 * the build generates.
 */
class MetricsReferenceTests {

	private static final String PAGE = "docs/metrics.md";

	private final Documentation documentation = Documentation.repository();

	private final MetricsReference reference = new MetricsReference(new FieldDocs(this.documentation.root()));

	@Test
	void committedPageHoldsTheGeneratedObservations() {
		String generated = this.reference.observations();
		Documentation.write(this.documentation.resolve("taskqueue-docs/target/generated-docs/observations.md"),
				generated);
		assertThat(this.documentation.generatedPart(PAGE, "observations", generated))
			.as(PAGE + " is out of step with TaskObservationDocumentation; " + Documentation.howToUpdate())
			.isEqualTo(generated);
	}

	@Test
	void committedPageHoldsTheGeneratedMeters() {
		String generated = this.reference.meters();
		Documentation.write(this.documentation.resolve("taskqueue-docs/target/generated-docs/meters.md"), generated);
		assertThat(this.documentation.generatedPart(PAGE, "meters", generated))
			.as(PAGE + " is out of step with TaskQueueMeterDocumentation; " + Documentation.howToUpdate())
			.isEqualTo(generated);
	}

	@Test
	void observationsHaveTheirConventionsNamesAndDocumentedKeys() {
		assertThat(this.reference.observations()).contains("### `taskqueue.publish`", "### `taskqueue.execute`")
			.contains("Span name: `<task name> publish`.")
			.containsPattern("\\| `taskqueue\\.task\\.name` \\| low \\| The task's name")
			.containsPattern("\\| `messaging\\.message\\.id` \\| high \\| The task's id");
	}

	@Test
	void metersHaveTheirTypesTagsAndDescriptions() {
		assertThat(this.reference.meters())
			.containsPattern(
					"\\| `taskqueue\\.tasks\\.rejected` \\| counter \\| `taskqueue\\.task\\.name`, `error` \\| "
							+ "Messages dead-lettered without running")
			.contains("| `taskqueue.worker.tasks.active` | gauge | `taskqueue.worker.name` |")
			.contains("| `error` | Celery's name for the error that rejected a message. |")
			.contains("### Periodic tasks")
			.contains("| `taskqueue.beat.lateness` | timer | `taskqueue.task.name` |");
	}

}
