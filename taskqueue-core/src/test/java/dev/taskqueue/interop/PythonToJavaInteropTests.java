package dev.taskqueue.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.QueueInformation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Python Celery client calls a Java worker: every way Celery sends a task, the options
 * it sends with it, and what Python reads back.
 */
class PythonToJavaInteropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final InteropTasks tasks = new InteropTasks();

	private static Stack stack;

	private static String queue;

	@BeforeAll
	static void startJavaWorker() {
		stack = Stack.builder().tasks(tasks).build();
		queue = stack.defaultQueue;
		stack.startWorker(queue);
	}

	@AfterAll
	static void stopJavaWorker() {
		stack.close();
	}

	@Test
	void sendTaskRunsTheJavaTask() {
		Map<String, Object> call = PythonCelery.call("interop.java.add").queue(queue).args(2, 3).run();
		assertThat(call).containsEntry("state", "SUCCESS")
			.containsEntry("result", 5)
			.containsEntry("result_type", "int");
	}

	@Test
	void delayOnAPythonStubWithTheJavaTasksNameRunsTheJavaTask() {
		Map<String, Object> call = PythonCelery.call("interop.java.add").via("delay").queue(queue).args(20, 22).run();
		assertThat(call).containsEntry("state", "SUCCESS").containsEntry("result", 42);
	}

	@Test
	void applyAsyncKwargsBindByParameterName() {
		Map<String, Object> call = PythonCelery.call("interop.java.greet")
			.via("apply_async")
			.queue(queue)
			.kwargs(Map.of("punctuation", "?", "name", "Ada", "greeting", "Hi"))
			.run();
		assertThat(call).containsEntry("state", "SUCCESS").containsEntry("result", "Hi, Ada?");
	}

	@Test
	void applyAsyncCountdownHoldsTheTaskUntilItsEta() {
		Map<String, Object> call = PythonCelery.call("interop.java.now")
			.via("apply_async")
			.queue(queue)
			.countdown(1.5)
			.run();
		assertThat(call).containsEntry("state", "SUCCESS");
		long sentAt = Math.round(((Number) call.get("sent_at")).doubleValue() * 1000);
		long ranAt = ((Number) call.get("result")).longValue();
		// Python took sent_at before computing eta = now + countdown; Java runs at the
		// eta (to the ms).
		assertThat(ranAt - sentAt).isBetween(1500L - 2, 1500L + 5000);
	}

	@Test
	void applyAsyncExpiresInTheFutureRuns() {
		Map<String, Object> call = PythonCelery.call("interop.java.add")
			.via("apply_async")
			.queue(queue)
			.args(1, 1)
			.expires(60)
			.run();
		assertThat(call).containsEntry("state", "SUCCESS").containsEntry("result", 2);
	}

	/**
	 * Celery turns an {@code expires} in the past into the AMQP {@code expiration} "0",
	 * which RabbitMQ honours by delivering the message only if a consumer can take it at
	 * once. An idle Java worker can: it sees the past {@code expires} header, does not
	 * run the task and stores REVOKED, which Python reads as {@code TaskRevokedError}.
	 */
	@Test
	void alreadyExpiredTaskReachingAnIdleJavaWorkerReadsRevoked() {
		int before = (int) tasks.calls.stream().filter("add"::equals).count();
		Map<String, Object> call = PythonCelery.call("interop.java.add")
			.via("apply_async")
			.queue(queue)
			.args(1, 2)
			.expires(-5)
			.run();
		assertThat(call).containsEntry("state", "REVOKED")
			.containsEntry("exc_class", "celery.exceptions.TaskRevokedError");
		assertThat((List<?>) call.get("exc_args")).singleElement().asString().startsWith("expired at ");
		assertThat(tasks.calls.stream().filter("add"::equals).count()).isEqualTo(before);
	}

	/**
	 * With nobody consuming, RabbitMQ drops the message with expiration "0" as it reaches
	 * the queue: no worker ever sees it, nothing is stored, and Python's AsyncResult
	 * reads PENDING forever (as Celery's own capture saw: no REVOKED state).
	 */
	@Test
	void alreadyExpiredTaskIsDroppedByTheBrokerWhenNoWorkerConsumes() {
		String unconsumed = Infrastructure.unique("unconsumed");
		stack.deleteOnClose(unconsumed);
		stack.declarer.declareQueue(unconsumed);
		Map<String, Object> expired = PythonCelery.call("interop.java.add")
			.via("apply_async")
			.queue(unconsumed)
			.args(1, 2)
			.expires(-5)
			.noWait()
			.run();
		PythonCelery.call("interop.java.add").via("apply_async").queue(unconsumed).args(1, 1).noWait().run();
		// The message sent after it (no expiry) waits in the queue; the expired one is
		// gone.
		await().atMost(TIMEOUT).untilAsserted(() -> {
			QueueInformation info = stack.admin().getQueueInfo(unconsumed);
			assertThat(info).isNotNull();
			assertThat(info.getMessageCount()).isEqualTo(1);
		});
		assertThat(PythonCelery.result((String) expired.get("id"), false)).containsEntry("state", "PENDING");
	}

	@Test
	void asyncResultByIdInAnotherProcessReturnsTheJavaResult() {
		Map<String, Object> sent = PythonCelery.call("interop.java.add").queue(queue).args(40, 2).noWait().run();
		Map<String, Object> read = PythonCelery.result((String) sent.get("id"), true);
		assertThat(read).containsEntry("state", "SUCCESS").containsEntry("result", 42);
	}

	@Test
	void javaExceptionSurfacesInPythonAsFailureWithTypeMessageAndStackTrace() {
		Map<String, Object> call = PythonCelery.call("interop.java.divide").queue(queue).args(1, 0).run();
		assertThat(call).containsEntry("state", "FAILURE")
			.containsEntry("exc_class", "celery.exceptions.ArithmeticException")
			.containsEntry("exc_args", List.of("division by zero"))
			.containsEntry("exc_str", "division by zero");
		assertThat((String) call.get("traceback")).startsWith("java.lang.ArithmeticException: division by zero")
			.contains("at dev.taskqueue.interop.InteropTasks.divide(InteropTasks.java:");
	}

	@Test
	void pythonReadsTheExtendedMeta() {
		Map<String, Object> sent = PythonCelery.call("interop.java.greet")
			.queue(queue)
			.args("Ada")
			.kwargs(Map.of("greeting", "Hello", "punctuation", "!"))
			.run();
		assertThat(sent).containsEntry("result", "Hello, Ada!");
		Map<String, Object> meta = PythonCelery.result((String) sent.get("id"), false);
		assertThat(meta).containsEntry("state", "SUCCESS")
			.containsEntry("name", "interop.java.greet")
			.containsEntry("args", List.of("Ada"))
			.containsEntry("kwargs", Map.of("greeting", "Hello", "punctuation", "!"))
			.containsEntry("worker", "test-worker@localhost")
			.containsEntry("queue", queue)
			.containsEntry("retries", 0);
		assertThat(meta.get("date_done")).isNotNull();
	}

}
