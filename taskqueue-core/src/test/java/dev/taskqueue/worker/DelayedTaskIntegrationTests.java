package dev.taskqueue.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;

import dev.taskqueue.broker.internal.DelayQueues;
import dev.taskqueue.broker.internal.DelayQueuesTestSupport;
import dev.taskqueue.broker.internal.PublishException;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.protocol.internal.CeleryTime;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tasks that are not due yet wait in the broker's delay queues, not in a worker's memory,
 * so they survive every worker stopping.
 */
class DelayedTaskIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final WorkflowTasks tasks = new WorkflowTasks();

	private Stack stack;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(this.tasks).build();
	}

	@AfterEach
	void stop() {
		this.stack.close();
	}

	private long messagesIn(String queue) {
		var info = this.stack.admin().getQueueInfo(queue);
		return (info != null) ? info.getMessageCount() : 0;
	}

	@Test
	void countdownSurvivesStoppingEveryWorker() {
		WorkerContainer worker = this.stack.startWorker(this.stack.defaultQueue);
		OffsetDateTime eta = OffsetDateTime.now().plusSeconds(4);
		TaskResult result = this.stack.client.send(TaskRequest.builder("wf.stamp").eta(eta).build());
		// The worker takes it from its queue and parks it in the broker.
		await().atMost(TIMEOUT).until(() -> messagesIn(this.stack.defaultQueue) == 0);
		worker.stop();
		worker.destroy();
		await().atMost(TIMEOUT).until(() -> messagesIn(this.stack.defaultQueue) == 1);
		assertThat(this.tasks.starts).isEmpty();
		assertThat(OffsetDateTime.now()).isAfterOrEqualTo(eta.minusSeconds(1));
		this.stack.startWorker(this.stack.defaultQueue);
		long started = result.get(TIMEOUT, Long.class);
		assertThat(started).isGreaterThanOrEqualTo(eta.toInstant().toEpochMilli());
		assertThat(this.tasks.starts).hasSize(1);
	}

	@Test
	void etaFromAPythonSenderIsParkedAndRunsWhenDue() {
		this.stack.startWorker(this.stack.defaultQueue);
		String id = UUID.randomUUID().toString();
		OffsetDateTime eta = OffsetDateTime.now().plusSeconds(2);
		MessageProperties props = new MessageProperties();
		props.setContentType("application/json");
		props.setContentEncoding("utf-8");
		props.setCorrelationId(id);
		props.setHeader("lang", "py");
		props.setHeader("task", "wf.stamp");
		props.setHeader("id", id);
		props.setHeader("root_id", id);
		props.setHeader("retries", 0);
		props.setHeader("eta", CeleryTime.formatAware(eta));
		byte[] body = "[[], {}, {\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}]"
			.getBytes(StandardCharsets.UTF_8);
		new RabbitTemplate(this.stack.rabbit).send("", this.stack.defaultQueue, new Message(body, props));
		long started = this.stack.client.result(id).get(TIMEOUT, Long.class);
		assertThat(started).isGreaterThanOrEqualTo(eta.toInstant().toEpochMilli());
	}

	@Test
	void expiryIsCheckedWhenAParkedTaskComesBack() {
		this.stack.startWorker(this.stack.defaultQueue);
		TaskResult result = this.stack.client.send(TaskRequest.builder("wf.stamp")
			.countdown(Duration.ofSeconds(3))
			.expires(Duration.ofSeconds(1))
			.build());
		await().atMost(TIMEOUT).until(() -> result.getState() == TaskState.REVOKED);
		assertThat(result.getRecord().exception().message()).startsWith("expired at ");
		assertThat(this.tasks.starts).isEmpty();
	}

	@Test
	void parkedTasksWaitInTheBucketOfTheirDueSecondNotInTheWorker() {
		this.stack.startWorker(this.stack.defaultQueue);
		OffsetDateTime eta = OffsetDateTime.now().plusSeconds(4);
		String bucket = DelayQueues.bucketName(eta.toEpochSecond());
		TaskResult result = this.stack.client.send(TaskRequest.builder("wf.stamp").eta(eta).build());
		await().atMost(TIMEOUT).until(() -> messagesIn(bucket) >= 1);
		assertThat(messagesIn(this.stack.defaultQueue)).isZero();
		long started = result.get(TIMEOUT, Long.class);
		// Not before its eta, and well within a second after it (the bucket releases it
		// at its due time, not at the start of a cascade level).
		assertThat(started).isBetween(eta.toInstant().toEpochMilli(), eta.toInstant().toEpochMilli() + 1000);
		assertThat(messagesIn(bucket)).isZero();
	}

	@Test
	void taskDueBeyondTheHorizonWaitsInTheCascadeThenInItsBucket() {
		// A 4 s horizon: a task due in 9 s spends 7 s in the cascade, comes back 2 s
		// before it is due and is parked again, in the bucket of its second.
		String exchange = Infrastructure.unique("at");
		DelayQueues delayQueues = DelayQueuesTestSupport.withBuckets(this.stack.rabbit, this.stack.publisher, exchange,
				Duration.ofSeconds(4), Duration.ofSeconds(7), Duration.ofSeconds(1));
		WorkerContainer worker = startWorker(delayQueues, this.stack.settings(List.of(this.stack.defaultQueue)));
		OffsetDateTime eta = OffsetDateTime.now().plusSeconds(9);
		long due = eta.toInstant().toEpochMilli();
		String bucket = DelayQueuesTestSupport.bucketName(exchange, eta.toEpochSecond());
		try {
			TaskResult result = this.stack.client.send(TaskRequest.builder("wf.stamp").eta(eta).build());
			await().atMost(TIMEOUT).until(() -> messagesIn(bucket) == 1);
			assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(due - 4_000);
			long started = result.get(TIMEOUT, Long.class);
			assertThat(started).isBetween(due, due + 1000);
			assertThat(this.tasks.starts).hasSize(1);
		}
		finally {
			worker.stop();
			worker.destroy();
			Infrastructure.deleteQueues(bucket);
			Infrastructure.deleteExchanges(exchange);
		}
	}

	@Test
	void manyDelaysArriveInEtaOrder() {
		this.stack.startWorker(this.stack.settings(List.of(this.stack.defaultQueue)));
		List<TaskResult> results = new java.util.ArrayList<>();
		for (int seconds : new int[] { 3, 1, 2 }) {
			results.add(this.stack.client
				.send(TaskRequest.builder("wf.stamp").countdown(Duration.ofSeconds(seconds)).build()));
		}
		long three = results.get(0).get(TIMEOUT, Long.class);
		long one = results.get(1).get(TIMEOUT, Long.class);
		long two = results.get(2).get(TIMEOUT, Long.class);
		assertThat(one).isLessThan(two);
		assertThat(two).isLessThan(three);
	}

	@Test
	void parksAreInFlightTogetherAndEachTaskIsAcknowledgedOnlyOnceItsParkedCopyIsConfirmed() {
		// Every park waits for a gate the test opens: with one consumer, all five are on
		// their way to the delay queues before the first is confirmed.
		CompletableFuture<Void> gate = new CompletableFuture<>();
		AtomicInteger parks = new AtomicInteger();
		DelayQueues gated = new DelayQueues(this.stack.rabbit, this.stack.publisher) {
			@Override
			public CompletableFuture<Void> parkUntilAsync(String targetQueue, long dueMillis,
					AMQP.BasicProperties properties, byte[] body) {
				parks.incrementAndGet();
				return gate.thenCompose((ignored) -> super.parkUntilAsync(targetQueue, dueMillis, properties, body));
			}
		};
		WorkerContainer worker = startWorker(gated,
				this.stack.settingsBuilder(List.of(this.stack.defaultQueue)).concurrency(1).prefetch(8).build());
		try {
			List<TaskResult> results = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				results.add(this.stack.client
					.send(TaskRequest.builder("wf.stamp").countdown(Duration.ofSeconds(2)).build()));
			}
			await().atMost(TIMEOUT).until(() -> parks.get() == 5);
			assertThat(this.tasks.starts).isEmpty();
			gate.complete(null);
			for (TaskResult result : results) {
				assertThat(result.get(TIMEOUT, Long.class)).isPositive();
			}
			assertThat(this.tasks.starts).hasSize(5);
		}
		finally {
			worker.stop();
			worker.destroy();
		}
	}

	@Test
	void aRefusedParkReturnsTheTaskToItsQueueUnacknowledgedAndItIsParkedAgain() {
		AtomicInteger parks = new AtomicInteger();
		DelayQueues refusingFirst = new DelayQueues(this.stack.rabbit, this.stack.publisher) {
			@Override
			public CompletableFuture<Void> parkUntilAsync(String targetQueue, long dueMillis,
					AMQP.BasicProperties properties, byte[] body) {
				if (parks.incrementAndGet() == 1) {
					return CompletableFuture.runAsync(() -> {
						throw new PublishException("refused by the test", properties.getCorrelationId(), null);
					}, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
				}
				return super.parkUntilAsync(targetQueue, dueMillis, properties, body);
			}
		};
		WorkerContainer worker = startWorker(refusingFirst, this.stack.settings(List.of(this.stack.defaultQueue)));
		try {
			OffsetDateTime eta = OffsetDateTime.now().plusSeconds(4);
			TaskResult result = this.stack.client.send(TaskRequest.builder("wf.stamp").eta(eta).build());
			long started = result.get(TIMEOUT, Long.class);
			assertThat(started).isGreaterThanOrEqualTo(eta.toInstant().toEpochMilli());
			assertThat(parks.get()).isEqualTo(2);
			assertThat(this.tasks.starts).hasSize(1);
		}
		finally {
			worker.stop();
			worker.destroy();
		}
	}

	private WorkerContainer startWorker(DelayQueues delayQueues, WorkerSettings settings) {
		WorkerContainer worker = new WorkerContainer(this.stack.rabbit, this.stack.registry, this.stack.codec,
				this.stack.backend, this.stack.client, this.stack.publisher, this.stack.declarer, delayQueues,
				settings);
		worker.start();
		return worker;
	}

}
