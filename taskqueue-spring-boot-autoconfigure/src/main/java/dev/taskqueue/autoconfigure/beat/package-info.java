/**
 * Auto-configuration of periodic tasks: the beat, the runtime schedule API, their
 * properties, health and metrics (listed in
 * {@link dev.taskqueue.autoconfigure.beat.BeatMeterDocumentation}).
 */
@NullMarked
package dev.taskqueue.autoconfigure.beat;

import org.jspecify.annotations.NullMarked;
