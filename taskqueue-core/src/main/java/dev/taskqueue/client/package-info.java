/**
 * Sending tasks by name and following their results:
 * {@link dev.taskqueue.client.TaskClient} and {@link dev.taskqueue.client.TaskResult};
 * workflows (Celery's canvas) with {@link dev.taskqueue.client.Signature},
 * {@link dev.taskqueue.client.CanvasCall} and {@link dev.taskqueue.client.GroupResult}.
 */
@NullMarked
package dev.taskqueue.client;

import org.jspecify.annotations.NullMarked;
