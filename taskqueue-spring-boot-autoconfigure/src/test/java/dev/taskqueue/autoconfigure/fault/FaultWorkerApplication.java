package dev.taskqueue.autoconfigure.fault;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A worker application as a user would write one, run by the fault tests in a JVM of its
 * own (see {@link WorkerProcess}) so it can be killed. Arguments are Spring Boot
 * properties ({@code --spring.rabbitmq.port=...}). Prints {@value #READY} once it
 * consumes.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
		JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class })
public class FaultWorkerApplication {

	/** What the worker prints once it is consuming. */
	public static final String READY = "FAULT-WORKER-READY";

	@Bean
	FaultTasks faultTasks() {
		return new FaultTasks();
	}

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(FaultWorkerApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		ConfigurableApplicationContext context = application.run(args);
		if (context.isRunning()) {
			System.out.println(READY);
			System.out.flush();
		}
	}

}
