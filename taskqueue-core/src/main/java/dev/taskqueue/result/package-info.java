/**
 * Task states ({@link dev.taskqueue.result.TaskState}) and the result store, in Celery's
 * Redis result format: results, chord counters and saved groups.
 */
@NullMarked
package dev.taskqueue.result;

import org.jspecify.annotations.NullMarked;
