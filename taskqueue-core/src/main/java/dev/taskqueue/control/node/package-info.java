/**
 * A worker as a member of a Celery cluster: its mailbox on Celery's remote-control
 * exchange ({@link dev.taskqueue.control.node.PidboxNode}), its monitoring events
 * ({@link dev.taskqueue.control.node.WorkerEvents}) and its revoked ids
 * ({@link dev.taskqueue.control.node.RevokedTasks}), all fed by a neutral view of the
 * worker ({@link dev.taskqueue.control.node.ControlledWorker}) that the worker
 * implements.
 */
@NullMarked
package dev.taskqueue.control.node;

import org.jspecify.annotations.NullMarked;
