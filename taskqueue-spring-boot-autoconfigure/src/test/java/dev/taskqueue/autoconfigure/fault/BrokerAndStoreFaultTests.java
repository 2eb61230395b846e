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
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskPublishException;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.PrivateRabbit;
import dev.taskqueue.support.PrivateRedis;
import dev.taskqueue.support.PrivateServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.amqp.AmqpException;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault suite, part two: the broker restarts and the result store goes away while a
 * worker (the auto-configured one, in this JVM, so its health can be read) runs tasks.
 * Both servers are private to this class.
 */
@ResourceLock(FaultSuite.PRIVATE_SERVERS)
class BrokerAndStoreFaultTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	private static final int TASKS = 10_000;

	@RegisterExtension
	static final PrivateServers servers = new PrivateServers();

	private static final PrivateRabbit rabbit = servers.rabbit();

	private static final PrivateRedis redis = servers.redis();

	private final String queue = Infrastructure.unique("fault");

	private ApplicationContextRunner worker(String... properties) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
					JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class,
					TaskQueueHealthContributorAutoConfiguration.class))
			.withBean(FaultTasks.class)
			// Without a command timeout, Lettuce would hold every command for a minute
			// while Redis is away.
			.withPropertyValues(FaultSuite.properties(rabbit, redis, this.queue, "spring.data.redis.timeout=2s"))
			.withPropertyValues(properties);
	}

	@Test
	void brokerRestartWhileDispatchingTenThousandTasks() {
		worker("taskqueue.worker.concurrency=4", "taskqueue.worker.prefetch=50").run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			TaskQueueHealthIndicator health = context.getBean(TaskQueueHealthIndicator.class);
			await().atMost(TIMEOUT).until(() -> health.health().getStatus().equals(Status.UP));
			Set<String> confirmed = ConcurrentHashMap.newKeySet();
			Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
			AtomicReference<Throwable> restartFailure = new AtomicReference<>();
			Thread restarter = new Thread(() -> {
				try {
					await().atMost(TIMEOUT).until(() -> confirmed.size() >= 1500);
					rabbit.stop();
					rabbit.start();
				}
				catch (Throwable ex) {
					restartFailure.set(ex);
				}
			}, "fault-rabbit-restarter");
			restarter.start();
			long start = System.nanoTime();
			for (int i = 0; i < TASKS; i++) {
				try {
					confirmed.add(client.send("fault.noop", i).getId());
				}
				catch (TaskPublishException | AmqpException ex) {
					failures.computeIfAbsent(ex.getClass().getSimpleName(), (name) -> new AtomicInteger())
						.incrementAndGet();
					// The broker is down: a dispatcher would back off too.
					Thread.sleep(10);
				}
			}
			restarter.join(TIMEOUT.toMillis());
			assertThat(restartFailure.get()).isNull();
			int failed = failures.values().stream().mapToInt(AtomicInteger::get).sum();
			System.out.println("Dispatched " + TASKS + " tasks across a broker restart in "
					+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms: " + confirmed.size()
					+ " confirmed, " + failed + " refused " + failures);
			assertThat(confirmed.size() + failed).isEqualTo(TASKS);
			assertThat(failed).as("sends refused while the broker was down").isPositive();
			FaultTasks tasks = context.getBean(FaultTasks.class);
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(tasks.runs.keySet()).containsAll(confirmed));
			FaultSuite.assertAllSucceeded(context.getBean(RedisConnectionFactory.class), confirmed);
			await().atMost(TIMEOUT).until(() -> health.health().getStatus().equals(Status.UP));
		});
	}

	@Test
	void resultStoreOutageWhileTasksRun() {
		worker("taskqueue.worker.concurrency=2", "taskqueue.worker.prefetch=4").run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			TaskQueueHealthIndicator health = context.getBean(TaskQueueHealthIndicator.class);
			FaultTasks tasks = context.getBean(FaultTasks.class);
			assertThat(client.send("fault.noop", -1).get(TIMEOUT)).isEqualTo(-1);
			redis.stop();
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				ids.add(client.send("fault.noop", i).getId());
			}
			await().atMost(TIMEOUT).until(() -> health.health().getStatus().equals(Status.DOWN));
			Map<?, ?> store = (Map<?, ?>) health.health().getDetails().get("resultStore");
			assertThat(store.get("status")).isEqualTo("DOWN");
			// The tasks ran, but their results could not be stored: none may be
			// acknowledged.
			await().atMost(TIMEOUT).until(() -> ids.stream().filter(tasks.runs::containsKey).count() >= 2);
			redis.start();
			// The restarted Redis is empty, so every result in it was stored after it
			// came back:
			// a task acknowledged without its result would be missing for good.
			FaultSuite.assertAllSucceeded(context.getBean(RedisConnectionFactory.class), ids);
			assertThat(tasks.runs.keySet()).containsAll(ids);
			await().atMost(TIMEOUT).until(() -> health.health().getStatus().equals(Status.UP));
		});
	}

}
