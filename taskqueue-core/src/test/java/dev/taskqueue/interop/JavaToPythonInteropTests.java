package dev.taskqueue.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.client.TaskRecord;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.QueueInformation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Java client calls a Python Celery worker: results, keyword arguments, countdowns
 * and failures as Java sees them.
 */
class JavaToPythonInteropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static String queue;

	private static Stack stack;

	private static PythonCelery.Worker python;

	@BeforeAll
	static void startPythonWorker() {
		queue = Infrastructure.unique("py");
		// Both sides agree on the route: Python's worker consumes the queue the client
		// routes to.
		stack = Stack.builder().route("interop.py.*", Route.toQueue(queue)).build();
		python = PythonCelery.startWorker(queue);
	}

	@AfterAll
	static void stopPythonWorker() {
		try {
			if (python != null) {
				python.close();
			}
		}
		finally {
			stack.close();
		}
	}

	@Test
	void sendRunsThePythonTaskAndGetReturnsItsResult() {
		TaskResult result = stack.client.send("interop.py.add", 2, 3);
		assertThat(result.get(TIMEOUT)).isEqualTo(5);
		assertThat(result.getState()).isEqualTo(TaskState.SUCCESS);
	}

	@Test
	void kwargsBindToThePythonParametersByName() {
		TaskResult result = stack.client
			.send(TaskRequest.builder("interop.py.greet").kwarg("punctuation", "?").kwarg("name", "Ada").build());
		assertThat(result.get(TIMEOUT)).isEqualTo("Hello, Ada?");
	}

	@Test
	void countdownHoldsThePythonTaskUntilItsEta() {
		long sentAt = System.currentTimeMillis();
		TaskResult result = stack.client
			.send(TaskRequest.builder("interop.py.now").countdown(Duration.ofMillis(1500)).build());
		double ranAt = result.get(TIMEOUT, Double.class);
		assertThat(Math.round(ranAt * 1000) - sentAt).isBetween(1500L - 2, 1500L + 5000);
	}

	@Test
	void pythonExceptionSurfacesAsTaskFailedExceptionWithTypeModuleMessageAndTraceback() {
		TaskResult result = stack.client.send("interop.py.divide", 1, 0);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getState()).isEqualTo(TaskState.FAILURE);
			assertThat(ex.getExceptionType()).isEqualTo("ZeroDivisionError");
			assertThat(ex.getExceptionModule()).isEqualTo("builtins");
			assertThat(ex.getRemoteMessage()).isEqualTo("division by zero");
			assertThat(ex.getExceptionArgs()).isEqualTo(List.of("division by zero"));
			assertThat(ex.getRemoteTraceback()).startsWith("Traceback (most recent call last):")
				.contains("interop_app.py\", line ")
				.endsWith("ZeroDivisionError: division by zero\n");
			assertThat(ex).hasMessage("Task " + result.getId() + " failed: ZeroDivisionError: division by zero");
		});
	}

	/**
	 * Celery's worker logs "Received unregistered task", rejects the message without
	 * requeue (it is gone: the queue has no dead-letter exchange, and Celery knows
	 * nothing of Java's {@code .dlq}) and stores FAILURE with {@code NotRegistered} and
	 * no traceback.
	 */
	@Test
	void unknownTaskNameIsRejectedByCeleryWithANotRegisteredFailure() {
		TaskResult result = stack.client.send("interop.py.no-such-task", 1);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("NotRegistered");
			assertThat(ex.getExceptionModule()).isEqualTo("celery.exceptions");
			assertThat(ex.getRemoteMessage()).isEqualTo("interop.py.no-such-task");
			assertThat(ex.getRemoteTraceback()).isNull();
		});
		assertThat(python.log()).contains("Received unregistered task of type 'interop.py.no-such-task'");
		await().atMost(TIMEOUT).untilAsserted(() -> {
			QueueInformation info = stack.admin().getQueueInfo(queue);
			assertThat(info).isNotNull();
			assertThat(info.getMessageCount()).isZero();
		});
		assertThat(stack.admin().getQueueInfo(queue + ".dlq")).isNull();
	}

	@Test
	void javaReadsTheExtendedMetaPythonStored() {
		TaskResult result = stack.client
			.send(TaskRequest.builder("interop.py.greet").args("Ada").kwarg("greeting", "Hi").build());
		assertThat(result.get(TIMEOUT)).isEqualTo("Hi, Ada!");
		TaskRecord meta = result.getRecord();
		assertThat(meta.taskName()).isEqualTo("interop.py.greet");
		assertThat(meta.args()).isEqualTo(List.of("Ada"));
		assertThat(meta.kwargs()).isEqualTo(Map.of("greeting", "Hi"));
		assertThat(meta.worker()).isEqualTo(python.nodeName());
		assertThat(meta.queue()).isEqualTo(queue);
		assertThat(meta.retries()).isZero();
	}

}
