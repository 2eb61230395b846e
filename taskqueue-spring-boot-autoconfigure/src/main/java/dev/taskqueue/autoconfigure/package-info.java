/**
 * Auto-configuration for taskqueue:
 * {@link dev.taskqueue.autoconfigure.TaskQueueProperties}, the client, the result backend
 * and the worker, and the callbacks that adjust what it builds
 * ({@link dev.taskqueue.autoconfigure.TaskClientCustomizer},
 * {@link dev.taskqueue.autoconfigure.WorkerContainerCustomizer}). Health, metrics, the
 * actuator endpoint, periodic tasks and the cluster have subpackages of their own.
 */
@NullMarked
package dev.taskqueue.autoconfigure;

import org.jspecify.annotations.NullMarked;
