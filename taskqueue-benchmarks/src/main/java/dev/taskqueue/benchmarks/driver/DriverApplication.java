package dev.taskqueue.benchmarks.driver;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The driver's own Spring Boot application: a dispatcher-only application
 * ({@code taskqueue.worker.enabled=false}) whose {@code TaskClient} publishes, exactly as
 * a user's would.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class DriverApplication {

}
