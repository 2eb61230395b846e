/**
 * RabbitMQ plumbing shared by the client and the worker: confirmed publishing,
 * Celery-compatible queue declarations, the delay queues of countdowns and the queue
 * statistics of health and metrics. Internal: no compatibility promise; the
 * auto-configuration wires these types.
 */
@NullMarked
package dev.taskqueue.broker.internal;

import org.jspecify.annotations.NullMarked;
