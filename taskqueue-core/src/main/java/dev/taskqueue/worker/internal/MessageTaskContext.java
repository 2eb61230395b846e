package dev.taskqueue.worker.internal;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.worker.TaskContext;
import org.jspecify.annotations.Nullable;

/**
 * The {@link TaskContext} of a task run from its message.
 */
final class MessageTaskContext implements TaskContext {

	private final TaskMessage message;

	private final String queue;

	private final String worker;

	private final boolean redelivered;

	MessageTaskContext(TaskMessage message, String queue, String worker, boolean redelivered) {
		this.message = message;
		this.queue = queue;
		this.worker = worker;
		this.redelivered = redelivered;
	}

	TaskMessage message() {
		return this.message;
	}

	@Override
	public String getId() {
		return this.message.id();
	}

	@Override
	public String getTaskName() {
		return this.message.task();
	}

	@Override
	public List<?> getArgs() {
		return this.message.args();
	}

	@Override
	public Map<String, ?> getKwargs() {
		return this.message.kwargs();
	}

	@Override
	public int getRetries() {
		return this.message.retries();
	}

	@Override
	public String getRootId() {
		return this.message.rootId();
	}

	@Override
	public @Nullable String getParentId() {
		return this.message.parentId();
	}

	@Override
	public @Nullable String getGroup() {
		return this.message.group();
	}

	@Override
	public @Nullable OffsetDateTime getEta() {
		return this.message.eta();
	}

	@Override
	public @Nullable OffsetDateTime getExpires() {
		return this.message.expires();
	}

	@Override
	public Map<String, Object> getHeaders() {
		return this.message.extraHeaders();
	}

	@Override
	public @Nullable String getContentType() {
		return this.message.serializer();
	}

	@Override
	public @Nullable String getCompression() {
		return this.message.compression();
	}

	@Override
	public String getQueue() {
		return this.queue;
	}

	@Override
	public boolean isRedelivered() {
		return this.redelivered;
	}

	@Override
	public String getWorker() {
		return this.worker;
	}

	@Override
	public String toString() {
		return "TaskContext[" + getTaskName() + " " + getId() + " retries=" + getRetries() + "]";
	}

}
