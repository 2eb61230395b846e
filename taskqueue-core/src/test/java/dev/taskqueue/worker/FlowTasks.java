package dev.taskqueue.worker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tasks of the flow-control tests: each records when and on which worker it started.
 */
public class FlowTasks {

	/** A start: which task, on which worker, with which argument, when (nanoTime). */
	record Start(String task, String worker, String arg, long nanos) {

	}

	final List<Start> starts = new CopyOnWriteArrayList<>();

	final CountDownLatch blocking = new CountDownLatch(1);

	final CountDownLatch release = new CountDownLatch(1);

	@QueueTask("flow.limited")
	String limited(String arg, TaskContext context) {
		this.starts.add(new Start("flow.limited", context.getWorker(), arg, System.nanoTime()));
		return arg;
	}

	@QueueTask("flow.free")
	String free(String arg, TaskContext context) {
		this.starts.add(new Start("flow.free", context.getWorker(), arg, System.nanoTime()));
		return arg;
	}

	@QueueTask("flow.block")
	String block(TaskContext context) throws InterruptedException {
		this.starts.add(new Start("flow.block", context.getWorker(), "", System.nanoTime()));
		this.blocking.countDown();
		this.release.await(60, TimeUnit.SECONDS);
		return "released";
	}

	List<Start> startsOf(String task) {
		return this.starts.stream().filter((start) -> start.task().equals(task)).toList();
	}

}
