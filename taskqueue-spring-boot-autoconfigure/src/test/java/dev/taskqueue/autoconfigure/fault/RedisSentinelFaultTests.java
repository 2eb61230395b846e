package dev.taskqueue.autoconfigure.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.health.TaskQueueHealthContributorAutoConfiguration;
import dev.taskqueue.autoconfigure.health.TaskQueueHealthIndicator;
import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskPublishException;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.TaskTimeoutException;
import dev.taskqueue.control.WorkerDirectory;
import dev.taskqueue.control.WorkerInfo;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.RedisResultBackend;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.PrivateRedis;
import dev.taskqueue.support.PrivateRedisSentinel;
import dev.taskqueue.worker.WorkerContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.amqp.AmqpException;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault suite on a Redis primary, a replica and three sentinels of the class's own, the
 * application finding the primary through Spring Boot's sentinel settings: the primary
 * fails over ({@code SENTINEL FAILOVER}), or its server is killed ({@code SIGKILL}) and
 * the sentinels promote the replica, while tasks are sent and run, and results, chords,
 * unique locks, cluster rate limits, revocations and the worker directory carry on with
 * the new primary. Tasks go through the shared RabbitMQ, on queues of their own.
 */
@ResourceLock(FaultSuite.PRIVATE_SERVERS)
class RedisSentinelFaultTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	private static final Duration SENDING = Duration.ofSeconds(16);

	private static final Duration AHEAD_SENDING = Duration.ofSeconds(9);

	private static final Duration AHEAD_GET_TIMEOUT = Duration.ofSeconds(5);

	@RegisterExtension
	static final PrivateRedisSentinel sentinel = new PrivateRedisSentinel();

	private static final List<String> queues = new ArrayList<>();

	private final String queue = Infrastructure.unique("sentinel");

	@AfterAll
	static void deleteQueues() {
		Infrastructure.deleteQueues(queues.toArray(String[]::new));
	}

	private ApplicationContextRunner worker(String... properties) {
		queues.add(this.queue);
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
					JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
					TaskQueueHealthContributorAutoConfiguration.class))
			.withBean(FaultTasks.class)
			.withPropertyValues("spring.rabbitmq.host=" + Infrastructure.RABBIT_HOST,
					"spring.rabbitmq.port=" + Infrastructure.RABBIT_PORT,
					"spring.data.redis.sentinel.master=" + PrivateRedisSentinel.MASTER,
					"spring.data.redis.sentinel.nodes=" + sentinel.sentinelNodes(), "spring.data.redis.timeout=2s",
					"taskqueue.default-queue=" + this.queue, "taskqueue.worker.redelivery-backoff=200ms",
					"taskqueue.tasks.[fault.sum].rate-limit=50/s",
					"taskqueue.tasks.[fault.sum].rate-limit-scope=cluster")
			.withPropertyValues(properties);
	}

	/**
	 * The sentinels promote the replica and then demote the primary: a write the old
	 * primary took in between is lost (a chord's size or a part's count, which
	 * {@code wait-for-replicas} does not wait for), so a chord sent then may never run
	 * its body, as the documentation says. Results are not lost.
	 */
	@Test
	void primaryFailsOverWhileTasksAreSentAndRun() {
		sendAndRunThrough("fault-redis-failover", sentinel::failover, 2);
	}

	/**
	 * The primary's server dies: nothing hands over, the sentinels notice it is down
	 * ({@code down-after-milliseconds}) and promote the replica, and the killed server,
	 * started again without data, becomes the new primary's replica. Until then the new
	 * primary has no replica, so with {@code wait-for-replicas} no result is acknowledged
	 * and the tasks are delivered again.
	 */
	@Test
	void primaryKilledWhileTasksAreSentAndRun() {
		sendAndRunThrough("fault-redis-kill", () -> {
			PrivateRedis primary = sentinel.primary();
			PrivateRedis replica = sentinel.replica();
			long killed = System.nanoTime();
			primary.stop();
			sentinel.awaitPromoted(replica);
			long promoted = System.nanoTime();
			primary.start();
			sentinel.awaitPromoted(replica);
			System.out.println("Redis primary killed: replica promoted after "
					+ Duration.ofNanos(promoted - killed).toMillis() + " ms, killed server replicating after "
					+ Duration.ofNanos(System.nanoTime() - killed).toMillis() + " ms");
		}, 0);
	}

	/**
	 * One thread sends a task and waits for its result, again and again, so that each
	 * send listens for its result ahead on the backend's pub/sub connection, while the
	 * primary fails over: every wait ends with its result or a clear error, none hangs,
	 * and afterwards the results are listened for ahead again, on the new primary.
	 */
	@Test
	void resultsListenedForAheadCarryOnThroughAFailover() {
		worker("taskqueue.worker.concurrency=2").run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			TaskQueueHealthIndicator health = context.getBean(TaskQueueHealthIndicator.class);
			await().atMost(TIMEOUT).until(() -> health.health().getStatus().equals(Status.UP));
			PrivateRedis primary = sentinel.primary();
			AtomicReference<Throwable> faultFailure = new AtomicReference<>();
			Thread fault = new Thread(() -> {
				try {
					Thread.sleep(AHEAD_SENDING.toMillis() / 3);
					sentinel.failover();
				}
				catch (Throwable ex) {
					faultFailure.set(ex);
				}
			}, "fault-redis-failover-ahead");
			long start = System.nanoTime();
			fault.start();
			int received = 0;
			long longestWait = 0;
			Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
			for (int i = 0; System.nanoTime() - start < AHEAD_SENDING.toNanos() || fault.isAlive(); i++) {
				long began = System.nanoTime();
				try {
					TaskResult result = client.send("fault.noop", i);
					assertThat(result.get(AHEAD_GET_TIMEOUT, Integer.class)).isEqualTo(i);
					received++;
				}
				catch (TaskTimeoutException | TaskPublishException | AmqpException | DataAccessException ex) {
					errors.computeIfAbsent(ex.getClass().getSimpleName(), (name) -> new AtomicInteger())
						.incrementAndGet();
				}
				longestWait = Math.max(longestWait, System.nanoTime() - began);
			}
			fault.join(TIMEOUT.toMillis());
			assertThat(faultFailure.get()).isNull();
			PrivateRedis newPrimary = sentinel.primary();
			assertThat(newPrimary).isNotSameAs(primary);
			System.out.println("Sent and waited for " + received + " results while Redis failed over, "
					+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms; longest send and wait "
					+ Duration.ofNanos(longestWait).toMillis() + " ms; errors " + errors);
			assertThat(received).isPositive();
			// A wait ends within its timeout, plus the read of the result that may
			// follow it (at most the command timeout, 2 s, while Redis fails over): this
			// bound, twice the timeout, only tells a hang from a wait.
			assertThat(Duration.ofNanos(longestWait)).isLessThan(AHEAD_GET_TIMEOUT.multipliedBy(2));
			// Listening ahead again, on the new primary: the client's reply channel,
			// which
			// the worker publishes results on, is subscribed to there, or the result's
			// own
			// channel is while the task runs; the result comes, and no subscription is
			// left. The client listens ahead for a thread that waited for a result within
			// the last second: this one, again.
			assertThat(client.send("fault.noop", -1).get(TIMEOUT)).isEqualTo(-1);
			String replyChannel = context.getBean(RedisResultBackend.class).replyChannel();
			assertThat(replyChannel).isNotNull();
			String tag = Infrastructure.unique("ahead");
			TaskResult sleeping = client.send("fault.sleep", tag, 1000);
			String channel = RedisResultBackend.TASK_KEY_PREFIX + sleeping.getId();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(newPrimary.command("PUBSUB", "NUMSUB", channel)
						+ newPrimary.command("PUBSUB", "NUMSUB", replyChannel))
					.containsPattern("\n1\n"));
			assertThat(sleeping.get(TIMEOUT)).isEqualTo(tag);
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(newPrimary.command("PUBSUB", "NUMSUB", channel)).endsWith("\n0\n"));
		});
	}

	/**
	 * Send tasks and chords while a fault fails Redis over, then check every task's
	 * result, the chords, and what else lives in Redis.
	 * @param faultName the fault thread's name
	 * @param failover the fault
	 * @param lostChords how many chords sent during the fault may never run their body
	 */
	private void sendAndRunThrough(String faultName, Runnable failover, int lostChords) {
		worker("taskqueue.worker.concurrency=4", "taskqueue.worker.prefetch=50", "taskqueue.result.wait-for-replicas=1")
			.run((context) -> {
				TaskClient client = context.getBean(TaskClient.class);
				TaskQueueHealthIndicator health = context.getBean(TaskQueueHealthIndicator.class);
				await().atMost(TIMEOUT).until(() -> health.health().getStatus().equals(Status.UP));
				PrivateRedis primary = sentinel.primary();
				Set<String> confirmed = ConcurrentHashMap.newKeySet();
				List<TaskResult> chords = new ArrayList<>();
				Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
				AtomicReference<Throwable> faultFailure = new AtomicReference<>();
				long start = System.nanoTime();
				Thread fault = new Thread(() -> {
					try {
						Thread.sleep(SENDING.toMillis() / 3);
						failover.run();
					}
					catch (Throwable ex) {
						faultFailure.set(ex);
					}
				}, faultName);
				fault.start();
				int sent = 0;
				while (System.nanoTime() - start < SENDING.toNanos() || fault.isAlive()) {
					try {
						if (sent % 100 == 0) {
							// A chord's parts count in Redis; its body is rate-limited in
							// Redis.
							chords
								.add(client.chord(List.of(Signature.of("fault.noop", 1), Signature.of("fault.noop", 2),
										Signature.of("fault.noop", 3)), Signature.of("fault.sum"))
									.send());
						}
						else {
							confirmed.add(client.send("fault.noop", sent).getId());
						}
					}
					catch (TaskPublishException | AmqpException | DataAccessException ex) {
						failures.computeIfAbsent(ex.getClass().getSimpleName(), (name) -> new AtomicInteger())
							.incrementAndGet();
						Thread.sleep(50);
					}
					sent++;
					Thread.sleep(2);
				}
				fault.join(TIMEOUT.toMillis());
				assertThat(faultFailure.get()).isNull();
				assertThat(sentinel.primary()).isNotSameAs(primary);
				System.out.println("Sent " + sent + " tasks and chords while Redis failed over (" + faultName + ") in "
						+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms: " + confirmed.size()
						+ " tasks and " + chords.size() + " chords confirmed, refused " + failures);
				FaultSuite.assertAllSucceeded(context.getBean(RedisConnectionFactory.class), confirmed);
				// Every part has its result now: a chord whose body did not run by the
				// deadline lost a write on the old primary.
				long deadline = System.nanoTime() + TIMEOUT.toNanos();
				List<String> lost = new ArrayList<>();
				for (TaskResult chord : chords) {
					try {
						assertThat(chord.get(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000_000L))))
							.isEqualTo(6);
					}
					catch (TaskTimeoutException ex) {
						lost.add(chord.getId());
					}
				}
				assertThat(lost).as("chords whose body never ran (of %d)", chords.size())
					.hasSizeLessThanOrEqualTo(lostChords);
				afterFailover(context, client);
			});
	}

	/** What lives in Redis besides results works on the new primary. */
	private void afterFailover(AssertableApplicationContext context, TaskClient client) {
		FaultTasks tasks = context.getBean(FaultTasks.class);
		// Unique locks: a duplicate of a pending call sends nothing.
		String uniqueId = Infrastructure.unique("unique");
		TaskRequest unique = TaskRequest.builder("fault.sleep")
			.args("unique", 500)
			.taskId(uniqueId)
			.unique(Duration.ofMinutes(1))
			.build();
		assertThat(client.send(unique).getId()).isEqualTo(uniqueId);
		assertThat(client.send(unique).getId()).isEqualTo(uniqueId);
		assertThat(client.result(uniqueId).get(TIMEOUT)).isEqualTo("unique");
		assertThat(tasks.runs.get(uniqueId)).hasValue(1);
		// Revocations: a revoked task waiting for its countdown never runs.
		TaskResult revoked = client
			.send(TaskRequest.builder("fault.noop").args(7).countdown(Duration.ofSeconds(3)).build());
		client.revoke(revoked.getId());
		await().atMost(TIMEOUT).until(() -> client.result(revoked.getId()).getState() == TaskState.REVOKED);
		assertThat(tasks.runs).doesNotContainKey(revoked.getId());
		// The worker directory: the worker's heartbeat is written to the new primary.
		String name = context.getBean(WorkerContainer.class).getSettings().name();
		await().atMost(TIMEOUT)
			.until(() -> context.getBean(WorkerDirectory.class)
				.list()
				.stream()
				.map(WorkerInfo::name)
				.anyMatch(name::equals));
		await().atMost(TIMEOUT)
			.until(() -> context.getBean(TaskQueueHealthIndicator.class).health().getStatus().equals(Status.UP));
	}

}
