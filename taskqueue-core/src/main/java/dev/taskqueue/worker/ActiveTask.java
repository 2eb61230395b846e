package dev.taskqueue.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A task a worker is running, as seen at one moment (Celery's {@code inspect active}).
 *
 * @param id the task id
 * @param taskName the task's name
 * @param queue the queue it was consumed from
 * @param args the positional arguments, as they came in the message
 * @param kwargs the keyword arguments, as they came in the message
 * @param startedAt when it started
 * @param runtime how long it had been running at that moment
 * @param queueWait how long it waited in the broker before it started: from when it was
 * sent (or due, for a task sent with an eta or countdown), or {@code null} when the
 * sender did not say when it sent the task
 */
public record ActiveTask(String id, String taskName, String queue, List<?> args, Map<String, ?> kwargs,
		Instant startedAt, Duration runtime, @Nullable Duration queueWait) {

}
