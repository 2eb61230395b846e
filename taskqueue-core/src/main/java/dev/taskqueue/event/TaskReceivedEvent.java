package dev.taskqueue.event;

/**
 * A worker received a task it will run (now, or when it is due).
 */
public class TaskReceivedEvent extends TaskEvent {

	/**
	 * Create a new event.
	 * @param source the worker
	 * @param taskId the task id
	 * @param taskName the task name
	 */
	public TaskReceivedEvent(Object source, String taskId, String taskName) {
		super(source, taskId, taskName);
	}

}
