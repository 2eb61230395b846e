/**
 * Medians and percentiles of measured samples.
 */
@NullMarked
package dev.taskqueue.benchmarks.stats;

import org.jspecify.annotations.NullMarked;
