package dev.taskqueue.test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application under test: the starter's auto-configuration, the tasks of
 * {@link SampleTasks}, and its settings in {@code application.properties}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class SampleApplication {

	@Bean
	SampleTasks sampleTasks() {
		return new SampleTasks();
	}

}
