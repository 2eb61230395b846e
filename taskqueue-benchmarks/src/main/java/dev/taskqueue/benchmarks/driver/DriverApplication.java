package dev.taskqueue.benchmarks.driver;

import dev.taskqueue.benchmarks.stages.AmqpTimestamps;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The driver's own Spring Boot application: a dispatcher-only application
 * ({@code taskqueue.worker.enabled=false}) whose {@code TaskClient} publishes, exactly as
 * a user's would.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class DriverApplication {

	/**
	 * With {@code bench.stages=true}: the RabbitMQ client's metrics hook on the client's
	 * connections, noting when each publish is written and each confirm arrives.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("bench.stages")
	static class StagesConfiguration {

		@Bean
		AmqpTimestamps driverAmqpTimestamps() {
			return new AmqpTimestamps();
		}

		@Bean
		ConnectionFactoryCustomizer driverStagesConnectionFactoryCustomizer(AmqpTimestamps timestamps) {
			return (factory) -> factory.setMetricsCollector(timestamps);
		}

	}

}
