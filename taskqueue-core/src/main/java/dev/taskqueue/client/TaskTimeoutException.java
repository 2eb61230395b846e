package dev.taskqueue.client;

import java.time.Duration;

import dev.taskqueue.result.TaskState;

/**
 * Thrown by {@link TaskResult#get} when the task was not ready within the timeout. The
 * task may still run; its result can be read later.
 */
public class TaskTimeoutException extends RuntimeException {

	private final String taskId;

	private final TaskState lastState;

	/**
	 * Create a new instance.
	 * @param taskId the task id
	 * @param timeout how long the caller waited
	 * @param lastState the state last seen
	 */
	public TaskTimeoutException(String taskId, Duration timeout, TaskState lastState) {
		super("Task " + taskId + " was not ready within " + timeout + " (state " + lastState + ")");
		this.taskId = taskId;
		this.lastState = lastState;
	}

	/**
	 * Return the task id.
	 * @return the task id
	 */
	public String getTaskId() {
		return this.taskId;
	}

	/**
	 * Return the state last seen.
	 * @return the state last seen
	 */
	public TaskState getLastState() {
		return this.lastState;
	}

}
