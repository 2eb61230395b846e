package dev.taskqueue.control;

import java.time.OffsetDateTime;
import java.util.Map;

import dev.taskqueue.protocol.internal.CeleryTime;
import org.jspecify.annotations.Nullable;

/**
 * A task a node holds until its ETA, from Celery's {@code scheduled} reply.
 *
 * @param eta when it is due, or {@code null}
 * @param priority the node's timer priority (Celery reports 6 for ETA tasks)
 * @param request the task
 */
public record ScheduledTaskInfo(@Nullable OffsetDateTime eta, int priority, TaskInfo request) {

	static ScheduledTaskInfo of(Map<?, ?> entry) {
		if (!(entry.get("request") instanceof Map<?, ?> request)) {
			throw new IllegalArgumentException("a scheduled entry needs a request: " + entry);
		}
		Object eta = entry.get("eta");
		return new ScheduledTaskInfo((eta instanceof String text) ? CeleryTime.parse(text) : null,
				(entry.get("priority") instanceof Number priority) ? priority.intValue() : 0, TaskInfo.of(request));
	}

}
