/**
 * The worker side, as applications see it: {@link dev.taskqueue.worker.QueueTask}
 * methods, what a task sees of its run ({@link dev.taskqueue.worker.TaskContext},
 * {@link dev.taskqueue.worker.TaskFailure}), the hooks around it
 * ({@link dev.taskqueue.worker.TaskListener}), retries, time limits and the exceptions
 * that report them, and the {@link dev.taskqueue.worker.WorkerContainer} that consumes
 * the queues. How the worker runs tasks is in the internal subpackage.
 */
@NullMarked
package dev.taskqueue.worker;

import org.jspecify.annotations.NullMarked;
