/**
 * How canvases are sent: Celery's {@code apply_async} and {@code freeze} of chains,
 * groups and chords, shared by the client and the workers. No compatibility promise:
 * applications use {@link dev.taskqueue.client.TaskClient#chain},
 * {@link dev.taskqueue.client.TaskClient#group} and
 * {@link dev.taskqueue.client.TaskClient#chord}.
 */
@NullMarked
package dev.taskqueue.client.internal;

import org.jspecify.annotations.NullMarked;
