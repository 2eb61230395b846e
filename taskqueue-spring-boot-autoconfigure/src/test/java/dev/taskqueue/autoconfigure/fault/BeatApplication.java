package dev.taskqueue.autoconfigure.fault;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.beat.TaskQueueBeatAutoConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * An application that runs a beat, as a user would write one, run by the beat's fault
 * tests in a JVM of its own so it can be killed or frozen. Arguments are Spring Boot
 * properties. Prints {@value FaultWorkerApplication#READY} once started.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
		JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class, TaskQueueBeatAutoConfiguration.class })
public class BeatApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(BeatApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		ConfigurableApplicationContext context = application.run(args);
		if (context.isRunning()) {
			System.out.println(FaultWorkerApplication.READY);
			System.out.flush();
		}
	}

}
