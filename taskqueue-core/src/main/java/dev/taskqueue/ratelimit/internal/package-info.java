/**
 * How rate limits are enforced: token buckets per worker and in Redis for the whole
 * cluster. Internal: no compatibility promise.
 */
@NullMarked
package dev.taskqueue.ratelimit.internal;

import org.jspecify.annotations.NullMarked;
