package dev.taskqueue.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Sends tasks by name and looks up their results: Celery's {@code send_task},
 * {@code delay} and {@code apply_async}, and {@code AsyncResult(id)}. The dispatcher
 * needs no class of the worker. <pre class="code">
 * TaskResult result = client.send("worker.divide", 1, 2);
 * double quotient = result.get(Duration.ofSeconds(10), Double.class);
 * </pre> Workflows are sent the same way, as Celery's canvas: <pre class="code">
 * TaskResult last = client.chain(Signature.of("tasks.add", 1, 2), Signature.of("tasks.add", 3)).send();
 * GroupResult all = client.group(Signature.of("tasks.add", 1, 1), Signature.of("tasks.add", 2, 2)).send();
 * TaskResult sum = client.chord(List.of(Signature.of("tasks.add", 1, 1), Signature.of("tasks.add", 2, 2)),
 *         Signature.of("tasks.tsum")).send();
 * </pre>
 */
public interface TaskClient {

	/**
	 * Send a task with positional arguments. Returns once the broker has confirmed the
	 * message.
	 * @param name the task name
	 * @param args the positional arguments
	 * @return a handle on the task
	 * @throws TaskPublishException if the broker did not confirm the message
	 */
	TaskResult send(String name, @Nullable Object... args);

	/**
	 * Send a task with every option of a request. Returns once the broker has confirmed
	 * the message.
	 * @param request the request
	 * @return a handle on the task
	 * @throws TaskPublishException if the broker did not confirm the message
	 */
	TaskResult send(TaskRequest request);

	/**
	 * Send many tasks at once and return once the broker has confirmed them all. Each
	 * task is sent exactly as {@link #send(TaskRequest)} sends it (routing, serializer,
	 * unique lock, {@code taskqueue.publish} observation and {@code task-sent} event per
	 * task), but the messages go out on one channel without waiting for each confirm in
	 * between, so a list of thousands takes a fraction of the time of as many
	 * {@code send} calls. <pre class="code">
	 * List&lt;TaskRequest&gt; requests = ids.stream()
	 *     .map((id) -&gt; TaskRequest.builder("tasks.resize").args(List.of(id)).build())
	 *     .toList();
	 * List&lt;TaskResult&gt; results = client.sendAll(requests);
	 * </pre> Nothing is dropped silently: a task that cannot be sent (refused or
	 * unroutable, not confirmed in time, the broker gone midway, an invalid request)
	 * fails on its own, the others are still sent, and the {@link BulkSendException}
	 * names each failed request with its cause and holds the handles of those sent.
	 * @param requests the requests, published in this order
	 * @return a handle per request, in request order (for a unique task that is a
	 * duplicate, the pending task's handle, as {@code send} returns it)
	 * @throws BulkSendException if some tasks were not sent
	 */
	default List<TaskResult> sendAll(List<TaskRequest> requests) {
		List<@Nullable TaskResult> results = new ArrayList<>(requests.size());
		List<BulkSendException.Failure> failures = new ArrayList<>();
		for (int i = 0; i < requests.size(); i++) {
			TaskRequest request = requests.get(i);
			try {
				results.add(send(request));
			}
			catch (TaskPublishException | IllegalArgumentException ex) {
				results.add(null);
				failures.add(new BulkSendException.Failure(i, request,
						(ex instanceof TaskPublishException refused) ? refused.getTaskId() : request.getTaskId(), ex));
			}
		}
		if (!failures.isEmpty()) {
			throw new BulkSendException(failures, results);
		}
		List<TaskResult> sent = new ArrayList<>(results.size());
		results.forEach((result) -> sent.add(Objects.requireNonNull(result)));
		return sent;
	}

	/**
	 * A handle on any task by id. An id the store does not know reads
	 * {@link dev.taskqueue.result.TaskState#PENDING}, as in Celery.
	 * @param taskId the task id
	 * @return a handle on the task
	 */
	TaskResult result(String taskId);

