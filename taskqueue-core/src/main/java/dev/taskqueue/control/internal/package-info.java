/**
 * The cluster's control plane. Celery's monitoring-event and remote-control (pidbox)
 * wire: message codecs, queue declarations and the command handlers behind a worker's
 * mailbox; and what taskqueue keeps in Redis beside it: revocations, run-time rate limit
 * changes and the directory of live workers. Internal: no compatibility promise;
 * applications use {@link dev.taskqueue.control.ClusterControl} and the worker's own
 * configuration.
 */
@NullMarked
package dev.taskqueue.control.internal;

import org.jspecify.annotations.NullMarked;
