/**
 * The benchmark harness behind {@code scripts/bench}: one executable jar whose first
 * argument picks the driver, the taskqueue worker under test or the raw Spring AMQP
 * consumer.
 */
@NullMarked
package dev.taskqueue.benchmarks;

import org.jspecify.annotations.NullMarked;
