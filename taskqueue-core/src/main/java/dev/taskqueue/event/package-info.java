/**
 * Spring application events for the life of a task (Celery's signals and events): sent,
 * received, started, succeeded, failed, retried, revoked, rejected and rate-limited.
 */
@NullMarked
package dev.taskqueue.event;

import org.jspecify.annotations.NullMarked;
