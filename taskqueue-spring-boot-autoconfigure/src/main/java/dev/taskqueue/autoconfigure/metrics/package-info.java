/**
 * Micrometer metrics of taskqueue beyond its observations' timers: task counters, the
 * time tasks wait in the broker, worker and queue gauges, listed in
 * {@link dev.taskqueue.autoconfigure.metrics.TaskQueueMeterDocumentation}.
 */
@NullMarked
package dev.taskqueue.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
