/**
 * Auto-configuration for taskqueue:
 * {@link dev.taskqueue.autoconfigure.TaskQueueProperties}, the client, the result backend
 * and the worker.
 */
@NullMarked
package dev.taskqueue.autoconfigure;

import org.jspecify.annotations.NullMarked;
