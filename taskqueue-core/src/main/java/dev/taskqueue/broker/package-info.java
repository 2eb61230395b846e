/**
 * RabbitMQ plumbing shared by client and worker: confirmed publishing and
 * Celery-compatible queue declarations.
 */
@NullMarked
package dev.taskqueue.broker;

import org.jspecify.annotations.NullMarked;
