package dev.taskqueue.test.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.test.SentTask;
import dev.taskqueue.test.TaskRecorder;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * Keeps the sent tasks and the stubbed outcomes.
 */
public final class DefaultTaskRecorder implements TaskRecorder {

	private final List<SentTask> sent = new CopyOnWriteArrayList<>();

	private final Map<String, Stub> stubs = new ConcurrentHashMap<>();

	@Override
	public List<SentTask> getSentTasks() {
		return List.copyOf(this.sent);
	}

	@Override
	public void stubResult(String name, @Nullable Object result) {
		Assert.hasText(name, "'name' must not be empty");
		this.stubs.put(name, new Stub(result, null));
	}

	@Override
	public void stubFailure(String name, Throwable exception) {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(exception, "'exception' must not be null");
		this.stubs.put(name, new Stub(null, ExceptionInfo.of(exception, null)));
	}

	@Override
	public void clear() {
		this.sent.clear();
		this.stubs.clear();
	}

	void record(SentTask task) {
		this.sent.add(task);
	}

	@Nullable Stub stubOf(String name) {
		return this.stubs.get(name);
	}

	/**
	 * The outcome a task is given instead of running.
	 *
	 * @param result its result, when it succeeds
	 * @param failure its exception, when it fails
	 */
	record Stub(@Nullable Object result, @Nullable ExceptionInfo failure) {

	}

}
