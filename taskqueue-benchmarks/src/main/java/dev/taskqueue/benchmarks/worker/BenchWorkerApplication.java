package dev.taskqueue.benchmarks.worker;

import java.nio.file.Path;

import dev.taskqueue.worker.WorkerContainer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The worker under test: a plain Spring Boot application with the starter and one
 * {@code @QueueTask}, every taskqueue setting at its default except the queue it consumes
 * ({@code --taskqueue.worker.queues=...} on the command line). Extra {@code --key=value}
 * arguments are Boot properties, for trying other settings.
 */
@SpringBootApplication
public class BenchWorkerApplication {

	@Bean
	Counter benchCounter() {
		return new Counter();
	}

	/**
	 * Start the worker, then the stats endpoint, whose port file tells the driver it is
	 * ready.
	 * @param portFile where to write the stats port
	 * @param args Spring Boot arguments
	 * @throws Exception if it cannot start
	 */
	public static void run(Path portFile, String[] args) throws Exception {
		SpringApplication application = new SpringApplication(BenchWorkerApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		ConfigurableApplicationContext context = application.run(args);
		WorkerContainer worker = context.getBean(WorkerContainer.class);
		StatsServer stats = StatsServer.start(context.getBean(Counter.class), portFile, worker::stop, worker::start);
		Runtime.getRuntime().addShutdownHook(new Thread(stats::stop, "stats-stop"));
	}

}
