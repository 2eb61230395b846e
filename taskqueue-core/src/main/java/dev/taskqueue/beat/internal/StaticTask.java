package dev.taskqueue.beat.internal;

import dev.taskqueue.beat.PeriodicTask;
import dev.taskqueue.beat.ScheduledTask;

/**
 * An entry the application's configuration defines, reconciled into Redis by the beat
 * that holds the lock.
 *
 * @param task the entry
 * @param origin {@code CONFIGURATION} or {@code ANNOTATION}
 * @param source where it is defined, for messages (a property or a method)
 */
public record StaticTask(PeriodicTask task, ScheduledTask.Origin origin, String source) {

}
