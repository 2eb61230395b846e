/**
 * The worker side: {@link dev.taskqueue.worker.QueueTask} methods, their registry,
 * argument binding and the listener containers that run them; what a task sees of its run
 * ({@link dev.taskqueue.worker.TaskContext}, {@link dev.taskqueue.worker.TaskFailure})
 * and the hooks around it ({@link dev.taskqueue.worker.TaskListener}); retries and time
 * limits.
 */
@NullMarked
package dev.taskqueue.worker;

import org.jspecify.annotations.NullMarked;
