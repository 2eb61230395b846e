package dev.taskqueue.event;

/**
 * A task will not run: it expired (or was revoked).
 */
public class TaskRevokedEvent extends TaskEvent {

	private final String reason;

	/**
	 * Create a new event.
	 * @param source the worker
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param reason why
	 */
	public TaskRevokedEvent(Object source, String taskId, String taskName, String reason) {
		super(source, taskId, taskName);
		this.reason = reason;
	}

	/**
	 * Return why the task will not run.
	 * @return why the task will not run
	 */
	public String getReason() {
		return this.reason;
	}

}
