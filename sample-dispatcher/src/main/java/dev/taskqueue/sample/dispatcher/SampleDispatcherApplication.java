package dev.taskqueue.sample.dispatcher;

import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The tutorial's dispatcher. Started plainly it serves the HTTP API of
 * {@link TaskController} on port 8080. Started with {@code --scenarios} (or
 * {@code --dispatcher.scenarios=true}) it starts no web server, replays the tutorial's
 * calls ({@link TutorialScenarios}), prints what each gave and exits with 0 only if every
 * call gave its expected outcome.
 */
@SpringBootApplication
public class SampleDispatcherApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(SampleDispatcherApplication.class);
		boolean scenarios = ScenarioRunner.isRequested(args);
		if (scenarios) {
			application.setWebApplicationType(WebApplicationType.NONE);
			application.setBannerMode(Banner.Mode.OFF);
			// Keep the console for the scenarios' report; warnings and errors still show.
			application
				.setDefaultProperties(Map.of("spring.main.web-application-type", "none", "logging.level.root", "warn"));
		}
		ConfigurableApplicationContext context = application.run(args);
		if (scenarios || context.getBean(ScenarioRunner.class).hasRun()) {
			System.exit(SpringApplication.exit(context));
		}
	}

}
