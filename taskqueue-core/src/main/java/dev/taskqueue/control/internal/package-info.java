/**
 * Celery's monitoring-event and remote-control (pidbox) wire: message codecs, queue
 * declarations and the command handlers behind a worker's mailbox. No compatibility
 * promise: applications use {@link dev.taskqueue.control.ClusterControl} and the worker's
 * own configuration.
 */
@NullMarked
package dev.taskqueue.control.internal;

import org.jspecify.annotations.NullMarked;
