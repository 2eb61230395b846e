package dev.taskqueue.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.TaskTimeoutException;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Stack;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RoundTripIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private Stack stack;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(new Tasks()).build();
		this.stack.startWorker(this.stack.defaultQueue);
	}

	@AfterEach
	void stop() {
		this.stack.close();
	}

	@Test
	void taskSentByNameRunsAndItsResultIsReturned() {
		TaskResult result = this.stack.client.send("test.add", 2, 3);
		assertThat(result.get(TIMEOUT, Integer.class)).isEqualTo(5);
		assertThat(result.getState()).isEqualTo(TaskState.SUCCESS);
	}

	@Test
	void failureCarriesTheRemoteException() {
		TaskResult result = this.stack.client.send("test.divide", 1, 0);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("ArithmeticException");
			assertThat(ex.getExceptionModule()).isEqualTo("java.lang");
			assertThat(ex.getRemoteMessage()).isEqualTo("division by zero");
			assertThat(ex.getRemoteTraceback())
				.contains("at dev.taskqueue.worker.RoundTripIntegrationTests$Tasks.divide");
		});
	}

	@Test
	void aClientListeningBeforeItSendsGetsResultsAndFailures() {
		openResultSubscriptions();
		this.stack.client.setSubscribeBeforeSend(Duration.ofMinutes(1));
		List<String> channels = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			TaskResult result = this.stack.client.send("test.add", i, 3);
			channels.add(this.stack.backend.key(result.getId()));
			assertThat(result.get(TIMEOUT, Integer.class)).isEqualTo(i + 3);
		}
		TaskResult failed = this.stack.client.send("test.divide", 1, 0);
		channels.add(this.stack.backend.key(failed.getId()));
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failed.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage()).isEqualTo("division by zero"));
		assertThat(failed.getState()).isEqualTo(TaskState.FAILURE);
		// Each result delivered ends its subscription.
		Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(subscribers(channels)).containsOnly(0L));
	}

	@Test
	void aClientListeningBeforeItSendsEndsTheSubscriptionsOfResultsNoOneWaitsFor() {
		openResultSubscriptions();
		this.stack.client.setSubscribeBeforeSend(Duration.ofMinutes(1));
		List<String> ids = new ArrayList<>();
		List<String> channels = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ids.add(this.stack.client.send("test.add", i, 3).getId());
			channels.add(this.stack.backend.key(ids.get(i)));
		}
		// Never waited for: each notification ends its subscription.
		Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(subscribers(channels)).containsOnly(0L));
		assertThat(this.stack.client.result(ids.get(4)).get(TIMEOUT, Integer.class)).isEqualTo(7);
	}

	@Test
	void byDefaultASendListensAheadOnlyOnAThreadThatJustWaitedForAResult() throws Exception {
		openResultSubscriptions();
		Tasks.gate = new CountDownLatch(1);
		try {
			String before = this.stack.backend.key(this.stack.client.send("test.wait").getId());
			// No caller waited: the send did not subscribe.
			assertThat(subscribers(List.of(before))).containsOnly(0L);
			assertThat(this.stack.client.send("test.add", 1, 2).get(TIMEOUT, Integer.class)).isEqualTo(3);
			// Another thread, which never waited, does not subscribe.
			CompletableFuture<String> elsewhere = CompletableFuture
				.supplyAsync(() -> this.stack.backend.key(this.stack.client.send("test.wait").getId()));
			String other = elsewhere.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(subscribers(List.of(other))).containsOnly(0L);
			// This thread just waited: its next send subscribes before it returns.
			TaskResult waited = this.stack.client.send("test.wait");
			String after = this.stack.backend.key(waited.getId());
			Awaitility.await()
				.atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(subscribers(List.of(after))).containsOnly(1L));
			Tasks.gate.countDown();
			assertThat(waited.get(TIMEOUT, Integer.class)).isEqualTo(1);
			Awaitility.await()
				.atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(subscribers(List.of(before, other, after))).containsOnly(0L));
		}
		finally {
			Tasks.gate.countDown();
		}
	}

	@Test
	void onceTheQueuesWorkerRepliedAClientListeningAheadHearsResultsWithoutASubscriptionEach() throws Exception {
		openResultSubscriptions();
		Awaitility.await().atMost(TIMEOUT).until(() -> this.stack.backend.replyChannel() != null);
		this.stack.client.setSubscribeBeforeSend(Duration.ofMinutes(1));
		// The first result tells the client that this queue's worker publishes results
		// on its reply channel.
		TaskResult first = this.stack.client.send("test.add", 1, 2);
		assertThat(first.get(TIMEOUT, Integer.class)).isEqualTo(3);
		Tasks.gate = new CountDownLatch(1);
		try {
			List<String> channels = new ArrayList<>();
			List<TaskResult> running = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				TaskResult result = this.stack.client.send("test.wait");
				running.add(result);
				channels.add(this.stack.backend.key(result.getId()));
			}
			// Running (held at the gate), listened for, yet none has a subscription.
			assertThat(subscribers(channels)).containsOnly(0L);
			Tasks.gate.countDown();
			for (TaskResult result : running) {
				assertThat(result.get(TIMEOUT, Integer.class)).isEqualTo(1);
			}
			TaskResult failed = this.stack.client.send("test.divide", 1, 0);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failed.get(TIMEOUT))
				.satisfies((ex) -> assertThat(ex.getRemoteMessage()).isEqualTo("division by zero"));
			assertThat(subscribers(List.of(this.stack.backend.key(failed.getId())))).containsOnly(0L);
		}
		finally {
			Tasks.gate.countDown();
		}
	}

	/**
	 * Wait once, on another thread, for a result that never comes: a first wait opens the
	 * result backend's subscriptions, and sends listen ahead only once they are open (a
	 * send never waits for Redis to open them). This thread has not waited.
	 */
	private void openResultSubscriptions() {
		CompletableFuture
			.runAsync(() -> assertThatExceptionOfType(TaskTimeoutException.class)
				.isThrownBy(() -> this.stack.client.result(UUID.randomUUID().toString()).get(Duration.ofMillis(50))))
			.join();
	}

	@SuppressWarnings("unchecked")
	private List<Long> subscribers(List<String> channels) throws Exception {
		try (RedisConnection connection = this.stack.redis.getConnection()) {
			RedisClusterAsyncCommands<byte[], byte[]> commands = (RedisClusterAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			Map<byte[], Long> counts = commands
				.pubsubNumsub(channels.stream().map((c) -> c.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new))
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			return new ArrayList<>(counts.values());
		}
	}

	static class Tasks {

		static volatile CountDownLatch gate = new CountDownLatch(0);

		@QueueTask("test.wait")
		int await() throws InterruptedException {
			return gate.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS) ? 1 : 0;
		}

		@QueueTask("test.add")
		int add(int x, int y) {
			return x + y;
		}

		@QueueTask("test.divide")
		double divide(double x, double y) {
			if (y == 0) {
				throw new ArithmeticException("division by zero");
			}
			return x / y;
		}

	}

}
