package dev.taskqueue.control.internal.node;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A task a worker can run, for Celery's {@code registered} reply.
 *
 * @param name the task name
 * @param attributes its options under Celery's task attribute names ({@code rate_limit},
 * {@code time_limit}, {@code soft_time_limit}, {@code max_retries}, {@code acks_late},
 * {@code ignore_result}, {@code serializer}, {@code queue} ...), as strings, numbers or
 * booleans; {@code null} values are left out of replies, as Celery leaves out
 * {@code None}
 */
public record RegisteredTask(String name, Map<String, @Nullable Object> attributes) {

	public RegisteredTask {
		attributes = new LinkedHashMap<>(attributes);
	}

	/**
	 * A task without attributes.
	 * @param name the task name
	 * @return the task
	 */
	public static RegisteredTask of(String name) {
		return new RegisteredTask(name, Map.of());
	}

}
