package dev.taskqueue.sample.worker;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.worker.WorkerContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The sample worker started as the application it is, on the real broker and Redis, with
 * queue names of its own so it never takes another test's (or a running demo's) messages.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class SampleWorkerApplicationIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String DIVIDE_QUEUE = Infrastructure.unique("divide");

	private static final String ERROR_QUEUE = Infrastructure.unique("error");

	@DynamicPropertySource
	static void uniqueQueues(DynamicPropertyRegistry registry) {
		registry.add("taskqueue.routes[worker.divide].queue", () -> DIVIDE_QUEUE);
		registry.add("taskqueue.routes[worker.error_handler].queue", () -> ERROR_QUEUE);
		registry.add("taskqueue.worker.queues", () -> DIVIDE_QUEUE + "," + ERROR_QUEUE);
	}

	@Autowired
	private TaskClient client;

	@Autowired
	private WorkerContainer worker;

	@LocalServerPort
	private int port;

	@AfterAll
	void deleteQueues() {
		this.worker.stop();
		Infrastructure.deleteQueues(DIVIDE_QUEUE, ERROR_QUEUE);
	}

	@Test
	void workerConsumesTheConfiguredQueues() {
		assertThat(this.worker.getQueues()).containsExactly(DIVIDE_QUEUE, ERROR_QUEUE);
	}

	@Test
	void divideReturnsTheTrueQuotient() {
		TaskResult result = this.client.send("worker.divide", 16, 2);
		assertThat(result.get(TIMEOUT, Double.class)).isEqualTo(8.0);
		assertThat(result.getRecord().queue()).isEqualTo(DIVIDE_QUEUE);
	}

	@Test
	void divideOfIntegersIsNotIntegerDivision() {
		assertThat(this.client.send("worker.divide", 1, 2).get(TIMEOUT, Double.class)).isEqualTo(0.5);
	}

	@Test
	void divideByZeroFailsWithArithmeticException() {
		TaskResult result = this.client.send("worker.divide", 1, 0);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getState()).isEqualTo(TaskState.FAILURE);
			assertThat(ex.getExceptionType()).isEqualTo("ArithmeticException");
			assertThat(ex.getExceptionModule()).isEqualTo("java.lang");
			assertThat(ex.getRemoteMessage()).isEqualTo("division by zero");
			assertThat(ex.getRemoteTraceback()).contains("WorkerTasks.divide");
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void errorHandlerReportsTheFailedTaskItsExceptionAndItsArguments() {
		TaskResult failed = this.client.send("worker.divide", 1, 0);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failed.get(TIMEOUT));
		TaskResult handled = this.client.send("worker.error_handler", failed.getId());
		Map<String, Object> report = handled.get(TIMEOUT, Map.class);
		assertThat(report).containsEntry("failed_task_id", failed.getId())
			.containsEntry("state", "FAILURE")
			.containsEntry("name", "worker.divide")
			.containsEntry("args", List.of(1, 0));
		assertThat((Map<String, Object>) report.get("info")).containsEntry("type", "ArithmeticException")
			.containsEntry("message", "division by zero");
		assertThat(handled.getRecord().queue()).isEqualTo(ERROR_QUEUE);
	}

	@Test
	void actuatorHealthIsUp() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"");
	}

}
