package dev.taskqueue.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.RetryException;
import dev.taskqueue.worker.TaskContext;
import dev.taskqueue.worker.TaskFailure;
import org.jspecify.annotations.Nullable;

/**
 * The tasks of the tests: the tutorial's divide and error handler, and a few to show
 * chains, chords and retries.
 */
public class SampleTasks {

	final AtomicInteger flakyRuns = new AtomicInteger();

	@QueueTask(name = "worker.divide")
	public double divide(double x, double y) {
		if (y == 0) {
			throw new ArithmeticException("division by zero");
		}
		return x / y;
	}

	@QueueTask(name = "worker.error_handler")
	public Map<String, @Nullable Object> errorHandler(TaskFailure failure) {
		Map<String, @Nullable Object> report = new LinkedHashMap<>();
		report.put("state", failure.getState().name());
		report.put("type", failure.getExceptionType());
		report.put("name", failure.getTaskName());
		report.put("args", failure.getArgs());
		return report;
	}

	@QueueTask(name = "test.add")
	public int add(int x, int y) {
		return x + y;
	}

	@QueueTask(name = "test.sum")
	public int sum(List<Integer> values) {
		return values.stream().mapToInt(Integer::intValue).sum();
	}

	@QueueTask(name = "test.flaky", maxRetries = 3)
	public String flaky(TaskContext context) {
		if (this.flakyRuns.incrementAndGet() < 3) {
			throw new RetryException(java.time.Duration.ofSeconds(30), null);
		}
		return "done after " + context.getRetries() + " retries";
	}

}
