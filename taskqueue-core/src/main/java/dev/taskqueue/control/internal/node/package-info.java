/**
 * A worker as a member of a Celery cluster: its mailbox on Celery's remote-control
 * exchange ({@link dev.taskqueue.control.internal.node.PidboxNode}), its monitoring
 * events ({@link dev.taskqueue.control.internal.node.WorkerEvents}) and its revoked ids
 * ({@link dev.taskqueue.control.internal.node.RevokedTasks}), all fed by a neutral view
 * of the worker ({@link dev.taskqueue.control.internal.node.ControlledWorker}) that the
 * worker implements. Internal: no compatibility promise.
 */
@NullMarked
package dev.taskqueue.control.internal.node;

import org.jspecify.annotations.NullMarked;
