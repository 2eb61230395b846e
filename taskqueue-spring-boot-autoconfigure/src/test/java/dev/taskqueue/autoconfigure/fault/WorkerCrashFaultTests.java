package dev.taskqueue.autoconfigure.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.PrivateRabbit;
import dev.taskqueue.support.PrivateRedis;
import dev.taskqueue.support.PrivateServers;
import dev.taskqueue.worker.DeadLetterHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Fault suite, part one: worker JVMs that die. Each worker is a Spring Boot application
 * in a JVM of its own, on a private RabbitMQ node and a private Redis; tasks go in from
 * this JVM and every one of them must come out completed, at least once.
 */
@ResourceLock(FaultSuite.PRIVATE_SERVERS)
class WorkerCrashFaultTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	@RegisterExtension
	static final PrivateServers servers = new PrivateServers();

	private static final PrivateRabbit rabbit = servers.rabbit();

	private static final PrivateRedis redis = servers.redis();

	private static CachingConnectionFactory connectionFactory;

	private final String queue = Infrastructure.unique("fault");

	private final List<WorkerProcess> workers = new ArrayList<>();

	@BeforeAll
	static void connect() {
		connectionFactory = new CachingConnectionFactory("127.0.0.1", rabbit.port);
	}

	@AfterAll
	static void disconnect() {
		if (connectionFactory != null) {
			connectionFactory.destroy();
		}
	}

	@AfterEach
	void stopWorkers() {
		this.workers.forEach(WorkerProcess::close);
	}

	@Test
	void tasksOfAWorkerKilledMidTaskAreRedeliveredToAnotherWorkerAndComplete() {
		WorkerProcess first = worker("taskqueue.worker.concurrency=2", "taskqueue.worker.prefetch=2");
		FaultSuite.client(rabbit, redis, this.queue).run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			List<TaskResult> results = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				results.add(client.send("fault.sleep", "t" + i, 400));
			}
			await().atMost(TIMEOUT).until(() -> first.started().size() >= 3);
			first.kill();
			Set<String> inFlight = new HashSet<>(first.started());
			inFlight.removeAll(first.finished());
			assertThat(inFlight).as("tasks running when the worker was killed").isNotEmpty();
			WorkerProcess second = worker("taskqueue.worker.concurrency=2", "taskqueue.worker.prefetch=2");
			for (int i = 0; i < results.size(); i++) {
				assertThat(results.get(i).get(TIMEOUT)).isEqualTo("t" + i);
			}
			assertThat(second.started()).containsAll(inFlight);
			Set<String> ran = new HashSet<>(first.started());
			ran.addAll(second.started());
			assertThat(ran).containsExactlyInAnyOrderElementsOf(results.stream().map(TaskResult::getId).toList());
			second.terminate(TIMEOUT);
			assertQueues(0, 0);
		});
	}

	@Test
	void poisonTaskIsDeadLetteredAfterMaxDeliveriesWhileOtherTasksKeepFlowing() {
		FaultSuite.client(rabbit, redis, this.queue).run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			List<TaskResult> results = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				results.add(client.send("fault.sleep", "before" + i, 100));
			}
			TaskResult poison = client.send("fault.halt");
			for (int i = 0; i < 5; i++) {
				results.add(client.send("fault.sleep", "after" + i, 100));
			}
			int deaths = 0;
			List<String> poisonRuns = new ArrayList<>();
			for (int attempt = 0; attempt < 5 && !isDone(poison, results); attempt++) {
				WorkerProcess worker = worker("taskqueue.worker.max-deliveries=2", "taskqueue.worker.concurrency=2",
						"taskqueue.worker.prefetch=1");
				try {
					await().atMost(TIMEOUT).until(() -> !worker.isAlive() || isDone(poison, results));
				}
				catch (RuntimeException ex) {
					throw new AssertionError("poison " + poison.getState() + ", others "
							+ results.stream().map(TaskResult::getState).toList() + "; worker output:\n"
							+ worker.output(), ex);
				}
				if (!worker.isAlive()) {
					assertThat(worker.awaitExit(TIMEOUT)).isEqualTo(137);
					deaths++;
				}
				worker.started().stream().filter(poison.getId()::equals).forEach(poisonRuns::add);
			}
			assertThat(deaths).as("workers the poison task killed").isEqualTo(2);
			assertThat(poisonRuns).as("runs of the poison task").hasSize(2);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> poison.get(TIMEOUT))
				.satisfies((ex) -> {
					assertThat(ex.getExceptionType()).isEqualTo("WorkerLostError");
					assertThat(ex.getMessage())
						.contains("taskqueue.worker.max-deliveries (2) reached: 2 deliveries ended");
				});
			for (TaskResult result : results) {
				assertThat(result.get(TIMEOUT)).asString().matches("(before|after)\\d");
			}
			Message dead = new RabbitTemplate(connectionFactory).receive(this.queue + ".dlq", 10_000);
			assertThat(dead).isNotNull();
			assertThat(dead.getMessageProperties().getHeaders()).containsEntry("id", poison.getId());
			assertThat((String) dead.getMessageProperties().getHeader(DeadLetterHeaders.REASON))
				.contains("max-deliveries");
			this.workers.get(this.workers.size() - 1).terminate(TIMEOUT);
			assertQueues(0, 0);
		});
	}

	@Test
	void sigtermLetsRunningTasksFinishAndReturnsPrefetchedOnesUnacknowledged() {
		WorkerProcess first = worker("taskqueue.worker.concurrency=1", "taskqueue.worker.prefetch=4",
				"spring.lifecycle.timeout-per-shutdown-phase=30s");
		FaultSuite.client(rabbit, redis, this.queue).run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			List<TaskResult> results = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				results.add(client.send("fault.sleep", "t" + i, 2000));
			}
			await().atMost(TIMEOUT).until(() -> first.started().size() == 1);
			assertThat(first.terminate(TIMEOUT)).isEqualTo(143);
			assertThat(first.started()).hasSize(1);
			assertThat(first.finished()).as(first.output()).isEqualTo(first.started());
			String finished = first.finished().get(0);
			assertThat(client.result(finished).getState()).isEqualTo(TaskState.SUCCESS);
			results.stream()
				.filter((result) -> !result.getId().equals(finished))
				.forEach((result) -> assertThat(result.getState()).isEqualTo(TaskState.PENDING));
			assertQueues(4, 0);
			WorkerProcess second = worker("taskqueue.worker.concurrency=2");
			for (int i = 0; i < results.size(); i++) {
				assertThat(results.get(i).get(TIMEOUT)).isEqualTo("t" + i);
			}
			assertThat(second.started()).hasSize(4).doesNotContain(finished);
			second.terminate(TIMEOUT);
			assertQueues(0, 0);
		});
	}

	@Test
	void sigtermReturnsTasksStillRunningWhenTheShutdownPhaseTimesOut() {
		WorkerProcess first = worker("taskqueue.worker.concurrency=1", "taskqueue.worker.prefetch=1",
				"spring.lifecycle.timeout-per-shutdown-phase=1s");
		FaultSuite.client(rabbit, redis, this.queue).run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			TaskResult result = client.send("fault.sleep", "long", 12_000);
			await().atMost(TIMEOUT).until(() -> first.started().size() == 1);
			long start = System.nanoTime();
			first.terminate(TIMEOUT);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to stop")
				.isLessThan(Duration.ofSeconds(10));
			assertThat(first.finished()).isEmpty();
			assertThat(result.getState()).isEqualTo(TaskState.PENDING);
			assertQueues(1, 0);
			WorkerProcess second = worker("taskqueue.worker.concurrency=1");
			assertThat(result.get(TIMEOUT)).isEqualTo("long");
			assertThat(second.started()).containsExactly(result.getId());
			second.terminate(TIMEOUT);
			assertQueues(0, 0);
		});
	}

	private WorkerProcess worker(String... properties) {
		WorkerProcess worker = WorkerProcess.start(FaultSuite.properties(rabbit, redis, this.queue, properties));
		this.workers.add(worker);
		return worker;
	}

	private static boolean isDone(TaskResult poison, List<TaskResult> results) {
		return poison.getState() == TaskState.FAILURE
				&& results.stream().allMatch((result) -> result.getState() == TaskState.SUCCESS);
	}

	private void assertQueues(int messages, int deadLetters) {
		RabbitAdmin admin = new RabbitAdmin(connectionFactory);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(admin.getQueueInfo(this.queue).getMessageCount()).isEqualTo(messages);
			assertThat(admin.getQueueInfo(this.queue + ".dlq").getMessageCount()).isEqualTo(deadLetters);
		});
	}

}
