/**
 * How the client works: routing, canvases (Celery's {@code apply_async} and
 * {@code freeze} of chains, groups and chords, shared by the client and the workers),
 * result handles and unique-task locks. Internal: no compatibility promise; applications
 * use {@link dev.taskqueue.client.TaskClient}.
 */
@NullMarked
package dev.taskqueue.client.internal;

import org.jspecify.annotations.NullMarked;
