package dev.taskqueue.benchmarks.beat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The beat under test: a plain Spring Boot application with the starter that runs a beat
 * and nothing else ({@code --taskqueue.beat.enabled=true
 * --taskqueue.worker.enabled=false} and the schedule's key prefix on the command line),
 * as {@code celery beat} runs on its own.
 */
@SpringBootApplication
public class BeatNodeApplication {

	/**
	 * Start the beat; it runs until the process is stopped.
	 * @param args Spring Boot arguments
	 */
	public static void run(String[] args) {
		SpringApplication application = new SpringApplication(BeatNodeApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.run(args);
	}

}
