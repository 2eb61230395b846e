/**
 * Auto-configuration of periodic tasks: the beat, the runtime schedule API, their
 * properties, metrics and health.
 */
@NullMarked
package dev.taskqueue.autoconfigure.beat;

import org.jspecify.annotations.NullMarked;
