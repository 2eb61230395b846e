package dev.taskqueue.docs;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.taskqueue.autoconfigure.beat.BeatMeterDocumentation;
import dev.taskqueue.autoconfigure.metrics.TaskQueueMeterDocumentation;
import dev.taskqueue.observation.TaskExecuteContext;
import dev.taskqueue.observation.TaskObservationDocumentation;
import dev.taskqueue.observation.TaskPublishContext;
import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.docs.MeterDocumentation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

import org.springframework.beans.BeanUtils;

/**
 * The metrics page's lists, generated from the meters and observations documented in code
 * ({@link TaskObservationDocumentation}, {@link TaskQueueMeterDocumentation},
 * {@link BeatMeterDocumentation}): each observation with its name, span name and keys,
 * and each meter with its type and tags, described by the javadoc of their constants.
 * Something documented without a description is an error: the page would leave users
 * guessing.
 */
final class MetricsReference {

	/**
	 * A task name in the span names: the conventions name a span after its task.
	 */
	private static final String TASK = "<task name>";

	private static final List<Observation.Context> SAMPLE_CONTEXTS = List.of(
			new TaskPublishContext("id", TASK, "id", "", "queue", "queue"),
			new TaskExecuteContext("id", TASK, "id", "queue", 0, Map.of()));

	private final FieldDocs docs;

	MetricsReference(FieldDocs docs) {
		this.docs = docs;
	}

	/**
	 * The observations, in Markdown: a section each.
	 * @return the generated list
	 * @throws IllegalStateException if an observation or key has no description
	 */
	String observations() {
		Map<String, String> descriptions = described(TaskObservationDocumentation.class);
		Map<String, String> low = described(TaskObservationDocumentation.LowCardinalityKeyNames.class);
		Map<String, String> high = described(TaskObservationDocumentation.HighCardinalityKeyNames.class);
		StringBuilder page = new StringBuilder();
		for (TaskObservationDocumentation observation : TaskObservationDocumentation.values()) {
			ObservationConvention<Observation.Context> convention = convention(observation);
			page.append("\n### `").append(convention.getName()).append("`\n\n");
			page.append(descriptions.get(observation.name())).append("\n\n");
			page.append("Span name: `")
				.append(spanName(convention))
				.append("`. Default convention: `")
				.append(observation.getDefaultConvention().getSimpleName())
				.append("`.\n\n");
			page.append("| Key | Cardinality | Description |\n|---|---|---|\n");
			keys(page, observation.getLowCardinalityKeyNames(), "low", low);
			keys(page, observation.getHighCardinalityKeyNames(), "high", high);
		}
		return page.toString();
	}

	/**
	 * The meters, in Markdown: a table of those of tasks, workers and queues, one of
	 * those of the beat, each followed by the tags that are not the observations' own.
	 * @return the generated list
	 * @throws IllegalStateException if a meter or tag has no description
	 */
	String meters() {
		StringBuilder page = new StringBuilder();
		meters(page, "Tasks, workers and queues", TaskQueueMeterDocumentation.class,
				TaskQueueMeterDocumentation.KeyNames.class);
		meters(page, "Periodic tasks", BeatMeterDocumentation.class, BeatMeterDocumentation.KeyNames.class);
		return page.toString();
	}

	private <M extends Enum<M> & MeterDocumentation, K extends Enum<K> & KeyName> void meters(StringBuilder page,
			String title, Class<M> meters, Class<K> ownKeys) {
		Map<String, String> descriptions = described(meters);
		page.append("\n### ").append(title).append("\n\n| Meter | Type | Tags | Description |\n|---|---|---|---|\n");
		for (M meter : meters.getEnumConstants()) {
			page.append("| `")
				.append(meter.getName())
				.append("` | ")
				.append(meter.getType().name().toLowerCase(Locale.ROOT).replace('_', ' '))
				.append(" | ")
				.append(Arrays.stream(meter.getKeyNames())
					.map((key) -> "`" + key.asString() + "`")
					.collect(Collectors.joining(", ")))
				.append(" | ")
				.append(cell(descriptions.get(meter.name())))
				.append(" |\n");
		}
		Map<String, String> own = described(ownKeys);
		page.append("\n| Tag | Description |\n|---|---|\n");
		for (K key : ownKeys.getEnumConstants()) {
			page.append("| `").append(key.asString()).append("` | ").append(cell(own.get(key.name()))).append(" |\n");
		}
	}

	private static void keys(StringBuilder page, KeyName[] keys, String cardinality, Map<String, String> descriptions) {
		for (KeyName key : keys) {
			page.append("| `")
				.append(key.asString())
				.append("` | ")
				.append(cardinality)
				.append(" | ")
				.append(cell(descriptions.get(((Enum<?>) key).name())))
				.append(" |\n");
		}
	}

	/**
	 * The javadoc of every constant of an enum, all of them required.
	 */
	private Map<String, String> described(Class<? extends Enum<?>> type) {
		Map<String, String> descriptions = new LinkedHashMap<>(this.docs.ofConstants(type));
		List<String> missing = Arrays.stream(type.getEnumConstants())
			.map(Enum::name)
			.filter((name) -> descriptions.get(name) == null || descriptions.get(name).isBlank())
			.toList();
		if (!missing.isEmpty()) {
			throw new IllegalStateException(
					"Constants of " + type.getName() + " without a description (javadoc them): " + missing);
		}
		return descriptions;
	}

	@SuppressWarnings("unchecked")
	private static ObservationConvention<Observation.Context> convention(TaskObservationDocumentation observation) {
		return (ObservationConvention<Observation.Context>) BeanUtils
			.instantiateClass(observation.getDefaultConvention());
	}

	private static String spanName(ObservationConvention<Observation.Context> convention) {
		return SAMPLE_CONTEXTS.stream()
			.filter(convention::supportsContext)
			.findFirst()
			.map(convention::getContextualName)
			.orElseThrow(() -> new IllegalStateException("No sample context for " + convention.getClass().getName()));
	}

	private static String cell(String text) {
		return text.replace("|", "\\|");
	}

}
