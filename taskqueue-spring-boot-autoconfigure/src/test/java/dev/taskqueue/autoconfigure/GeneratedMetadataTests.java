package dev.taskqueue.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import dev.taskqueue.broker.QueueType;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The annotation processors ran: the configuration metadata that IDEs complete keys from
 * and the auto-configuration metadata that Boot filters conditions with are in this
 * module's output, not only in another jar on the class path.
 */
class GeneratedMetadataTests {

	@Test
	void configurationMetadataDescribesTheProperties() throws IOException {
		JsonNode metadata = JsonMapper.shared().readTree(read("META-INF/spring-configuration-metadata.json"));
		JsonNode queues = null;
		for (JsonNode property : metadata.get("properties")) {
			if ("taskqueue.worker.queues".equals(property.get("name").asString())) {
				queues = property;
			}
		}
		assertThat(queues).isNotNull();
		assertThat(queues.get("description").asString()).isNotBlank();
		assertThat(queues.get("sourceType").asString()).startsWith(TaskQueueProperties.class.getName());
	}

	@Test
	void closedSetsAreTypedWithTheirDefaults() throws IOException {
		JsonNode metadata = JsonMapper.shared().readTree(read("META-INF/spring-configuration-metadata.json"));
		assertThat(property(metadata, "taskqueue.default-queue-type").get("type").asString())
			.isEqualTo(QueueType.class.getName());
		assertThat(property(metadata, "taskqueue.default-queue-type").get("defaultValue").asString())
			.isEqualTo("classic");
		assertThat(property(metadata, "taskqueue.compression").get("type").asString())
			.isEqualTo(TaskQueueProperties.Compression.class.getName());
		assertThat(property(metadata, "taskqueue.result.backend").get("defaultValue").asString()).isEqualTo("redis");
		assertThat(property(metadata, "taskqueue.worker.max-message-size").get("defaultValue").asString())
			.isEqualTo("10MB");
	}

	@Test
	void acceptContentDefaultsToJson() throws IOException {
		JsonNode metadata = JsonMapper.shared().readTree(read("META-INF/spring-configuration-metadata.json"));
		JsonNode acceptContent = property(metadata, "taskqueue.accept-content");
		assertThat(acceptContent.get("description").asString()).isNotBlank();
		assertThat(acceptContent.get("defaultValue").get(0).asString()).isEqualTo("json");
	}

	@Test
	void serializerHintsNameTheBuiltInOnesAndAllowAnyOther() throws IOException {
		JsonNode metadata = JsonMapper.shared().readTree(read("META-INF/spring-configuration-metadata.json"));
		for (String name : List.of("taskqueue.serializer", "taskqueue.result.serializer", "taskqueue.accept-content")) {
			JsonNode hint = hint(metadata, name);
			assertThat(hint.get("values").findValuesAsString("value")).containsExactly("json", "msgpack");
			// The set is open: any TaskSerializer bean's name or content type.
			assertThat(hint.get("providers").get(0).get("name").asString()).isEqualTo("any");
		}
	}

	@Test
	void everyPropertyIsDescribed() throws IOException {
		JsonNode metadata = JsonMapper.shared().readTree(read("META-INF/spring-configuration-metadata.json"));
		List<String> undescribed = new ArrayList<>();
		for (JsonNode property : metadata.get("properties")) {
			if (!property.hasNonNull("description") || property.get("description").asString().isBlank()) {
				undescribed.add(property.get("name").asString());
			}
		}
		assertThat(undescribed).isEmpty();
	}

	private static JsonNode property(JsonNode metadata, String name) {
		return find(metadata.get("properties"), name);
	}

	private static JsonNode hint(JsonNode metadata, String name) {
		return find(metadata.get("hints"), name);
	}

	private static JsonNode find(JsonNode entries, String name) {
		for (JsonNode entry : entries) {
			if (name.equals(entry.get("name").asString())) {
				return entry;
			}
		}
		throw new AssertionError(name + " is not in the metadata");
	}

	@Test
	void autoConfigurationMetadataNamesTheAutoConfiguration() throws IOException {
		Properties metadata = new Properties();
		metadata.load(new StringReader(read("META-INF/spring-autoconfigure-metadata.properties")));
		assertThat(metadata.stringPropertyNames())
			.anyMatch((key) -> key.startsWith(TaskQueueAutoConfiguration.class.getName() + "."));
	}

	/**
	 * Read a resource from the location {@link TaskQueueProperties} is loaded from.
	 */
	private static String read(String resource) throws IOException {
		URL own = TaskQueueProperties.class.getProtectionDomain().getCodeSource().getLocation();
		for (URL url : Collections.list(getClassLoader().getResources(resource))) {
			if (url.toString().contains(own.toString())) {
				try (InputStream in = url.openStream()) {
					return new String(in.readAllBytes(), StandardCharsets.UTF_8);
				}
			}
		}
		throw new AssertionError(resource + " was not generated in " + own);
	}

	private static ClassLoader getClassLoader() {
		return GeneratedMetadataTests.class.getClassLoader();
	}

}
