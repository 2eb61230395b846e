/**
 * The {@code taskqueue} actuator endpoint: tasks, queues, running tasks, dead-letter re-drive.
 */
@NullMarked
package dev.taskqueue.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
