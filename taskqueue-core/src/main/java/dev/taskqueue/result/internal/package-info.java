/**
 * The result store: Celery's Redis result records, their codec, groups and chords, and
 * waiting for results on Redis pub/sub. Internal: no compatibility promise.
 */
@NullMarked
package dev.taskqueue.result.internal;

import org.jspecify.annotations.NullMarked;
