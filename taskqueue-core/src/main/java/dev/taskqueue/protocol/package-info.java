/**
 * Celery message protocol v2: the task message model and its JSON codec.
 */
@NullMarked
package dev.taskqueue.protocol;

import org.jspecify.annotations.NullMarked;
