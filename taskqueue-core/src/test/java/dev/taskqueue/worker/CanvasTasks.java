package dev.taskqueue.worker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tasks of Celery's reference app ({@code celery-vectors/tasks.py.txt}) under the
 * same names, so captured Celery canvases run on them, and a few more for the canvas
 * tests.
 */
class CanvasTasks {

	/** How many times each body-like task ran, by task id. */
	final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	/** What {@code tasks.tsum} was called with, in call order. */
	final ConcurrentLinkedQueue<List<Object>> sums = new ConcurrentLinkedQueue<>();

	/** The task ids errbacks were called with. */
	final ConcurrentLinkedQueue<String> failedIds = new ConcurrentLinkedQueue<>();

	/** Failures seen by errbacks with a {@link TaskFailure} parameter. */
	final ConcurrentLinkedQueue<TaskFailure> failures = new ConcurrentLinkedQueue<>();

	@QueueTask("tasks.add")
	long add(long x, long y) {
		return x + y;
	}

	/** Header parts run, by worker name. */
	final Map<String, AtomicInteger> partsByWorker = new ConcurrentHashMap<>();

	@QueueTask("tasks.add_on")
	long addOn(long x, long y, TaskContext task) {
		this.partsByWorker.computeIfAbsent(task.getWorker(), (name) -> new AtomicInteger()).incrementAndGet();
		return x + y;
	}

	@QueueTask("tasks.mul")
	long mul(long x, long y) {
		return x * y;
	}

	@QueueTask("tasks.divide")
	double divide(double x, double y) {
		if (y == 0) {
			throw new ArithmeticException("division by zero");
		}
		return x / y;
	}

	@QueueTask("tasks.tsum")
	Number tsum(List<Object> values, TaskContext task) {
		this.sums.add(values);
		this.runs.computeIfAbsent(task.getId(), (id) -> new AtomicInteger()).incrementAndGet();
		// As Python's sum(): an int unless a float is among the values.
		boolean integral = values.stream().allMatch((v) -> v instanceof Integer || v instanceof Long);
		if (integral) {
			return values.stream().mapToLong((v) -> ((Number) v).longValue()).sum();
		}
		return values.stream().mapToDouble((v) -> ((Number) v).doubleValue()).sum();
	}

	@QueueTask("tasks.count")
	int count(List<?> values) {
		return values.size();
	}

	@QueueTask("tasks.error_handler")
	Map<String, String> errorHandler(String taskId) {
		this.failedIds.add(taskId);
		return Map.of("failed_task_id", taskId);
	}

	@QueueTask("tasks.failure_handler")
	String failureHandler(TaskFailure failure) {
		this.failures.add(failure);
		return failure.getExceptionType();
	}

}
