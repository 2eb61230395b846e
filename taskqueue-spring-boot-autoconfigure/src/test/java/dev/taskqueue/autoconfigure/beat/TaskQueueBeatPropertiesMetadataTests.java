package dev.taskqueue.autoconfigure.beat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IDEs complete and describe {@code taskqueue.beat.*}: the configuration metadata holds
 * every property with its description and default.
 */
class TaskQueueBeatPropertiesMetadataTests {

	@Test
	void everyBeatPropertyIsDescribed() throws IOException {
		Map<String, JsonNode> properties = new HashMap<>();
		for (URL url : Collections
			.list(getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : JsonMapper.shared().readTree(in).get("properties")) {
					properties.put(property.get("name").asString(), property);
				}
			}
		}
		for (String name : new String[] { "taskqueue.beat.enabled", "taskqueue.beat.key-prefix",
				"taskqueue.beat.lock-key", "taskqueue.beat.lock-timeout", "taskqueue.beat.max-interval",
				"taskqueue.beat.zone", "taskqueue.beat.missed-run-grace", "taskqueue.beat.statics-set",
				"taskqueue.beat.publish-threads", "taskqueue.beat.batch-size", "taskqueue.beat.schedule" }) {
			assertThat(properties).as(name).containsKey(name);
			assertThat(properties.get(name).get("description").asString()).as(name).isNotBlank();
			assertThat(properties.get(name).get("sourceType").asString()).as(name)
				.isEqualTo(TaskQueueBeatProperties.class.getName());
		}
		assertThat(properties.get("taskqueue.beat.lock-timeout").get("defaultValue").asString()).isEqualTo("30s");
		assertThat(properties.get("taskqueue.beat.key-prefix").get("defaultValue").asString()).isEqualTo("redbeat:");
	}

}
