/**
 * What the tests of every module share: the test broker and Redis and unique names on
 * them, private RabbitMQ and Redis servers that a fault test may stop, captured Celery
 * vectors, log capture and network taps. Nothing here knows a taskqueue class.
 */
@NullMarked
package dev.taskqueue.support;

import org.jspecify.annotations.NullMarked;
