/**
 * Auto-configuration of the cluster of Java and Python workers: the cluster client over
 * Celery's remote control, the event dispatcher and the monitor of Celery's worker
 * events.
 */
@NullMarked
package dev.taskqueue.autoconfigure.cluster;

import org.jspecify.annotations.NullMarked;
