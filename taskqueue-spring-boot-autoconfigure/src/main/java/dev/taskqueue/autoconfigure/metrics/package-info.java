/**
 * Micrometer metrics of taskqueue: task counters and timers, worker and queue gauges.
 */
@NullMarked
package dev.taskqueue.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
