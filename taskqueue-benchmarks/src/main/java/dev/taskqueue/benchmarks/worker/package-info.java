/**
 * The processes under test, each in a JVM of its own: a Spring Boot worker with the
 * starter's defaults and a plain Spring AMQP consumer, both counting what they finish and
 * answering a small stats endpoint.
 */
@NullMarked
package dev.taskqueue.benchmarks.worker;

import org.jspecify.annotations.NullMarked;
