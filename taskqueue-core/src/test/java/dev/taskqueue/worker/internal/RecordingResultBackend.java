package dev.taskqueue.worker.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.result.internal.ResultMeta;

/**
 * A result backend that keeps what is stored in a list.
 */
final class RecordingResultBackend implements ResultBackend {

	private final List<ResultMeta> stored = new CopyOnWriteArrayList<>();

	private final boolean enabled;

	RecordingResultBackend(boolean enabled) {
		this.enabled = enabled;
	}

	@Override
	public void store(ResultMeta meta) {
		this.stored.add(meta);
	}

	@Override
	public ResultMeta get(String taskId) {
		return this.stored.stream()
			.filter((meta) -> meta.taskId().equals(taskId))
			.reduce((first, second) -> second)
			.orElse(ResultMeta.pending(taskId));
	}

	@Override
	public CompletableFuture<ResultMeta> whenReady(String taskId) {
		throw new UnsupportedOperationException();
	}

	@Override
	public boolean isEnabled() {
		return this.enabled;
	}

	List<ResultMeta> stored() {
		return List.copyOf(this.stored);
	}

}
