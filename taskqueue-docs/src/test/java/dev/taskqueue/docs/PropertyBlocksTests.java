package dev.taskqueue.docs;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The check of the documentation's YAML and properties blocks finds misspelt keys and
 * values of the wrong type, and lets right ones and Spring Boot's own keys through.
 */
class PropertyBlocksTests {

	private final PropertyBlocks blocks = new PropertyBlocks(ConfigurationMetadata.load());

	@Test
	void rightKeysAndValuesBind() {
		Map<String, String> entries = PropertyBlocks.read("yaml", """
				spring:
				  rabbitmq: { host: 127.0.0.1 }
				taskqueue:
				  accept-content: [json, msgpack]
				  tasks:
				    "[worker.divide]": { rate-limit: 1/s, auto-retry-for: [java.io.IOException] }
				  worker:
				    queues: [divide, error]
				    redelivery-backoff: 2s
				management:
				  health.taskqueue.enabled: false
				""");
		assertThat(entries).containsKeys("taskqueue.tasks[worker.divide].rate-limit", "taskqueue.accept-content[1]");
		assertThat(this.blocks.check(entries)).isEmpty();
	}

	@Test
	void misspeltKeysAreFound() {
		Map<String, String> entries = PropertyBlocks.read("yaml", """
				taskqueue:
				  tasks:
				    "[worker.divide]": { rate-limt: 1/s }
				  workers:
				    queues: [divide]
				management.health.taskqueue.enable: false
				""");
		assertThat(this.blocks.check(entries)).containsExactlyInAnyOrder(
				"taskqueue.tasks[worker.divide].rate-limt: no such property",
				"taskqueue.workers.queues[0]: no such property",
				"management.health.taskqueue.enable: no such property");
	}

	@Test
	void valuesOfTheWrongTypeAreFound() {
		Map<String, String> entries = PropertyBlocks.read("properties", "taskqueue.worker.prefetch=many\n");
		assertThat(this.blocks.check(entries)).singleElement().asString().startsWith("taskqueue.worker.prefetch: ");
	}

	@Test
	void brokenYamlIsFound() {
		assertThatIllegalArgumentException().isThrownBy(() -> PropertyBlocks.read("yaml", "taskqueue:\n  a: [b\n"))
			.withMessageStartingWith("does not parse");
	}

}
