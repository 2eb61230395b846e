/**
 * Rate limits of tasks, in Celery's notation ({@code 10/s}, {@code 100/m},
 * {@code 1000/h}): {@link dev.taskqueue.ratelimit.RateLimit} and its
 * {@link dev.taskqueue.ratelimit.RateLimitScope scope}, per worker or for the whole
 * cluster. The token buckets are in the internal subpackage.
 */
@NullMarked
package dev.taskqueue.ratelimit;

import org.jspecify.annotations.NullMarked;
