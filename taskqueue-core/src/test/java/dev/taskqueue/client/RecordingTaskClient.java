package dev.taskqueue.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.taskqueue.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * A client that keeps what it is asked to send and answers every task with one result,
 * for tests that need no broker.
 */
final class RecordingTaskClient implements TaskClient {

	final List<TaskRequest> sent = new ArrayList<>();

	@Nullable Object result;

	@Override
	public TaskResult send(String name, @Nullable Object... args) {
		return send(TaskRequest.builder(name).args(args).build());
	}

	@Override
	public TaskResult send(TaskRequest request) {
		this.sent.add(request);
		return result("task-" + this.sent.size());
	}

	TaskRequest last() {
		return this.sent.get(this.sent.size() - 1);
	}

	@Override
	public TaskResult result(String taskId) {
		Object value = this.result;
		return new TaskResult() {

			@Override
			public String getId() {
				return taskId;
			}

			@Override
			public TaskRecord getRecord() {
				return new TaskRecord(taskId, TaskState.SUCCESS, value, null, null, Instant.now(), null, null, null,
						null, null, null, null, null);
			}

			@Override
			public void revoke() {
			}

			@Override
			public void revoke(boolean terminate) {
			}

			@Override
			public <T> @Nullable T get(Duration timeout, Class<T> type) {
				return type.cast(value);
			}

			@Override
			public <T> CompletableFuture<@Nullable T> toFuture(Class<T> type) {
				return CompletableFuture.completedFuture(type.cast(value));
			}

		};
	}

	@Override
	public void revoke(String taskId, boolean terminate) {
	}

	@Override
	public CanvasCall<TaskResult> chain(Signature... steps) {
		throw new UnsupportedOperationException();
	}

	@Override
	public CanvasCall<TaskResult> chain(List<Signature> steps) {
		throw new UnsupportedOperationException();
	}

	@Override
	public CanvasCall<GroupResult> group(Signature... members) {
		throw new UnsupportedOperationException();
	}

	@Override
	public CanvasCall<GroupResult> group(List<Signature> members) {
		throw new UnsupportedOperationException();
	}

	@Override
	public CanvasCall<TaskResult> chord(List<Signature> header, Signature body) {
		throw new UnsupportedOperationException();
	}

	@Override
	public @Nullable GroupResult restoreGroup(String groupId) {
		return null;
	}

}
