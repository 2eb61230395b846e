package dev.taskqueue.sample.worker;

import dev.taskqueue.worker.TaskContext;
import dev.taskqueue.worker.TaskListener;

/**
 * The tutorial's {@code DebugTask}: print the arguments of a failed call
 * ({@code on_failure}).
 */
public class DebugTask implements TaskListener {

	@Override
	public void onFailure(TaskContext task, Throwable exception) {
		System.out.println(task.getTaskName() + " failed with args " + task.getArgs() + ": " + exception);
	}

}
