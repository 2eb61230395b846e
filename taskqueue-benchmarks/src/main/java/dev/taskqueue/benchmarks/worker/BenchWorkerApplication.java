package dev.taskqueue.benchmarks.worker;

import java.nio.file.Path;
import java.util.Map;

import dev.taskqueue.worker.WorkerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker under test: a plain Spring Boot application with the starter and one
 * {@code @QueueTask}, every taskqueue setting at its default except the queue it consumes
 * ({@code --taskqueue.worker.queues=...} on the command line). Extra {@code --key=value}
 * arguments are Boot properties, for trying other settings. With
 * {@code --bench.stages=true} it also keeps the worker's side of the stage breakdown
 * ({@link WorkerStages}, served as {@code GET /stages}); without it nothing of that is in
 * the worker.
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
		WorkerStages stages = context.getBeanProvider(WorkerStages.class).getIfAvailable();
		StatsServer stats = StatsServer.start(context.getBean(Counter.class), portFile,
				Map.of("pause", worker::stop, "resume", worker::start),
				(stages != null) ? Map.of("stages", stages::drain) : Map.of());
		Runtime.getRuntime().addShutdownHook(new Thread(stats::stop, "stats-stop"));
	}

	/**
	 * The worker's side of the stage breakdown: the RabbitMQ client's metrics hook on the
	 * worker's connections, a task listener, and each consumer's listener wrapped.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("bench.stages")
	static class StagesConfiguration {

		@Bean
		WorkerStages workerStages() {
			return new WorkerStages();
		}

		@Bean
		ConnectionFactoryCustomizer workerStagesConnectionFactoryCustomizer(WorkerStages stages) {
			return (factory) -> factory.setMetricsCollector(stages.amqp());
		}

		@Bean
		static BeanPostProcessor workerStagesListenerWrapper(ObjectProvider<WorkerStages> stages) {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (bean instanceof WorkerContainer worker) {
						for (SimpleMessageListenerContainer container : worker.getListenerContainers()) {
							if (container.getMessageListener() instanceof ChannelAwareMessageListener listener) {
								container.setMessageListener(stages.getObject().wrap(listener));
							}
						}
					}
					return bean;
				}
			};
		}

	}

}
