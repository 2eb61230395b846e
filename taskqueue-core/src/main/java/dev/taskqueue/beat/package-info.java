/**
 * Periodic tasks (Celery's beat): entries kept in Redis in RedBeat's format, fired once
 * cluster-wide by whichever application holds the beat's lock.
 * {@link dev.taskqueue.beat.PeriodicTasks} changes the schedule at runtime,
 * {@link dev.taskqueue.beat.Periodic @Periodic} puts a task on a schedule.
 */
@NullMarked
package dev.taskqueue.beat;

import org.jspecify.annotations.NullMarked;
