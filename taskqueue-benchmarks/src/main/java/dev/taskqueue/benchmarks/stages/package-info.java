/**
 * The stage breakdown of a round trip ({@code scripts/bench --stages}): wall-clock
 * timestamps taken on both sides of one {@code send(..).get()}, in the driver and in the
 * worker under test, through hooks that exist only when the breakdown is asked for.
 */
@NullMarked
package dev.taskqueue.benchmarks.stages;

import org.jspecify.annotations.NullMarked;
