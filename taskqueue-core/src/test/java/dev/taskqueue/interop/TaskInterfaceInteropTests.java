package dev.taskqueue.interop;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.taskqueue.client.TaskExchange;
import dev.taskqueue.client.TaskExchange.ArgumentStyle;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskInterfaceFactory;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A typed task interface calls tasks of a Python Celery worker: positional and keyword
 * arguments as Python binds them, results converted to Java types, Python's failures.
 */
class TaskInterfaceInteropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static Stack stack;

	private static PythonCelery.Worker python;

	private static PythonTasks tasks;

	@BeforeAll
	static void startPythonWorker() {
		String queue = Infrastructure.unique("py-typed");
		stack = Stack.builder().route("interop.py.*", Route.toQueue(queue)).build();
		python = PythonCelery.startWorker(queue);
		tasks = new TaskInterfaceFactory(stack.client, stack.mapper, TIMEOUT).createClient(PythonTasks.class);
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
	void positionalArgumentsAndAConvertedResult() {
		assertThat(tasks.add(2, 3)).isEqualTo(5L);
	}

	@Test
	void keywordArgumentsBindToThePythonParametersByName() {
		assertThat(tasks.greet("Ada", "?")).isEqualTo("Hello, Ada?");
	}

	@Test
	void pythonDictBecomesARecord() {
		assertThat(tasks.point(3, 4).join()).isEqualTo(new Point(3, 4));
	}

	@Test
	void pythonExceptionIsTheClientsFailure() {
		TaskResult result = tasks.divide(1, 0);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("ZeroDivisionError"));
	}

	record Point(int x, int y) {
	}

	@TaskExchange("interop.py")
	interface PythonTasks {

		long add(long x, long y);

		TaskResult divide(double x, double y);

		@TaskExchange(arguments = ArgumentStyle.KEYWORD)
		String greet(String name, String punctuation);

		CompletableFuture<Point> point(int x, int y);

	}

}
