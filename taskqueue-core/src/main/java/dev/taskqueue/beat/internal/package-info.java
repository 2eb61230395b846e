/**
 * The beat's machinery: RedBeat's encodings, the Redis store and lock, the fencing
 * scripts and the scheduling loop. No compatibility promise: use
 * {@link dev.taskqueue.beat} instead.
 */
@NullMarked
package dev.taskqueue.beat.internal;

import org.jspecify.annotations.NullMarked;
