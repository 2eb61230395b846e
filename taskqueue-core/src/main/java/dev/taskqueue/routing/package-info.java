/**
 * Choosing the queue, exchange and routing key of a task, as Celery's {@code task_routes}
 * does.
 */
@NullMarked
package dev.taskqueue.routing;

import org.jspecify.annotations.NullMarked;
