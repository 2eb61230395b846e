package dev.taskqueue.event;

/**
 * A worker is about to run a task.
 */
public class TaskStartedEvent extends TaskEvent {

	/**
	 * Create a new event.
	 * @param source the worker
	 * @param taskId the task id
	 * @param taskName the task name
	 */
	public TaskStartedEvent(Object source, String taskId, String taskName) {
		super(source, taskId, taskName);
	}

}
