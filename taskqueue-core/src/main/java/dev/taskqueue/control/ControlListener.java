package dev.taskqueue.control;

/**
 * What a worker hears on the {@link ControlBus control channel}.
 */
public interface ControlListener {

	/**
	 * A task was revoked, on this or another process.
	 * @param taskId the task id
	 * @param terminate whether a running task should be interrupted
	 */
	void onRevoke(String taskId, boolean terminate);

}