	/**
	 * Revoke a task on every worker (Celery's {@code revoke}): a worker that receives it
	 * later does not run it, and its result reads
	 * {@link dev.taskqueue.result.TaskState#REVOKED}. A running task goes on. An unknown
	 * id is harmless. The revocation is kept in Redis for
	 * {@code taskqueue.result.expires}, so taskqueue workers started later honour it too;
	 * with Celery's remote control it is also broadcast as Celery's {@code revoke}, which
	 * Celery workers connected now honour (they keep it in memory only).
	 * @param taskId the task id
	 */
	default void revoke(String taskId) {
		revoke(taskId, false);
	}

	/**
	 * Revoke a task on every worker and, with {@code terminate}, interrupt it where it
	 * runs: it then ends {@link dev.taskqueue.result.TaskState#REVOKED}. Interruption is
	 * cooperative ({@link Thread#interrupt()}): a task that never waits or checks its
	 * interrupt flag runs on, and still ends {@code REVOKED}.
	 * @param taskId the task id
	 * @param terminate whether to interrupt the task if it runs now
	 * @throws IllegalStateException if there is neither Redis to keep revocations in nor
	 * Celery's remote control to broadcast them
	 */
	void revoke(String taskId, boolean terminate);

	/**
	 * A chain: each step is called with the result of the one before it put in front of
	 * its arguments (unless it is immutable); only the first task is sent now, the rest
	 * travels with it. A step may be a group, which becomes a chord with the next step as
	 * its body, or a chord. A failing step stops the chain, marks the steps after it
	 * failed and calls its errbacks.
	 * @param steps the steps, in order
	 * @return the chain, to set options on and {@link CanvasCall#send() send}; its handle
	 * is the last task's
	 * @throws IllegalArgumentException if there is no step, or the last step is a group
	 */
	CanvasCall<TaskResult> chain(Signature... steps);

	/**
	 * A chain of the given steps.
	 * @param steps the steps, in order
	 * @return the chain
	 * @see #chain(Signature...)
	 */
	CanvasCall<TaskResult> chain(List<Signature> steps);

	/**
	 * A group: the members run in parallel under one group id. Its tasks are published at
	 * once, as {@link #sendAll(List)} publishes a list: when the broker does not confirm
	 * some of them, sending throws a {@link BulkSendException} naming each with its
	 * request, and the others are sent.
	 * @param members the members (tasks, or chains: then the chain's last task is the
	 * member's result)
	 * @return the group, to set options on and {@link CanvasCall#send() send}
	 */
	CanvasCall<GroupResult> group(Signature... members);

	/**
	 * A group of the given members.
	 * @param members the members
	 * @return the group
	 * @see #group(Signature...)
	 */
	CanvasCall<GroupResult> group(List<Signature> members);

	/**
	 * A chord: the header tasks run in parallel, then the body is called exactly once
	 * with the list of their results in header order. When a header task fails, the body
	 * is not called: it fails with Celery's {@code ChordError} naming that task, and its
	 * errbacks are called. Workers in Java and Python can share one chord's header tasks.
	 * <p>
	 * The chord is set up in the result backend before its header tasks are published,
	 * all at once as a group's are. When the broker does not confirm some of them,
	 * sending throws a {@link BulkSendException}: the chord still counts them, and
	 * sending each failed request again (same task id) completes it; when it confirmed
	 * none, the chord is removed from the backend.
	 * @param header the header tasks
	 * @param body the body
	 * @return the chord, to set options on and {@link CanvasCall#send() send}; its handle
	 * is the body's
	 */
	CanvasCall<TaskResult> chord(List<Signature> header, Signature body);

	/**
	 * A handle on a group saved with {@link GroupResult#save()} (or by Celery's
	 * {@code GroupResult.save()}).
	 * @param groupId the group id
	 * @return the group, or {@code null} if no group was saved under that id
	 */
	@Nullable GroupResult restoreGroup(String groupId);

}
