/**
 * The cluster of workers, Java and Python alike: Celery's remote control
 * ({@link dev.taskqueue.control.ClusterControl}: inspect and control commands over the
 * {@code celery.pidbox} exchange), Celery's monitoring events
 * ({@link dev.taskqueue.control.internal.EventDispatcher},
 * {@link dev.taskqueue.control.internal.WorkerEventMonitor}), the workers' directory, and
 * the Redis control channel that keeps revocations across restarts.
 */
@NullMarked
package dev.taskqueue.control;

import org.jspecify.annotations.NullMarked;
