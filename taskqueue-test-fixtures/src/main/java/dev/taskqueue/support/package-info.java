/**
 * What the tests of every module share: the test broker and Redis and unique names on
 * them, private RabbitMQ and Redis servers that a fault test may stop, captured Celery
 * vectors, log capture, network taps, HTTP to applications on a random port, and the
 * security rules of the architecture tests. None of it knows a taskqueue class, so every
 * module's tests can use it; the core's tests add {@code Stack}, which wires the core by
 * hand.
 */
@NullMarked
package dev.taskqueue.support;

import org.jspecify.annotations.NullMarked;
