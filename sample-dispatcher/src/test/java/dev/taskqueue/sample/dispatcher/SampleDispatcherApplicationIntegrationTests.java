package dev.taskqueue.sample.dispatcher;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskFailure;
import dev.taskqueue.worker.WorkerContainer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The dispatcher's HTTP API and scenarios, called for real: the application runs on a
 * random port with the worker switched on for this test only, consuming queues of its
 * own, and runs the test's stand-ins for the sample worker's tasks.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "taskqueue.worker.enabled=true")
@Import(SampleDispatcherApplicationIntegrationTests.WorkerTasks.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class SampleDispatcherApplicationIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);

	private static final String DIVIDE_QUEUE = Infrastructure.unique("divide");

	private static final String ERROR_QUEUE = Infrastructure.unique("error");

	@DynamicPropertySource
	static void uniqueQueues(DynamicPropertyRegistry registry) {
		registry.add("taskqueue.routes[worker.divide].queue", () -> DIVIDE_QUEUE);
		registry.add("taskqueue.routes[worker.error_handler].queue", () -> ERROR_QUEUE);
		registry.add("taskqueue.worker.queues", () -> DIVIDE_QUEUE + "," + ERROR_QUEUE);
	}

	@LocalServerPort
	private int port;

	@Autowired
	private ScenarioRunner scenarios;

	@Autowired
	private WorkerContainer worker;

	private RestClient http;

	@BeforeEach
	void httpClient() {
		this.http = RestClient.create("http://127.0.0.1:" + this.port);
	}

	@AfterAll
	void deleteQueues() {
		this.worker.stop();
		Infrastructure.deleteQueues(DIVIDE_QUEUE, ERROR_QUEUE);
	}

	@Test
	void postDivideAnswersAcceptedWithTheTaskIdAndItsLocation() {
		ResponseEntity<Map<String, Object>> response = this.http.post()
			.uri("/tasks/divide?x={x}&y={y}", 1, 2)
			.retrieve()
			.toEntity(JSON_OBJECT);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(response.getBody()).containsOnlyKeys("id");
		assertThat(response.getHeaders().getLocation()).hasToString("/tasks/" + response.getBody().get("id"));
	}

	@Test
	void getTaskGivesTheResultOfASucceededDivide() {
		String id = postDivide(16, 2);
		Map<String, Object> task = awaitReady(id);
		assertThat(task).containsEntry("id", id)
			.containsEntry("state", "SUCCESS")
			.containsEntry("result", 8.0)
			.doesNotContainKey("error");
	}

	@Test
	@SuppressWarnings("unchecked")
	void getTaskGivesTheErrorOfAFailedDivide() {
		String id = postDivide(1, 0);
		Map<String, Object> task = awaitReady(id);
		assertThat(task).containsEntry("id", id).containsEntry("state", "FAILURE").doesNotContainKey("result");
		Map<String, Object> error = (Map<String, Object>) task.get("error");
		assertThat(error).containsEntry("type", "ArithmeticException")
			.containsEntry("module", "java.lang")
			.containsEntry("message", "division by zero");
		assertThat((String) error.get("traceback")).startsWith("java.lang.ArithmeticException: division by zero")
			.contains("Tasks.divide");
	}

	@Test
	void getTaskOfAnUnknownIdIsPendingAsInCelery() {
		Map<String, Object> task = getTask("no-such-task-" + SUFFIX);
		assertThat(task).containsEntry("state", "PENDING").containsEntry("result", null);
	}

	@Test
	void postDivideWithoutADivisorIsABadRequest() {
		assertThatExceptionOfType(HttpClientErrorException.BadRequest.class)
			.isThrownBy(() -> this.http.post().uri("/tasks/divide?x=1").retrieve().toBodilessEntity());
	}

	@Test
	void scenariosDoNotRunWithoutBeingAskedFor() {
		assertThat(this.scenarios.hasRun()).isFalse();
	}

	@Test
	void everyTutorialScenarioGivesItsExpectedOutcome() {
		List<ScenarioVerdict> verdicts = this.scenarios.runAll(TutorialScenarios.all());
		assertThat(verdicts).extracting((verdict) -> verdict.outcome().scenario().key())
			.containsExactly("a", "b", "c", "d", "e", "f", "g");
		assertThat(verdicts).allSatisfy(
				(verdict) -> assertThat(verdict.mismatch()).as("scenario %s", verdict.outcome().scenario().key())
					.isNull());
	}

	private String postDivide(double x, double y) {
		Map<String, Object> body = this.http.post().uri("/tasks/divide?x={x}&y={y}", x, y).retrieve().body(JSON_OBJECT);
		assertThat(body).containsKey("id");
		return (String) body.get("id");
	}

	private Map<String, Object> getTask(String id) {
		return this.http.get().uri("/tasks/{id}", id).retrieve().body(JSON_OBJECT);
	}

	private Map<String, Object> awaitReady(String id) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (true) {
			Map<String, Object> task = getTask(id);
			Object state = task.get("state");
			if ("SUCCESS".equals(state) || "FAILURE".equals(state) || "REVOKED".equals(state)) {
				return task;
			}
			assertThat(System.nanoTime()).as("task %s ready within %s (last seen %s)", id, TIMEOUT, task)
				.isLessThan(deadline);
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/**
	 * Stand-ins for the sample worker's tasks, so the dispatcher can run what it sends.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class WorkerTasks {

		@Bean
		Tasks sampleWorkerTasks(TaskClient client) {
			return new Tasks(client);
		}

	}

	static class Tasks {

		private final TaskClient client;

		Tasks(TaskClient client) {
			this.client = client;
		}

		@QueueTask("worker.divide")
		double divide(double x, double y) {
			if (y == 0) {
				throw new ArithmeticException("division by zero");
			}
			return x / y;
		}

		@QueueTask("worker.error_handler")
		Map<String, @Nullable Object> errorHandler(TaskFailure failure) {
			Map<String, @Nullable Object> report = new java.util.LinkedHashMap<>();
			report.put("failed_task_id", failure.getTaskId());
			report.put("state", failure.getState().name());
			report.put("name", failure.getTaskName());
			report.put("args", failure.getArgs());
			return report;
		}

	}

}
