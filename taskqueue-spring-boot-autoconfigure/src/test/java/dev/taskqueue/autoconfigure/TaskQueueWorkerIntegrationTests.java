package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.event.TaskSentEvent;
import dev.taskqueue.event.TaskSucceededEvent;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskContext;
import dev.taskqueue.worker.TaskListener;
import dev.taskqueue.worker.WorkerContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configured client and worker on the real broker and Redis.
 */
class TaskQueueWorkerIntegrationTests {

	private final String queue = "tq-boot-" + UUID.randomUUID().toString().substring(0, 8);

	// The default queue is the test's own, so that the shared broker's 'celery' queue
	// and other tests' workers play no part.
	private final ApplicationContextRunner dispatcherOnly = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.data.redis.host=127.0.0.1",
				"taskqueue.default-queue=" + this.queue);

	private final ApplicationContextRunner runner = this.dispatcherOnly.withUserConfiguration(TaskConfiguration.class);

	@AfterEach
	void deleteQueues() {
		TestQueues.delete(this.queue);
	}

	@Test
	void autoConfiguredWorkerRunsTasksSentByTheAutoConfiguredClient() {
		this.runner.run((context) -> {
			TaskResult result = context.getBean(TaskClient.class).send("boot.square", 7);
			assertThat(result.get(Duration.ofSeconds(10))).isEqualTo(49);
		});
	}

	@Test
	void disabledWorkerConsumesNothing() {
		this.runner.withPropertyValues("taskqueue.worker.enabled=false").run((context) -> {
			context.getBean(TaskClient.class).send("boot.square", 7);
			Thread.sleep(1000);
			CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1");
			QueueInformation info = new RabbitAdmin(factory).getQueueInfo(this.queue);
			factory.destroy();
			assertThat(info).isNotNull();
			assertThat(info.getMessageCount()).isEqualTo(1);
			assertThat(info.getConsumerCount()).isZero();
			assertThat(context.getBean(Tasks.class).calls).hasValue(0);
		});
	}

	@Test
	void applicationWithoutTasksConsumesNoQueue() {
		this.dispatcherOnly.run((context) -> {
			context.getBean(TaskClient.class).send("boot.square", 7);
			assertThat(context.getBean(WorkerContainer.class).isRunning()).isFalse();
			// The message stays on the default queue, which nothing consumes.
			assertThat(queueInfo()).satisfies((info) -> {
				assertThat(info.getMessageCount()).isEqualTo(1);
				assertThat(info.getConsumerCount()).isZero();
			});
		});
	}

	@Test
	void applicationWithoutTasksConsumesTheQueuesItNames() {
		this.dispatcherOnly
			.withPropertyValues("taskqueue.worker.queues=" + this.queue, "taskqueue.worker.concurrency=1")
			.run((context) -> {
				assertThat(context.getBean(WorkerContainer.class).isRunning()).isTrue();
				assertThat(queueInfo().getConsumerCount()).isOne();
			});
	}

	@Test
	void workerWithoutAutoStartupConsumesOnceStarted() {
		this.runner.withPropertyValues("taskqueue.worker.auto-startup=false", "taskqueue.worker.concurrency=1")
			.run((context) -> {
				TaskResult result = context.getBean(TaskClient.class).send("boot.square", 5);
				assertThat(queueInfo().getConsumerCount()).isZero();
				context.getBean(WorkerContainer.class).start();
				assertThat(result.get(Duration.ofSeconds(10))).isEqualTo(25);
			});
	}

	private QueueInformation queueInfo() {
		CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1");
		try {
			QueueInformation info = new RabbitAdmin(factory).getQueueInfo(this.queue);
			assertThat(info).as("queue %s", this.queue).isNotNull();
			return info;
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void listenerBeansAndEventListenersSeeTheTask() {
		this.runner.withUserConfiguration(ObserverConfiguration.class).run((context) -> {
			TaskResult result = context.getBean(TaskClient.class).send("boot.square", 3);
			assertThat(result.get(Duration.ofSeconds(10))).isEqualTo(9);
			Observer observer = context.getBean(Observer.class);
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(observer.seen).contains("listener " + result.getId(),
						"sent " + result.getId(), "succeeded " + result.getId() + " 9"));
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ObserverConfiguration {

		@Bean
		Observer observer() {
			return new Observer();
		}

	}

	static class Observer implements TaskListener {

		final java.util.Queue<String> seen = new java.util.concurrent.ConcurrentLinkedQueue<>();

		@Override
		public void onSuccess(TaskContext task, @org.jspecify.annotations.Nullable Object result) {
			this.seen.add("listener " + task.getId());
		}

		@EventListener
		void sent(TaskSentEvent event) {
			this.seen.add("sent " + event.getTaskId());
		}

		@EventListener
		void succeeded(TaskSucceededEvent event) {
			this.seen.add("succeeded " + event.getTaskId() + " " + event.getResult());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TaskConfiguration {

		@Bean
		Tasks tasks() {
			return new Tasks();
		}

	}

	static class Tasks {

		final AtomicInteger calls = new AtomicInteger();

		@QueueTask("boot.square")
		int square(int x) {
			this.calls.incrementAndGet();
			return x * x;
		}

	}

}
