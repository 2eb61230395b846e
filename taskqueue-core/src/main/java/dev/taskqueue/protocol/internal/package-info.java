/**
 * Celery's message protocol v2 on the wire: the task message, its codec, the JSON and
 * msgpack serializers, compression, Python-compatible reprs and times. Internal: no
 * compatibility promise; applications add serializers as
 * {@link dev.taskqueue.protocol.TaskSerializer} beans.
 */
@NullMarked
package dev.taskqueue.protocol.internal;

import org.jspecify.annotations.NullMarked;
