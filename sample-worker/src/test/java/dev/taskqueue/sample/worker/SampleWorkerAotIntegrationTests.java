package dev.taskqueue.sample.worker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.ManagedProcesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The sample worker as Spring AOT prepared it at build time (the {@code process-aot}
 * goal), run on the JVM in AOT mode in a process of its own, doing the tutorial's
 * scenarios sent by a client context that does not consume.
 */
@SpringBootTest(classes = SampleWorkerApplication.class,
		properties = { "taskqueue.worker.auto-startup=false", "spring.main.web-application-type=none" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleWorkerAotIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String DIVIDE_QUEUE = Infrastructure.unique("aot-divide");

	private static final String ERROR_QUEUE = Infrastructure.unique("aot-error");

	private static final String INITIALIZER = SampleWorkerApplication.class.getName()
			+ "__ApplicationContextInitializer";

	@DynamicPropertySource
	static void uniqueQueues(DynamicPropertyRegistry registry) {
		registry.add("taskqueue.routes[worker.divide].queue", () -> DIVIDE_QUEUE);
		registry.add("taskqueue.routes[worker.error_handler].queue", () -> ERROR_QUEUE);
	}

	@Autowired
	private TaskClient client;

	private Process worker;

	private Path log;

	@BeforeAll
	void startTheAotWorker() throws IOException {
		assertThat(ClassUtils.isPresent(INITIALIZER, getClass().getClassLoader()))
			.as("the build's process-aot output (" + INITIALIZER + ") on the class path")
			.isTrue();
		this.log = Files.createTempFile("sample-worker-aot-", ".log");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		this.worker = ManagedProcesses.register(new ProcessBuilder(java, "-Xmx128m", "-Dspring.aot.enabled=true", "-cp",
				System.getProperty("java.class.path"), SampleWorkerApplication.class.getName(), "--server.port=0",
				"--taskqueue.routes[worker.divide].queue=" + DIVIDE_QUEUE,
				"--taskqueue.routes[worker.error_handler].queue=" + ERROR_QUEUE,
				"--taskqueue.worker.queues=" + DIVIDE_QUEUE + "," + ERROR_QUEUE, "--taskqueue.worker.mingle=false")
			.redirectErrorStream(true)
			.redirectOutput(this.log.toFile())
			.start());
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
			assertThat(this.worker.isAlive()).as("the AOT worker is running; its log:%n%s", log()).isTrue();
			assertThat(log()).contains("Started SampleWorkerApplication");
		});
	}

	@AfterAll
	void stopTheAotWorker() throws InterruptedException {
		if (this.worker != null) {
			this.worker.destroy();
			if (!this.worker.waitFor(20, TimeUnit.SECONDS)) {
				ManagedProcesses.kill(this.worker);
			}
			ManagedProcesses.forget(this.worker);
		}
		Infrastructure.deleteQueues(DIVIDE_QUEUE, ERROR_QUEUE);
	}

	@Test
	@SuppressWarnings("unchecked")
	void aotProcessedWorkerRunsTheTutorialScenarios() {
		assertThat(log()).contains("Starting AOT-processed SampleWorkerApplication");
		// divide, as Celery's divide.delay(16, 2)
		assertThat(this.client.send("worker.divide", 16, 2).get(TIMEOUT, Double.class)).isEqualTo(8.0);
		// a callback: divide.apply_async((16, 2), link=divide.s(2))
		TaskResult linked = this.client
			.send(TaskRequest.builder("worker.divide").args(16, 2).link(Signature.of("worker.divide", 2)).build());
		assertThat(linked.get(TIMEOUT, Double.class)).isEqualTo(8.0);
		// an errback that reads the failed call's arguments
		TaskResult failed = this.client.send(TaskRequest.builder("worker.divide")
			.args(1, 0)
			.linkError(Signature.of("worker.error_handler"))
			.build());
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failed.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("ArithmeticException"));
		Map<String, Object> report = this.client.send("worker.error_handler", failed.getId()).get(TIMEOUT, Map.class);
		assertThat(report).containsEntry("name", "worker.divide").containsEntry("args", List.of(1, 0));
		// a countdown, waiting in the broker
		TaskResult later = this.client
			.send(TaskRequest.builder("worker.divide").args(9, 3).countdown(Duration.ofSeconds(2)).build());
		assertThat(later.get(TIMEOUT, Double.class)).isEqualTo(3.0);
		assertThat(this.worker.isAlive()).isTrue();
	}

	private String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
