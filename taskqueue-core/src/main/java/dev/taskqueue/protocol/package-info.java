/**
 * What applications choose about Celery's message protocol v2: the
 * {@link dev.taskqueue.protocol.CeleryVersion Celery version} of the Python side, the
 * {@link dev.taskqueue.protocol.ContentTypes content types} of the built-in serializers,
 * and the {@link dev.taskqueue.protocol.TaskSerializer} interface that adds others. The
 * wire itself is in the internal subpackage.
 */
@NullMarked
package dev.taskqueue.protocol;

import org.jspecify.annotations.NullMarked;
