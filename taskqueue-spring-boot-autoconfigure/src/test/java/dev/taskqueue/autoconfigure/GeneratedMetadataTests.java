package dev.taskqueue.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Properties;

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
