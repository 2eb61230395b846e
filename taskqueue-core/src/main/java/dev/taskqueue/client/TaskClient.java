package dev.taskqueue.client;

import org.jspecify.annotations.Nullable;

/**
 * Sends tasks by name and looks up their results: Celery's {@code send_task}, {@code delay} and
 * {@code apply_async}, and {@code AsyncResult(id)}. The dispatcher needs no class of the worker.
 * <pre class="code">
 * TaskResult result = client.send("worker.divide", 1, 2);
 * double quotient = result.get(Duration.ofSeconds(10), Double.class);
 * </pre>
 */
public interface TaskClient {

	/**
	 * Send a task with positional arguments. Returns once the broker has confirmed the message.
	 * @param name the task name
	 * @param args the positional arguments
	 * @return a handle on the task
	 * @throws TaskPublishException if the broker did not confirm the message
	 */
	TaskResult send(String name, @Nullable Object... args);

	/**
	 * Send a task with every option of a request. Returns once the broker has confirmed the
	 * message.
	 * @param request the request
	 * @return a handle on the task
	 * @throws TaskPublishException if the broker did not confirm the message
	 */
	TaskResult send(TaskRequest request);

	/**
	 * A handle on any task by id. An id the store does not know reads
	 * {@link dev.taskqueue.result.TaskState#PENDING}, as in Celery.
	 * @param taskId the task id
	 * @return a handle on the task
	 */
	TaskResult result(String taskId);

}
