package dev.taskqueue.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.Configurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * taskqueue's auto-configurations are ordered after the Spring Boot ones whose beans they
 * use, and every ordering by name still names a class: a renamed Spring Boot class would
 * otherwise make the order, and so conditions on its beans, silently wrong.
 */
class AutoConfigurationOrderingTests {

	private final ClassLoader classLoader = getClass().getClassLoader();

	@Test
	void taskQueueComesAfterRabbitRedisJacksonAndObservation() {
		Class<?>[] order = Configurations
			.getClasses(AutoConfigurations.of(TaskQueueAutoConfiguration.class, ObservationAutoConfiguration.class,
					JacksonAutoConfiguration.class, DataRedisAutoConfiguration.class, RabbitAutoConfiguration.class));
		assertThat(order).endsWith(TaskQueueAutoConfiguration.class);
	}

	@Test
	void everyAutoConfigurationOrderedByNameNamesAClassThatExists() {
		List<String> ours = taskQueueAutoConfigurations();
		assertThat(ours).contains(TaskQueueAutoConfiguration.class.getName());
		List<String> missing = new ArrayList<>();
		for (String name : ours) {
			MergedAnnotation<AutoConfiguration> annotation = MergedAnnotations
				.from(ClassUtils.resolveClassName(name, this.classLoader))
				.get(AutoConfiguration.class);
			for (String attribute : List.of("afterName", "beforeName")) {
				for (String other : annotation.getStringArray(attribute)) {
					if (!ClassUtils.isPresent(other, this.classLoader)) {
						missing.add(name + " " + attribute + " " + other);
					}
				}
			}
		}
		assertThat(missing).isEmpty();
	}

	private List<String> taskQueueAutoConfigurations() {
		List<String> ours = new ArrayList<>();
		for (String name : ImportCandidates.load(AutoConfiguration.class, this.classLoader)) {
			if (name.startsWith("dev.taskqueue.")) {
				ours.add(name);
			}
		}
		return ours;
	}

}
