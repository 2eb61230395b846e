/**
 * The beat under test in the beat benchmark: an application that runs only a beat.
 */
@NullMarked
package dev.taskqueue.benchmarks.beat;

import org.jspecify.annotations.NullMarked;
