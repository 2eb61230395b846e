package dev.taskqueue.control;

import java.util.List;

/**
 * What a node knows of a task, from Celery's {@code query_task} reply.
 *
 * @param state {@code active} (running), {@code reserved} (waiting there, for a slot or
 * its ETA) or {@code ready}
 * @param info the task
 */
public record QueriedTask(String state, TaskInfo info) {

	static QueriedTask of(Object value) {
		if (value instanceof List<?> pair && pair.size() == 2 && pair.get(0) instanceof String state
				&& pair.get(1) instanceof java.util.Map<?, ?> info) {
			return new QueriedTask(state, TaskInfo.of(info));
		}
		throw new IllegalArgumentException("a query_task entry must be [state, info]: " + value);
	}

}
