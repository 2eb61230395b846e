package dev.taskqueue.event;

import java.time.Duration;

/**
 * A client sent a task and the broker confirmed it.
 */
public class TaskSentEvent extends TaskEvent {

	private final String queue;

	private final Duration publishTime;

	/**
	 * Create a new event.
	 * @param source the client
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param queue the queue it was routed to
	 */
	public TaskSentEvent(Object source, String taskId, String taskName, String queue) {
		this(source, taskId, taskName, queue, Duration.ZERO);
	}

	/**
	 * Create a new event.
	 * @param source the client
	 * @param taskId the task id
	 * @param taskName the task name
	 * @param queue the queue it was routed to
	 * @param publishTime how long publishing took, until the broker confirmed
	 */
	public TaskSentEvent(Object source, String taskId, String taskName, String queue, Duration publishTime) {
		super(source, taskId, taskName);
		this.queue = queue;
		this.publishTime = publishTime;
	}

	/**
	 * Return the queue the task was routed to.
	 * @return the queue the task was routed to
	 */
	public String getQueue() {
		return this.queue;
	}

	/**
	 * Return how long publishing took, until the broker confirmed ({@code 0} when not
	 * measured).
	 * @return how long publishing took, until the broker confirmed ({@code 0} when not
	 * measured)
	 */
	public Duration getPublishTime() {
		return this.publishTime;
	}

}
