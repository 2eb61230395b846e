/**
 * Sending tasks by name and following their results: {@link dev.taskqueue.client.TaskClient} and {@link dev.taskqueue.client.TaskResult}.
 */
@NullMarked
package dev.taskqueue.client;

import org.jspecify.annotations.NullMarked;
