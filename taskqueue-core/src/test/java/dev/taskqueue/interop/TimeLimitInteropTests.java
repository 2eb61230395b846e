package dev.taskqueue.interop;

import java.util.List;
import java.util.Map;

import dev.taskqueue.support.Stack;
import dev.taskqueue.worker.QueueTask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Python client's {@code time_limit} and {@code soft_time_limit} options reach a Java
 * worker in the {@code timelimit} header, and Python reads the outcome as Celery's own
 * exceptions.
 */
@Isolated("time limits of a fraction of a second")
class TimeLimitInteropTests {

	private static Stack stack;

	private static String queue;

	@BeforeAll
	static void startJavaWorker() {
		stack = Stack.builder().tasks(new Sleeper()).build();
		queue = stack.defaultQueue;
		stack.startWorker(queue);
	}

	@AfterAll
	static void stopJavaWorker() {
		stack.close();
	}

	@Test
	void hardLimitSentByPythonEndsTheJavaTaskAsCeleryWould() {
		Map<String, Object> call = PythonCelery.call("interop.java.sleep").queue(queue).args(30).timeLimit(1).run();
		assertThat(call).containsEntry("state", "FAILURE")
			.containsEntry("exc_class", "billiard.exceptions.TimeLimitExceeded")
			.containsEntry("exc_args", List.of(1.0));
	}

	@Test
	void softLimitSentByPythonInterruptsTheJavaTask() {
		Map<String, Object> call = PythonCelery.call("interop.java.sleep")
			.queue(queue)
			.args(30)
			.softTimeLimit(0.5)
			.run();
		assertThat(call).containsEntry("state", "FAILURE")
			.containsEntry("exc_class", "billiard.exceptions.SoftTimeLimitExceeded");
		assertThat((String) call.get("traceback")).contains("java.lang.InterruptedException: sleep interrupted");
	}

	static class Sleeper {

		@QueueTask("interop.java.sleep")
		String sleep(int seconds) throws InterruptedException {
			Thread.sleep(seconds * 1000L);
			return "slept";
		}

	}

}
