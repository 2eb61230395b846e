/**
 * The worker side: {@link dev.taskqueue.worker.QueueTask} methods, their registry,
 * argument binding and the listener containers that run them.
 */
@NullMarked
package dev.taskqueue.worker;

import org.jspecify.annotations.NullMarked;
