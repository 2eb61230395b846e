package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.client.TaskPublishException;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.internal.UniqueLocks;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Unique tasks (celery-once): a duplicate sent while the first is pending publishes
 * nothing and answers with the first task's result; the lock goes when the task is
 * settled or expires.
 */
class UniqueTaskIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final GatedTasks tasks = new GatedTasks();

	private Stack stack;

	private StringRedisTemplate redis;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(this.tasks).build();
		this.redis = new StringRedisTemplate(this.stack.redis);
	}

	@AfterEach
	void stop() {
		this.tasks.gate.countDown();
		this.stack.close();
	}

	@Test
	void duplicateByArgsWhilePendingPublishesNothingAndAnswersWithTheFirstResult() {
		this.stack.startWorker(this.stack.defaultQueue);
		String payload = UUID.randomUUID().toString();
		TaskResult first = this.stack.client.send(byArgs("unique.gated", payload));
		await().atMost(TIMEOUT).until(() -> this.tasks.calls.contains(payload));
		TaskResult duplicate = this.stack.client.send(byArgs("unique.gated", payload));
		assertThat(duplicate.getId()).isEqualTo(first.getId());
		assertThat(duplicate.getState()).isEqualTo(TaskState.PENDING);
		// Other arguments are another task.
		TaskResult other = this.stack.client.send(byArgs("unique.gated", payload + "-other"));
		assertThat(other.getId()).isNotEqualTo(first.getId());
		this.tasks.gate.countDown();
		assertThat(first.get(TIMEOUT)).isEqualTo(payload);
		assertThat(duplicate.get(TIMEOUT)).isEqualTo(payload);
		assertThat(other.get(TIMEOUT)).isEqualTo(payload + "-other");
		assertThat(this.tasks.calls).containsExactlyInAnyOrder(payload, payload + "-other");
		// Settled: the lock is gone and the same call is sent again.
		String key = this.stack.uniqueLocks.keyOf(byArgs("unique.gated", payload), first.getId());
		await().atMost(TIMEOUT).until(() -> !Boolean.TRUE.equals(this.redis.hasKey(key)));
		TaskResult again = this.stack.client.send(byArgs("unique.gated", payload));
		assertThat(again.getId()).isNotEqualTo(first.getId());
		assertThat(again.get(TIMEOUT)).isEqualTo(payload);
	}

	@Test
	void kwargsInAnotherOrderAreTheSameCall() {
		TaskRequest one = TaskRequest.builder("unique.kw")
			.kwarg("a", 1)
			.kwarg("b", Map.of("x", 1, "y", 2))
			.uniqueByArgs(Duration.ofMinutes(1))
			.build();
		TaskRequest two = TaskRequest.builder("unique.kw")
			.kwarg("b", Map.of("y", 2, "x", 1))
			.kwarg("a", 1)
			.uniqueByArgs(Duration.ofMinutes(1))
			.build();
		assertThat(this.stack.uniqueLocks.keyOf(one, "id-1")).isEqualTo(this.stack.uniqueLocks.keyOf(two, "id-2"))
			.startsWith("taskqueue-unique-");
	}

	@Test
	void duplicateByIdPublishesNothing() {
		String id = "invoice-" + UUID.randomUUID();
		TaskResult first = this.stack.client
			.send(TaskRequest.builder("unique.gated").args("a").taskId(id).unique(Duration.ofMinutes(1)).build());
		TaskResult duplicate = this.stack.client
			.send(TaskRequest.builder("unique.gated").args("b").taskId(id).unique(Duration.ofMinutes(1)).build());
		assertThat(duplicate.getId()).isEqualTo(first.getId()).isEqualTo(id);
		assertThat(messagesIn(this.stack.defaultQueue)).isEqualTo(1);
	}

	@Test
	void lockExpiresAfterItsTtlWithoutAWorker() {
		String payload = UUID.randomUUID().toString();
		TaskRequest request = TaskRequest.builder("unique.gated")
			.args(payload)
			.uniqueByArgs(Duration.ofMillis(1500))
			.build();
		TaskResult first = this.stack.client.send(request);
		String key = this.stack.uniqueLocks.keyOf(request, first.getId());
		assertThat(this.redis.opsForValue().get(key)).isEqualTo(first.getId());
		assertThat(this.redis.getExpire(key, TimeUnit.MILLISECONDS)).isPositive().isLessThanOrEqualTo(1500);
		assertThat(this.stack.client.send(request).getId()).isEqualTo(first.getId());
		await().atMost(TIMEOUT).until(() -> !Boolean.TRUE.equals(this.redis.hasKey(key)));
		assertThat(this.stack.client.send(request).getId()).isNotEqualTo(first.getId());
		assertThat(messagesIn(this.stack.defaultQueue)).isEqualTo(2);
	}

	@Test
	void lockIsReleasedWhenTheTaskFails() {
		this.stack.startWorker(this.stack.defaultQueue);
		TaskRequest request = byArgs("unique.fails", UUID.randomUUID().toString());
		TaskResult first = this.stack.client.send(request);
		await().atMost(TIMEOUT).until(() -> first.getState() == TaskState.FAILURE);
		String key = this.stack.uniqueLocks.keyOf(request, first.getId());
		await().atMost(TIMEOUT).until(() -> !Boolean.TRUE.equals(this.redis.hasKey(key)));
		assertThat(this.stack.client.send(request).getId()).isNotEqualTo(first.getId());
	}

	@Test
	void redisDownOnAUniqueSendIsAClearErrorAndPublishesNothing() {
		// A port nothing listens on: the lock cannot be taken.
		LettuceConnectionFactory down = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 1));
		down.afterPropertiesSet();
		down.start();
		try {
			this.stack.client.setUniqueLocks(new UniqueLocks(down, "", this.stack.mapper));
			assertThatExceptionOfType(TaskPublishException.class)
				.isThrownBy(() -> this.stack.client.send(byArgs("unique.gated", "x")))
				.withMessageContaining("Cannot take the unique lock")
				.withMessageContaining("nothing was sent");
			assertThat(messagesIn(this.stack.defaultQueue)).isZero();
		}
		finally {
			down.destroy();
		}
	}

	private static TaskRequest byArgs(String task, String payload) {
		return TaskRequest.builder(task).args(payload).uniqueByArgs(Duration.ofMinutes(1)).build();
	}

	private long messagesIn(String queue) {
		var info = this.stack.admin().getQueueInfo(queue);
		return (info != null) ? info.getMessageCount() : 0;
	}

	static class GatedTasks {

		final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();

		final CountDownLatch gate = new CountDownLatch(1);

		@QueueTask("unique.gated")
		String gated(String payload) throws InterruptedException {
			this.calls.add(payload);
			this.gate.await(30, TimeUnit.SECONDS);
			return payload;
		}

		@QueueTask(name = "unique.fails", maxRetries = 0)
		void fails(String payload) {
			throw new IllegalStateException("failed " + payload);
		}

	}

}
