package dev.taskqueue.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * link and link_error across languages: a Java worker sends callbacks and errbacks that
 * Python workers run, and the other way round, because both send them as Celery's worker
 * does.
 */
class LinkInteropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static String javaQueue;

	private static String pythonQueue;

	private static Stack stack;

	private static PythonCelery.Worker python;

	@BeforeAll
	static void startWorkers() {
		javaQueue = Infrastructure.unique("java");
		pythonQueue = Infrastructure.unique("py");
		stack = Stack.builder()
			.tasks(new InteropTasks())
			.route("interop.java.*", Route.toQueue(javaQueue))
			.route("interop.py.*", Route.toQueue(pythonQueue))
			.build();
		stack.startWorker(javaQueue);
		python = PythonCelery.startWorker(pythonQueue);
	}

	@AfterAll
	static void stopWorkers() {
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
	void javaTaskSendsItsResultToAPythonCallback() {
		String callbackId = UUID.randomUUID().toString();
		stack.client.send(TaskRequest.builder("interop.java.divide")
			.args(16, 2)
			.link(Signature.of("interop.py.divide", 8).withQueue(pythonQueue).withTaskId(callbackId))
			.build());
		assertThat(stack.client.result(callbackId).get(TIMEOUT)).isEqualTo(1.0);
		assertThat(stack.client.result(callbackId).getRecord().worker()).doesNotStartWith("test-worker");
	}

	@Test
	void pythonTaskSendsItsResultToAJavaCallback() {
		String callbackId = UUID.randomUUID().toString();
		stack.client.send(TaskRequest.builder("interop.py.add")
			.args(2, 2)
			.link(Signature.of("interop.java.add", 10).withQueue(javaQueue).withTaskId(callbackId))
			.build());
		assertThat(stack.client.result(callbackId).get(TIMEOUT)).isEqualTo(14);
		assertThat(stack.client.result(callbackId).getRecord().worker()).isEqualTo("test-worker@localhost");
	}

	@Test
	void javaFailureCallsAPythonErrbackWithTheFailedTaskId() {
		String errbackId = UUID.randomUUID().toString();
		String failedId = stack.client
			.send(TaskRequest.builder("interop.java.divide")
				.args(1, 0)
				.linkError(Signature.of("interop.py.error_handler").withQueue(pythonQueue).withTaskId(errbackId))
				.build())
			.getId();
		assertThat(stack.client.result(errbackId).get(TIMEOUT)).isEqualTo(Map.of("failed_task_id", failedId));
	}

	@Test
	void pythonFailureCallsAJavaErrbackThatSeesTheFailedCall() {
		String errbackId = UUID.randomUUID().toString();
		String failedId = stack.client
			.send(TaskRequest.builder("interop.py.divide")
				.args(1, 0)
				.linkError(Signature.of("interop.java.failure").withQueue(javaQueue).withTaskId(errbackId))
				.build())
			.getId();
		Map<?, ?> seen = (Map<?, ?>) stack.client.result(errbackId).get(TIMEOUT);
		assertThat(seen.get("id")).isEqualTo(failedId);
		assertThat(seen.get("name")).isEqualTo("interop.py.divide");
		assertThat(seen.get("args")).isEqualTo(List.of(1, 0));
		assertThat(seen.get("type")).isEqualTo("ZeroDivisionError");
		assertThat(seen.get("module")).isEqualTo("builtins");
		assertThat(seen.get("message")).isEqualTo("division by zero");
		assertThat((String) seen.get("traceback")).contains("ZeroDivisionError");
	}

	@Test
	void pythonClientLinksTwoJavaTasksAndFindsTheCallbackUnderItsOwnId() {
		String callbackId = UUID.randomUUID().toString();
		PythonCelery.call("interop.java.divide")
			.queue(javaQueue)
			.args(16, 2)
			.link("interop.java.divide", List.of(8), Map.of("task_id", callbackId, "queue", javaQueue))
			.run();
		Map<String, Object> callback = PythonCelery.result(callbackId, true);
		assertThat(callback).containsEntry("state", "SUCCESS").containsEntry("result", 1.0);
	}

	@Test
	void pythonClientErrbackOnAJavaTaskSeesTheFailure() {
		String errbackId = UUID.randomUUID().toString();
		Map<String, Object> failed = PythonCelery.call("interop.java.divide")
			.queue(javaQueue)
			.args(1, 0)
			.linkError("interop.java.failure", List.of(), Map.of("task_id", errbackId, "queue", javaQueue))
			.run();
		Map<?, ?> seen = (Map<?, ?>) stack.client.result(errbackId).get(TIMEOUT);
		assertThat(seen.get("id")).isEqualTo(failed.get("id"));
		assertThat(seen.get("args")).isEqualTo(List.of(1, 0));
		assertThat(seen.get("type")).isEqualTo("ArithmeticException");
	}

}
