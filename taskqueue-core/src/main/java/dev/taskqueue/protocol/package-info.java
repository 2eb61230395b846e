/**
 * Celery message protocol v2: the task message model, its codec, and the serializers of
 * message bodies and results ({@code json} and {@code msgpack} as kombu writes them, and
 * the {@link dev.taskqueue.protocol.TaskSerializer} interface that adds others).
 */
@NullMarked
package dev.taskqueue.protocol;

import org.jspecify.annotations.NullMarked;
