package dev.taskqueue.result.internal;

import dev.taskqueue.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one chord header task, as Celery's Redis backend keeps it in the chord's
 * {@code .j} sorted set: the JSON array {@code [1, task_id, state, result]} scored by the
 * task's {@code group_index}.
 *
 * @param taskId the header task's id
 * @param state its final state
 * @param result what it returned, or its encoded exception ({@code exc_type},
 * {@code exc_message}, {@code exc_module}) when it failed or was revoked
 */
public record ChordPart(String taskId, TaskState state, @Nullable Object result) {

}
