package dev.taskqueue.autoconfigure.cluster;

import java.time.Duration;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.WorkerDirectory;
import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.control.internal.WorkerEventMonitor;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wiring and condition tests for {@link TaskQueueClusterAutoConfiguration} and the
 * cluster-related properties of the taskqueue auto-configuration: the cluster client, the
 * event dispatcher and the worker-event monitor on the broker's connection factory, wired
 * into the client and the worker directory; the Celery version deciding the JSON and
 * {@code date_done} forms.
 */
class TaskQueueClusterAutoConfigurationIntegrationTests {

	private static final String RABBIT_HOST = System.getProperty("taskqueue.test.rabbit.host", "127.0.0.1");

	private static final String REDIS_HOST = System.getProperty("taskqueue.test.redis.host", "127.0.0.1");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				TaskQueueClusterAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=" + RABBIT_HOST, "spring.data.redis.host=" + REDIS_HOST,
				"taskqueue.worker.enabled=false");

	@Test
	void clusterBeansAreOnTheBrokersConnectionFactoryAndWiredIn() {
		this.contextRunner.withPropertyValues("taskqueue.cluster.control-exchange=ops", "taskqueue.cluster.timeout=3s")
			.run((context) -> {
				ClusterControl cluster = context.getBean(ClusterControl.class);
				assertThat(cluster.getNamespace()).isEqualTo("ops");
				assertThat(ReflectionTestUtils.getField(cluster, "timeout")).isEqualTo(Duration.ofSeconds(3));
				assertThat(context.getBean(EventDispatcher.class).getExchange()).isEqualTo("celeryev");
				WorkerEventMonitor monitor = context.getBean(WorkerEventMonitor.class);
				assertThat(monitor.isListening()).isTrue();
				assertThat(ReflectionTestUtils.getField(context.getBean(WorkerDirectory.class), "eventMonitor"))
					.isSameAs(monitor);
				TaskClient client = context.getBean(TaskClient.class);
				assertThat(ReflectionTestUtils.getField(client, "cluster")).isSameAs(cluster);
				assertThat(ReflectionTestUtils.getField(client, "sentEvents")).as("task-sent is off by default")
					.isNull();
			});
	}

	@Test
	void sendSentEventGivesTheClientTheDispatcher() {
		this.contextRunner
			.withPropertyValues("taskqueue.client.send-sent-event=true", "taskqueue.cluster.event-exchange=ops-events")
			.run((context) -> {
				EventDispatcher dispatcher = context.getBean(EventDispatcher.class);
				assertThat(dispatcher.getExchange()).isEqualTo("ops-events");
				assertThat(ReflectionTestUtils.getField(context.getBean(TaskClient.class), "sentEvents"))
					.isSameAs(dispatcher);
			});
	}

	@Test
	void workerMonitoringCanBeSwitchedOff() {
		this.contextRunner.withPropertyValues("taskqueue.cluster.monitor-workers=false").run((context) -> {
			assertThat(context).doesNotHaveBean(WorkerEventMonitor.class);
			assertThat(ReflectionTestUtils.getField(context.getBean(WorkerDirectory.class), "eventMonitor")).isNull();
			assertThat(context).hasSingleBean(ClusterControl.class);
		});
	}

	@Test
	void anApplicationsOwnClusterClientIsUsed() {
		this.contextRunner.withUserConfiguration(OwnCluster.class).run((context) -> {
			assertThat(context).hasSingleBean(ClusterControl.class);
			assertThat(ReflectionTestUtils.getField(context.getBean(TaskClient.class), "cluster"))
				.isSameAs(context.getBean("ownCluster"));
		});
	}

	@Test
	void theCeleryVersionDecidesTypedJsonAndTypedJsonCanOverrideIt() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(TaskMessageCodec.class).writesTypedJson()).as("5.6 by default")
				.isTrue());
		this.contextRunner.withPropertyValues("taskqueue.celery-version=5.2.6")
			.run((context) -> assertThat(context.getBean(TaskMessageCodec.class).writesTypedJson()).isFalse());
		this.contextRunner.withPropertyValues("taskqueue.celery-version=5.2", "taskqueue.typed-json=true")
			.run((context) -> assertThat(context.getBean(TaskMessageCodec.class).writesTypedJson()).isTrue());
	}

	@Test
	void aBadCeleryVersionFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("taskqueue.celery-version=six").run((context) -> {
			assertThat(context).hasFailed();
			// The binder names the property it could not bind, and why.
			assertThat(context.getStartupFailure()).hasStackTraceContaining("'taskqueue.celery-version'")
				.rootCause()
				.hasMessageContaining("'six' is not a Celery version");
		});
		this.contextRunner.withPropertyValues("taskqueue.celery-version=4.4").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("'taskqueue.celery-version'")
				.hasStackTraceContaining("Celery 4.4 is not supported");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnCluster {

		@Bean
		ClusterControl ownCluster(ConnectionFactory connectionFactory) {
			return new ClusterControl(connectionFactory);
		}

	}

}
