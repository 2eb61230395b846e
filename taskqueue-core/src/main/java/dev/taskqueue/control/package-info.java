/**
 * The cluster of workers, Java and Python alike:
 * {@link dev.taskqueue.control.ClusterControl} inspects and controls them over Celery's
 * remote control, {@link dev.taskqueue.control.WorkerDirectory} lists the live ones and
 * {@link dev.taskqueue.control.RateLimits} changes a task's rate limit on every running
 * taskqueue worker. The wire and the worker's side are in the internal subpackages.
 */
@NullMarked
package dev.taskqueue.control;

import org.jspecify.annotations.NullMarked;
