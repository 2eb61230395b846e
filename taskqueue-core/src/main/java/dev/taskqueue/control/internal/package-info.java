/**
 * The cluster's control plane kept in Redis: revocations, run-time rate limit changes and
 * the directory of live workers. Internal: no compatibility promise.
 */
@NullMarked
package dev.taskqueue.control.internal;

import org.jspecify.annotations.NullMarked;
