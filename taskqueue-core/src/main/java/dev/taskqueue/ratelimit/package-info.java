/**
 * Rate limits of tasks, in Celery's notation ({@code 10/s}, {@code 100/m},
 * {@code 1000/h}).
 */
@NullMarked
package dev.taskqueue.ratelimit;

import org.jspecify.annotations.NullMarked;
