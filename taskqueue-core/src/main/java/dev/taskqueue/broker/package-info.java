/**
 * What applications choose about RabbitMQ queues: the
 * {@link dev.taskqueue.broker.QueueType type} of the queues taskqueue declares.
 */
@NullMarked
package dev.taskqueue.broker;

import org.jspecify.annotations.NullMarked;
