package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.RedisResultBackend;
import dev.taskqueue.result.internal.ResultMeta;
import dev.taskqueue.support.Stack;
import dev.taskqueue.worker.DeadLetterHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What a worker does with a message the broker marks redelivered (an earlier worker took
 * it and went away without acknowledging): skip it when its SUCCESS is already stored,
 * run it again otherwise, and dead-letter it once it has been delivered more than
 * {@code maxDeliveries} times. Redelivery is produced for real: the test takes the
 * message from the queue without acknowledging it and hands it back, as a dying
 * consumer's channel does.
 */
class RedeliveryIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private final Counting tasks = new Counting();

	private Stack stack;

	private String queue;

	@BeforeEach
	void build() {
		this.stack = Stack.builder().tasks(this.tasks).build();
		this.queue = this.stack.defaultQueue;
		this.stack.declarer.declareQueue(this.queue);
	}

	@AfterEach
	void close() {
		this.stack.close();
	}

	@Test
	void redeliveredTaskWhoseSuccessIsStoredIsAcknowledgedWithoutRunningAgain() {
		String id = UUID.randomUUID().toString();
		this.stack.backend.store(success(id, 99));
		send(id, 1, 2);
		redeliver();
		// One consumer, one message at a time: once the marker ran, the first message was
		// handled.
		TaskResult marker = send(UUID.randomUUID().toString(), 5, 5);
		this.stack.startWorker(this.stack.settingsBuilder(List.of(this.queue)).concurrency(1).prefetch(1).build());
		assertThat(marker.get(TIMEOUT)).isEqualTo(10);
		assertThat(this.tasks.calls).containsExactly(marker.getId());
		assertThat(this.stack.client.result(id).get(TIMEOUT)).isEqualTo(99);
		assertQueueEmpty();
	}

	@Test
	void redeliveredTaskWithoutAStoredResultRunsAgain() {
		String id = UUID.randomUUID().toString();
		TaskResult result = send(id, 1, 2);
		redeliver();
		this.stack.startWorker(this.queue);
		assertThat(result.get(TIMEOUT)).isEqualTo(3);
		assertThat(this.tasks.calls).containsExactly(id);
	}

	@Test
	void redeliveredTaskWhoseFailureIsStoredRunsAgain() {
		String id = UUID.randomUUID().toString();
		this.stack.backend.store(new ResultMeta(id, TaskState.FAILURE,
				Map.of("exc_type", "ValueError", "exc_module", "builtins", "exc_message", List.of("earlier")), null,
				List.of(), null, null, null, null, null, null, null, null, null));
		TaskResult result = send(id, 2, 2);
		redeliver();
		this.stack.startWorker(this.queue);
		await().atMost(TIMEOUT).until(() -> this.stack.client.result(id).getState() == TaskState.SUCCESS);
		assertThat(result.get(TIMEOUT)).isEqualTo(4);
		assertThat(this.tasks.calls).containsExactly(id);
	}

	@Test
	void taskDeliveredMoreThanMaxDeliveriesIsDeadLetteredAsFailure() throws Exception {
		String id = UUID.randomUUID().toString();
		TaskResult result = send(id, 1, 2);
		// The first delivery and two redelivered runs ended with their worker.
		this.stack.backend.countRedeliveredRun(id);
		this.stack.backend.countRedeliveredRun(id);
		redeliver();
		this.stack.startWorker(this.stack.settingsBuilder(List.of(this.queue)).maxDeliveries(3).build());
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("WorkerLostError");
			assertThat(ex.getMessage())
				.contains("taskqueue.worker.max-deliveries (3) reached: 3 deliveries ended without the task finishing");
		});
		RabbitTemplate raw = new RabbitTemplate(this.stack.rabbit);
		Message dead = raw.receive(this.queue + QueueDeclarer.DLQ_SUFFIX, TIMEOUT.toMillis());
		assertThat(dead).isNotNull();
		assertThat(dead.getMessageProperties().getHeaders()).containsEntry("id", id);
		assertThat((String) dead.getMessageProperties().getHeader(DeadLetterHeaders.REASON))
			.startsWith("taskqueue.worker.max-deliveries (3) reached: 3 deliveries ended without the task finishing");
		assertThat(this.tasks.calls).isEmpty();
		assertQueueEmpty();
	}

	@Test
	void redeliveryWithinMaxDeliveriesRuns() {
		String id = UUID.randomUUID().toString();
		TaskResult result = send(id, 3, 4);
		this.stack.backend.countRedeliveredRun(id);
		redeliver();
		this.stack.startWorker(this.stack.settingsBuilder(List.of(this.queue)).maxDeliveries(3).build());
		assertThat(result.get(TIMEOUT)).isEqualTo(7);
		assertThat(this.tasks.calls).containsExactly(id);
		assertThat(redis().opsForValue().get(RedisResultBackend.DELIVERIES_KEY_PREFIX + id)).isEqualTo("2");
		assertThat(redis().getExpire(RedisResultBackend.DELIVERIES_KEY_PREFIX + id)).isPositive();
	}

	@Test
	void zeroMaxDeliveriesMeansNoLimit() {
		String id = UUID.randomUUID().toString();
		TaskResult result = send(id, 3, 4);
		for (int i = 0; i < 10; i++) {
			this.stack.backend.countRedeliveredRun(id);
		}
		redeliver();
		this.stack.startWorker(this.stack.settingsBuilder(List.of(this.queue)).maxDeliveries(0).build());
		assertThat(result.get(TIMEOUT)).isEqualTo(7);
		assertThat(this.tasks.calls).containsExactly(id);
	}

	@Test
	void firstDeliveryCountsNothing() {
		String id = UUID.randomUUID().toString();
		TaskResult result = send(id, 1, 1);
		this.stack.startWorker(this.queue);
		assertThat(result.get(TIMEOUT)).isEqualTo(2);
		assertThat(redis().hasKey(RedisResultBackend.DELIVERIES_KEY_PREFIX + id)).isFalse();
	}

	@Test
	void negativeMaxDeliveriesIsRefused() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> WorkerSettings.builder("w", List.of("q")).maxDeliveries(-1))
			.withMessageContaining("maxDeliveries must be 0 (no limit) or more, not -1");
	}

	private TaskResult send(String id, int x, int y) {
		return this.stack.client.send(TaskRequest.builder("redelivery.add").args(x, y).taskId(id).build());
	}

	/**
	 * Take the oldest message without acknowledging it and give it back: it is now
	 * redelivered.
	 */
	private void redeliver() {
		try (Connection connection = this.stack.rabbit.createConnection();
				Channel channel = connection.createChannel(false)) {
			GetResponse response = await().atMost(TIMEOUT)
				.until(() -> channel.basicGet(this.queue, false), (got) -> got != null);
			channel.basicReject(response.getEnvelope().getDeliveryTag(), true);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void assertQueueEmpty() {
		this.stack.workers().forEach(WorkerContainer::stop);
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.stack.admin().getQueueInfo(this.queue).getMessageCount()).isZero());
	}

	private StringRedisTemplate redis() {
		return new StringRedisTemplate(this.stack.redis);
	}

	private static ResultMeta success(String id, Object result) {
		return new ResultMeta(id, TaskState.SUCCESS, result, null, List.of(), null, null, null, null, null, null, null,
				null, null);
	}

	static class Counting {

		final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();

		@QueueTask("redelivery.add")
		int add(int x, int y, TaskContext task) {
			this.calls.add(task.getId());
			return x + y;
		}

	}

}
