/**
 * Micrometer Observation of sending and running tasks ({@code taskqueue.publish},
 * {@code taskqueue.execute}), documented in {@link TaskObservationDocumentation}, with
 * the trace context carried in the task message's headers so one trace spans dispatcher
 * and worker.
 */
@NullMarked
package dev.taskqueue.observation;

import org.jspecify.annotations.NullMarked;
