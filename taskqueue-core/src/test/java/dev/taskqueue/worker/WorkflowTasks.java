package dev.taskqueue.worker;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * Tasks for the callback, errback, retry and listener tests.
 */
class WorkflowTasks {

	final ConcurrentLinkedQueue<String> tags = new ConcurrentLinkedQueue<>();

	final Map<String, TaskFailure> failures = new ConcurrentHashMap<>();

	final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

	final ConcurrentLinkedQueue<Long> starts = new ConcurrentLinkedQueue<>();

	private int attempt(String key) {
		return this.attempts.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
	}

	@QueueTask("wf.divide")
	double divide(double x, double y) {
		this.attempts.computeIfAbsent("divide", (k) -> new AtomicInteger()).incrementAndGet();
		if (y == 0) {
			throw new ArithmeticException("division by zero");
		}
		return x / y;
	}

	@QueueTask("wf.add")
	int add(int x, int y) {
		return x + y;
	}

	@QueueTask("wf.tag")
	String tag(@Nullable Object value, String label) {
		String tag = value + ":" + label;
		this.tags.add(tag);
		return tag;
	}

	@QueueTask("wf.old_error_handler")
	Map<String, Object> oldErrorHandler(String taskId) {
		return Map.of("failed_task_id", taskId);
	}

	@QueueTask("wf.error_handler")
	String errorHandler(TaskFailure failure) {
		this.failures.put(failure.getTaskId(), failure);
		return failure.getTaskName() + failure.getArgs() + " -> " + failure.getExceptionType();
	}

	@QueueTask("wf.error_handler_with_args")
	String errorHandlerWithArgs(String label, TaskFailure failure, int times) {
		this.failures.put(failure.getTaskId(), failure);
		return label.repeat(times);
	}

	@QueueTask("wf.flaky")
	String flaky(int failTimes, long countdownMillis, TaskContext task) {
		attempt(task.getId());
		if (task.getRetries() < failTimes) {
			throw task.retry(Duration.ofMillis(countdownMillis), new IllegalStateException("transient failure"));
		}
		return "ok after " + task.getRetries() + " retries";
	}

	@QueueTask(name = "wf.auto", autoRetryFor = IOException.class, maxRetries = 4, retryBackoff = true,
			retryBackoffMax = 1, retryJitter = false)
	int auto(String key, int failTimes) throws IOException {
		int n = attempt(key);
		if (n <= failTimes) {
			throw new IOException("attempt " + n + " failed");
		}
		return n;
	}

	@QueueTask(name = "wf.always_fails", autoRetryFor = IllegalStateException.class,
			dontAutoRetryFor = UnsupportedOperationException.class, maxRetries = 2, defaultRetryDelay = 0)
	void alwaysFails(String key, boolean unsupported) {
		attempt(key);
		if (unsupported) {
			throw new UnsupportedOperationException("never retried");
		}
		throw new IllegalStateException("still broken");
	}

	@QueueTask(name = "wf.retry_no_cause", maxRetries = 1)
	void retryNoCause(String key, TaskContext task) {
		attempt(key);
		throw task.retry(Duration.ZERO, null);
	}

	@QueueTask("wf.stamp")
	long stamp() {
		long now = System.currentTimeMillis();
		this.starts.add(now);
		return now;
	}

	@QueueTask(name = "wf.listened", listeners = RecordingListener.class)
	int listened(int x) {
		if (x < 0) {
			throw new IllegalArgumentException("negative: " + x);
		}
		return x * 2;
	}

	/**
	 * Records every hook it sees, as the seed's DebugTask prints the args on failure.
	 */
	static class RecordingListener implements TaskListener {

		static final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();

		@Override
		public void beforeStart(TaskContext task) {
			calls.add(task.getId() + " beforeStart");
		}

		@Override
		public void onSuccess(TaskContext task, @Nullable Object result) {
			calls.add(task.getId() + " onSuccess " + result);
		}

		@Override
		public void onRetry(TaskContext task, @Nullable Throwable exception) {
			calls.add(task.getId() + " onRetry " + exception);
		}

		@Override
		public void onFailure(TaskContext task, Throwable exception) {
			calls.add(task.getId() + " onFailure " + task.getArgs() + " " + exception.getMessage());
		}

		@Override
		public void afterReturn(TaskContext task, TaskState state, @Nullable Object result) {
			calls.add(task.getId() + " afterReturn " + state);
		}

		static List<String> of(String id) {
			return calls.stream()
				.filter((c) -> c.startsWith(id + " "))
				.map((c) -> c.substring(id.length() + 1))
				.toList();
		}

	}

}
