package dev.taskqueue.event;

/**
 * A client sent a task and the broker confirmed it.
 */
public class TaskSentEvent extends TaskEvent {

	private final String queue;

	/**
	 * Create a new event.
	 * @param source the client
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param queue the queue it was routed to
	 */
	public TaskSentEvent(Object source, String taskId, String taskName, String queue) {
		super(source, taskId, taskName);
		this.queue = queue;
	}

	/** @return the queue the task was routed to */
	public String getQueue() {
		return this.queue;
	}

}
