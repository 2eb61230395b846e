/**
 * The benchmark harness of issue #6: one executable jar whose first argument picks the
 * driver, the taskqueue worker under test or the raw Spring AMQP consumer.
 */
@NullMarked
package dev.taskqueue.benchmarks;

import org.jspecify.annotations.NullMarked;
