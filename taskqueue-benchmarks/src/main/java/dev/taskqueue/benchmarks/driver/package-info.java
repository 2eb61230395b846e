/**
 * The driver: publishes, waits, measures, starts and stops the processes under test, and
 * prints and writes the results.
 */
@NullMarked
package dev.taskqueue.benchmarks.driver;

import org.jspecify.annotations.NullMarked;
