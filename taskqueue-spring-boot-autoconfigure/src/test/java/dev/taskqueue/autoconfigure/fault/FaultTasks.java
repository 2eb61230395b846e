package dev.taskqueue.autoconfigure.fault;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskContext;

/**
 * The tasks of the fault suite. Each run is counted (and, for tasks a test watches from
 * another JVM, announced on standard output as {@code TASK-START <id>} /
 * {@code TASK-END <id>}), so a test can tell which tasks ran and how often.
 */
public class FaultTasks {

	/** Runs by task id, in this JVM. */
	public final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	@QueueTask("fault.noop")
	public int noop(int n, TaskContext task) {
		this.runs.computeIfAbsent(task.getId(), (id) -> new AtomicInteger()).incrementAndGet();
		return n;
	}

	@QueueTask("fault.sum")
	public int sum(List<Integer> parts, TaskContext task) {
		this.runs.computeIfAbsent(task.getId(), (id) -> new AtomicInteger()).incrementAndGet();
		return parts.stream().mapToInt(Integer::intValue).sum();
	}

	@QueueTask("fault.sleep")
	public String sleep(String tag, long millis, TaskContext task) throws InterruptedException {
		announce("TASK-START " + task.getId());
		this.runs.computeIfAbsent(task.getId(), (id) -> new AtomicInteger()).incrementAndGet();
		Thread.sleep(millis);
		announce("TASK-END " + task.getId());
		return tag;
	}

	/** A poison task: takes its whole worker down every time it runs. */
	@QueueTask("fault.halt")
	public void halt(TaskContext task) {
		announce("TASK-START " + task.getId());
		Runtime.getRuntime().halt(137);
	}

	private static void announce(String line) {
		synchronized (System.out) {
			System.out.println(line);
			System.out.flush();
		}
	}

}
