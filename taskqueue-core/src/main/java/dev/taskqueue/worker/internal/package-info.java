/**
 * How the worker runs tasks: the task registry, admission and acknowledgement of
 * messages, invocation, Celery's outcome state machine, canvas steps, time limits, rate
 * limits, redelivery guard and heartbeats. Internal: no compatibility promise;
 * applications use {@link dev.taskqueue.worker.QueueTask} and
 * {@link dev.taskqueue.worker.WorkerContainer}.
 */
@NullMarked
package dev.taskqueue.worker.internal;

import org.jspecify.annotations.NullMarked;
