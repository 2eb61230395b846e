package dev.taskqueue.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.taskqueue.broker.QueueType;
import dev.taskqueue.broker.internal.QueueArguments;
import dev.taskqueue.broker.internal.QueueDeclarationException;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Per-queue settings: priorities, quorum queues with a delivery limit, consumers of a
 * queue's own and fair dispatch.
 */
class QueueSettingsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final FlowTasks tasks = new FlowTasks();

	private Stack stack;

	@AfterEach
	void stop() {
		this.tasks.release.countDown();
		if (this.stack != null) {
			this.stack.close();
		}
	}

	@Test
	void priorityQueueRunsHigherPrioritiesFirst() {
		String queue = Infrastructure.unique("prio");
		this.stack = Stack.builder()
			.tasks(this.tasks)
			.defaultQueue(queue)
			.queueArguments(queue, new QueueArguments(QueueType.CLASSIC, 10, null))
			.build();
		// Sent before any worker consumes, so the broker orders them by priority.
		List<TaskResult> results = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			results.add(this.stack.client.send(TaskRequest.builder("flow.free").args("low" + i).priority(1).build()));
		}
		results.add(this.stack.client.send(TaskRequest.builder("flow.free").args("high").priority(9).build()));
		this.stack.startWorker(this.stack.settingsBuilder(List.of(queue)).concurrency(1).prefetch(1).build());
		results.forEach((result) -> result.get(TIMEOUT));
		assertThat(this.tasks.startsOf("flow.free").get(0).arg()).isEqualTo("high");
	}

	@Test
	void quorumQueueDeadLettersPastItsDeliveryLimit() throws Exception {
		String queue = Infrastructure.unique("quorum");
		this.stack = Stack.builder()
			.tasks(this.tasks)
			.defaultQueue(queue)
			.queueArguments(queue, new QueueArguments(QueueType.QUORUM, null, 2))
			.build();
		this.stack.declarer.declareQueue(queue);
		this.stack.declarer.declareDeadLetterQueue(queue);
		// A worker runs tasks from a quorum queue like from any other.
		WorkerContainer worker = this.stack.startWorker(queue);
		assertThat(this.stack.client.send("flow.free", "q").get(TIMEOUT, String.class)).isEqualTo("q");
		worker.stop();
		// A message returned to the queue more often than the limit goes to <queue>.dlq.
		String stray = Infrastructure.unique("stray");
		try (Connection connection = this.stack.rabbit.createConnection()) {
			Channel channel = connection.createChannel(false);
			channel.basicPublish("", queue, null, stray.getBytes(StandardCharsets.UTF_8));
			await().atMost(TIMEOUT).until(() -> {
				GetResponse response = channel.basicGet(queue, false);
				if (response != null) {
					channel.basicNack(response.getEnvelope().getDeliveryTag(), false, true);
				}
				GetResponse dead = channel.basicGet(queue + QueueDeclarer.DLQ_SUFFIX, true);
				return dead != null && new String(dead.getBody(), StandardCharsets.UTF_8).equals(stray);
			});
			assertThat(channel.basicGet(queue, true)).isNull();
			channel.close();
		}
	}

	@Test
	void declaringAQueueWithOtherArgumentsSaysWhichAndWhy() {
		String queue = Infrastructure.unique("mismatch");
		this.stack = Stack.builder().tasks(this.tasks).defaultQueue(queue).build();
		this.stack.declarer.declareQueue(queue);
		QueueDeclarer priorities = new QueueDeclarer(this.stack.rabbit,
				Map.of(queue, new QueueArguments(QueueType.CLASSIC, 5, null)), QueueArguments.CELERY);
		assertThatExceptionOfType(QueueDeclarationException.class).isThrownBy(() -> priorities.declareQueue(queue))
			.withMessageContaining("'" + queue + "'")
			.withMessageContaining("x-max-priority")
			.withMessageContaining("taskqueue.queues." + queue);
	}

	@Test
	void workerRefusesToStartOnAQueueDeclaredWithOtherArguments() {
		String queue = Infrastructure.unique("mismatch");
		this.stack = Stack.builder()
			.tasks(this.tasks)
			.defaultQueue(queue)
			.queueArguments(queue, new QueueArguments(QueueType.CLASSIC, 5, null))
			.build();
		new QueueDeclarer(this.stack.rabbit).declareQueue(queue);
		assertThatExceptionOfType(QueueDeclarationException.class).isThrownBy(() -> this.stack.startWorker(queue))
			.withMessageContaining("x-max-priority");
	}

	@Test
	void queueWithItsOwnConcurrencyGetsItsOwnConsumers() {
		String shared = Infrastructure.unique("shared");
		String own = Infrastructure.unique("own");
		this.stack = Stack.builder().tasks(this.tasks).defaultQueue(shared).deleteOnClose(own).build();
		WorkerContainer worker = this.stack.startWorker(this.stack.settingsBuilder(List.of(shared, own))
			.concurrency(1)
			.queueOptions(Map.of(own, new WorkerSettings.QueueOptions(3, 2)))
			.build());
		assertThat(worker.getListenerContainers()).hasSize(2);
		SimpleMessageListenerContainer sharedContainer = worker.getListenerContainer();
		assertThat(sharedContainer.getQueueNames()).containsExactly(shared);
		SimpleMessageListenerContainer ownContainer = worker.getListenerContainers().get(1);
		assertThat(ownContainer.getQueueNames()).containsExactly(own);
		await().atMost(TIMEOUT).until(() -> ownContainer.getActiveConsumerCount() == 3);
		assertThat(worker.getConcurrency()).isEqualTo(4);
		// The shared queue's only consumer is busy; the other queue's tasks still run.
		this.stack.client.send("flow.block");
		await().atMost(TIMEOUT).until(() -> this.tasks.blocking.getCount() == 0);
		assertThat(this.stack.client.send(TaskRequest.builder("flow.free").args("x").queue(own).build())
			.get(TIMEOUT, String.class)).isEqualTo("x");
	}

	@Test
	void fairDispatchDoesNotTrapShortTasksBehindALongOne() {
		this.stack = Stack.builder().tasks(this.tasks).build();
		this.stack.startWorker(this.stack.settingsBuilder(List.of(this.stack.defaultQueue))
			.concurrency(2)
			.prefetch(8)
			.fairMargin(0)
			.build());
		this.stack.client.send("flow.block");
		await().atMost(TIMEOUT).until(() -> this.tasks.blocking.getCount() == 0);
		List<TaskResult> results = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			results.add(this.stack.client.send("flow.free", "s" + i));
		}
		// The long task still runs: every short one ran on the other consumer. With a
		// prefetch
		// of 8 per consumer some would wait behind it.
		for (TaskResult result : results) {
			assertThat(result.get(TIMEOUT, String.class)).startsWith("s");
		}
		assertThat(this.tasks.release.getCount()).isEqualTo(1);
	}

}
