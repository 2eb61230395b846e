/**
 * Sending tasks by name and following their results:
 * {@link dev.taskqueue.client.TaskClient}, {@link dev.taskqueue.client.TaskRequest} and
 * {@link dev.taskqueue.client.TaskResult}; workflows (Celery's canvas) with
 * {@link dev.taskqueue.client.Signature}, {@link dev.taskqueue.client.CanvasCall} and
 * {@link dev.taskqueue.client.GroupResult}. How the client routes, publishes and builds
 * canvases is in the internal subpackage.
 */
@NullMarked
package dev.taskqueue.client;

import org.jspecify.annotations.NullMarked;
