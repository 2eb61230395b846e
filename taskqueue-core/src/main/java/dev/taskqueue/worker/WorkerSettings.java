package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;


/**
 * How a worker runs tasks.
 *
 * @param name the worker's name in results ({@code worker} field) and logs
 * @param queues the queues to consume (Celery's {@code -Q})
 * @param concurrency how many tasks run at once (consumers)
 * @param prefetch how many unacknowledged messages each consumer may hold
 * @param extendedResults whether results carry name, args, kwargs, worker, retries and queue
 * @param storeErrorsEvenIfIgnored whether failures are stored for tasks whose result is ignored
 * @param redeliveryBackoff how long to wait before returning a message to its queue when it could
 * not be finished for a reason outside the task (result store or broker down)
 * @param tasks options by task name, overriding those of the annotations
 */
public record WorkerSettings(String name, List<String> queues, int concurrency, int prefetch,
		boolean extendedResults, boolean storeErrorsEvenIfIgnored, Duration redeliveryBackoff,
		Map<String, TaskOptions> tasks) {

	/**
	 * The options configured for a task.
	 * @param taskName the task name
	 * @return the options, {@link TaskOptions#NONE} if none are configured
	 */
	public TaskOptions optionsOf(String taskName) {
		return this.tasks.getOrDefault(taskName, TaskOptions.NONE);
	}

	/**
	 * The default worker name: {@code taskqueue-<pid>@<host>}, unique per JVM.
	 * @return the name
	 */
	public static String defaultName() {
		return "taskqueue-" + dev.taskqueue.protocol.ProcessIdentity.pid() + "@"
				+ dev.taskqueue.protocol.ProcessIdentity.hostname();
	}

}
