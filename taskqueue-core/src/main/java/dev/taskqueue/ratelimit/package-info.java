/**
 * Rate limits of tasks, in Celery's notation ({@code 10/s}, {@code 100/m},
 * {@code 1000/h}): token buckets per worker or, in Redis, for the whole cluster, and
 * {@link dev.taskqueue.control.RateLimits} to change a task's limit on every running
 * worker.
 */
@NullMarked
package dev.taskqueue.ratelimit;

import org.jspecify.annotations.NullMarked;
