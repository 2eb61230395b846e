/**
 * The {@code taskqueue} actuator endpoint: tasks, queues, running tasks, dead-letter
 * re-drive, revocation, rate limits and the cluster's workers.
 */
@NullMarked
package dev.taskqueue.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
