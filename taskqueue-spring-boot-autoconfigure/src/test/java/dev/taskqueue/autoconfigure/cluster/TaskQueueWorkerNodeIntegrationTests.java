package dev.taskqueue.autoconfigure.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TestQueues;
import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.ControlReply;
import dev.taskqueue.control.internal.node.WorkerEvents;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.internal.ClusterNode;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auto-configured worker is a node of the Celery cluster: it answers the cluster
 * client (as it answers {@code celery inspect}), under the node name and with the events
 * the {@code taskqueue.worker.*} properties ask for, and obeys or refuses a remote
 * shutdown as configured.
 */
class TaskQueueWorkerNodeIntegrationTests {

	private static final String RABBIT_HOST = System.getProperty("taskqueue.test.rabbit.host", "127.0.0.1");

	private static final String REDIS_HOST = System.getProperty("taskqueue.test.redis.host", "127.0.0.1");

	private final String id = UUID.randomUUID().toString().substring(0, 8);

	private final String queue = "tq-node-" + this.id;

	private final String namespace = "tq-node-ctl-" + this.id;

	private final String events = "tq-node-ev-" + this.id;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				TaskQueueClusterAutoConfiguration.class))
		.withUserConfiguration(TaskConfiguration.class)
		.withPropertyValues("spring.rabbitmq.host=" + RABBIT_HOST, "spring.data.redis.host=" + REDIS_HOST,
				"taskqueue.default-queue=" + this.queue, "taskqueue.cluster.control-exchange=" + this.namespace,
				"taskqueue.cluster.event-exchange=" + this.events, "taskqueue.cluster.timeout=5s",
				"taskqueue.worker.name=node-" + this.id);

	@AfterEach
	void deleteQueuesAndExchanges() {
		TestQueues.delete(this.queue);
		CachingConnectionFactory rabbit = new CachingConnectionFactory(RABBIT_HOST);
		try {
			RabbitAdmin admin = new RabbitAdmin(rabbit);
			admin.deleteExchange(this.namespace + ".pidbox");
			admin.deleteExchange("reply." + this.namespace + ".pidbox");
			admin.deleteExchange(this.events);
		}
		finally {
			rabbit.destroy();
		}
	}

	@Test
	void theWorkerAnswersTheClusterUnderItsNameAtItsHost() {
		this.contextRunner.run((context) -> {
			WorkerContainer worker = context.getBean(WorkerContainer.class);
			ClusterNode node = worker.getClusterNode();
			assertThat(node).isNotNull();
			String nodeName = "node-" + this.id + "@" + ProcessIdentity.hostname();
			assertThat(node.getNodeName()).isEqualTo(nodeName);
			WorkerEvents events = node.getEvents();
			assertThat(events).isNotNull();
			assertThat(events.isTaskEvents()).as("task events are off by default").isFalse();
			assertThat(events.getFrequency()).isEqualTo(Duration.ofSeconds(2));
			ClusterControl cluster = context.getBean(ClusterControl.class);
			Map<String, ControlReply> pong = cluster.inspect().destination(nodeName).ping();
			assertThat(pong).containsOnlyKeys(nodeName);
			assertThat(cluster.inspect().destination(nodeName).registered()).containsEntry(nodeName,
					java.util.List.of("boot.node.square"));
			assertThat(cluster.control().destination(nodeName).call("shutdown", Map.of()))
				.as("remote shutdown is refused by default")
				.containsKey(nodeName);
			assertThat(worker.isRunning()).isTrue();
		});
	}

	@Test
	void nodeNameTaskEventsAndHeartbeatIntervalAreConfigurable() {
		String nodeName = "billing-" + this.id + "@ops";
		this.contextRunner
			.withPropertyValues("taskqueue.worker.node-name=" + nodeName, "taskqueue.worker.send-task-events=true",
					"taskqueue.worker.heartbeat-interval=5s")
			.run((context) -> {
				ClusterNode node = context.getBean(WorkerContainer.class).getClusterNode();
				assertThat(node).isNotNull();
				assertThat(node.getNodeName()).isEqualTo(nodeName);
				WorkerEvents events = node.getEvents();
				assertThat(events).isNotNull();
				assertThat(events.isTaskEvents()).isTrue();
				assertThat(events.getFrequency()).isEqualTo(Duration.ofSeconds(5));
				assertThat(context.getBean(ClusterControl.class).inspect().destination(nodeName).ping())
					.containsOnlyKeys(nodeName);
			});
	}

	@Test
	void remoteShutdownCanStopTheWorker() {
		this.contextRunner.withPropertyValues("taskqueue.worker.remote-shutdown=stop-worker").run((context) -> {
			WorkerContainer worker = context.getBean(WorkerContainer.class);
			ClusterNode node = worker.getClusterNode();
			assertThat(node).isNotNull();
			Map<String, @Nullable Object> replies = context.getBean(ClusterControl.class)
				.control()
				.destination(node.getNodeName())
				.call("shutdown", Map.of());
			assertThat(replies).containsEntry(node.getNodeName(), (Object) Map.of("ok", "Warm shutdown"));
			await().atMost(Duration.ofSeconds(10)).until(() -> !worker.isRunning());
			assertThat(node.getNode()).as("the node left the cluster").isNull();
		});
	}

	@Test
	void theWorkerCanStayOutOfTheCluster() {
		this.contextRunner.withPropertyValues("taskqueue.worker.cluster-member=false")
			.run((context) -> assertThat(context.getBean(WorkerContainer.class).getClusterNode()).isNull());
	}

	@Test
	void aNodeNameThatIsNotCeleryStyleFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("taskqueue.worker.node-name=billing@").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("taskqueue.worker.node-name");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class TaskConfiguration {

		@Bean
		Tasks tasks() {
			return new Tasks();
		}

	}

	static class Tasks {

		@QueueTask("boot.node.square")
		int square(int x) {
			return x * x;
		}

	}

}
