package dev.taskqueue.result.internal;

import java.util.concurrent.CompletableFuture;

/**
 * A backend that keeps nothing.
 */
final class DisabledResultBackend implements ResultBackend {

	static final DisabledResultBackend INSTANCE = new DisabledResultBackend();

	private static final String MESSAGE = "No result backend is configured (taskqueue.result.backend=none): "
			+ "task states and results are not stored, so they cannot be read";

	@Override
	public void store(ResultMeta meta) {
	}

	@Override
	public ResultMeta get(String taskId) {
		throw new IllegalStateException(MESSAGE);
	}

	@Override
	public CompletableFuture<ResultMeta> whenReady(String taskId) {
		return CompletableFuture.failedFuture(new IllegalStateException(MESSAGE));
	}

	@Override
	public boolean isEnabled() {
		return false;
	}

}
