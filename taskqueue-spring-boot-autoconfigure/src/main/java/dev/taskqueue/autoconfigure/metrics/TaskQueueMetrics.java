package dev.taskqueue.autoconfigure.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import dev.taskqueue.broker.QueueDeclarer;
import dev.taskqueue.broker.QueueInspector;
import dev.taskqueue.event.TaskEvent;
import dev.taskqueue.event.TaskFailedEvent;
import dev.taskqueue.event.TaskRateLimitedEvent;
import dev.taskqueue.event.TaskReceivedEvent;
import dev.taskqueue.event.TaskRejectedEvent;
import dev.taskqueue.event.TaskRetriedEvent;
import dev.taskqueue.event.TaskRevokedEvent;
import dev.taskqueue.event.TaskSentEvent;
import dev.taskqueue.event.TaskStartedEvent;
import dev.taskqueue.event.TaskSucceededEvent;
import dev.taskqueue.worker.ActiveTasks;
import dev.taskqueue.worker.WorkerContainer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.context.ApplicationListener;

/**
 * Micrometer meters of taskqueue, counted from the {@link TaskEvent task events} and read
 * from the worker and the broker.
 * <p>
 * Counters: {@code taskqueue.tasks.sent} (tags {@code task}, {@code queue}),
 * {@code taskqueue.tasks.received}, {@code taskqueue.tasks.succeeded} ({@code task}),
 * {@code taskqueue.tasks.failed} and {@code taskqueue.tasks.retried} ({@code task},
 * {@code exception}), {@code taskqueue.tasks.revoked} ({@code task}) and
 * {@code taskqueue.tasks.rejected} ({@code task}, {@code reason}),
 * {@code taskqueue.tasks.rate-limited} ({@code task}). Timers:
 * {@code taskqueue.tasks.runtime} ({@code task}, {@code outcome}),
 * {@code taskqueue.tasks.queue.wait} ({@code task}, {@code queue}) and
 * {@code taskqueue.tasks.publish} ({@code task}, {@code queue}). Gauges:
 * {@code taskqueue.worker.tasks.active} and {@code taskqueue.worker.tasks.abandoned}
 * ({@code worker}), and {@code taskqueue.queue.messages} and
 * {@code taskqueue.queue.consumers} ({@code queue}) for each consumed queue and its
 * dead-letter queue, read through a {@link QueueInspector} that reuses the broker's
 * answer for a while.
 */
public class TaskQueueMetrics implements MeterBinder, ApplicationListener<TaskEvent> {

	private static final String UNKNOWN = "unknown";

	private final @Nullable WorkerContainer worker;

	private final QueueInspector queues;

	private volatile @Nullable MeterRegistry registry;

	/**
	 * Create the meters' binder.
	 * @param worker the worker, or {@code null} when this application runs none
	 * @param queues reads queue depths and consumer counts
	 */
	public TaskQueueMetrics(@Nullable WorkerContainer worker, QueueInspector queues) {
		this.worker = worker;
		this.queues = queues;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		WorkerContainer worker = this.worker;
		if (worker != null) {
			Gauge.builder("taskqueue.worker.tasks.active", worker.getActiveTasks(), ActiveTasks::size)
				.tag("worker", worker.getSettings().name())
				.description("Tasks this worker is running")
				.register(registry);
			Gauge.builder("taskqueue.worker.tasks.abandoned", worker, WorkerContainer::getAbandonedTaskCount)
				.tag("worker", worker.getSettings().name())
				.description("Task threads abandoned at their hard time limit that still run")
				.register(registry);
			List<String> queues = new ArrayList<>();
			for (String queue : worker.getQueues()) {
				queues.add(queue);
				queues.add(queue + QueueDeclarer.DLQ_SUFFIX);
			}
			for (String queue : queues) {
				Gauge.builder("taskqueue.queue.messages", queue, state(QueueInspector.QueueState::messages))
					.tag("queue", queue)
					.description("Messages ready in the queue, as the broker counts them")
					.register(registry);
				Gauge.builder("taskqueue.queue.consumers", queue, state(QueueInspector.QueueState::consumers))
					.tag("queue", queue)
					.description("Consumers attached to the queue, from every worker")
					.register(registry);
			}
		}
		this.registry = registry;
	}

	private ToDoubleFunction<String> state(ToDoubleFunction<QueueInspector.QueueState> value) {
		return (queue) -> {
			try {
				QueueInspector.QueueState state = this.queues.cached(queue);
				return (state != null) ? value.applyAsDouble(state) : Double.NaN;
			}
			catch (AmqpException ex) {
				return Double.NaN;
			}
		};
	}

	@Override
	public void onApplicationEvent(TaskEvent event) {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			return;
		}
		String task = (event.getTaskName() != null) ? event.getTaskName() : UNKNOWN;
		if (event instanceof TaskSentEvent sent) {
			count(registry, "taskqueue.tasks.sent", "Tasks sent and confirmed by the broker",
					Tags.of("task", task, "queue", sent.getQueue()));
			time(registry, "taskqueue.tasks.publish", "Time to publish a task until the broker confirmed it",
					Tags.of("task", task, "queue", sent.getQueue()), sent.getPublishTime());
		}
		else if (event instanceof TaskReceivedEvent) {
			count(registry, "taskqueue.tasks.received", "Tasks received by this worker", Tags.of("task", task));
		}
		else if (event instanceof TaskStartedEvent) {
			queueWait(registry, event.getTaskId(), task);
		}
		else if (event instanceof TaskSucceededEvent succeeded) {
			count(registry, "taskqueue.tasks.succeeded", "Tasks that returned", Tags.of("task", task));
			time(registry, "taskqueue.tasks.runtime", "Time tasks ran", Tags.of("task", task, "outcome", "success"),
					succeeded.getRuntime());
		}
		else if (event instanceof TaskFailedEvent failed) {
			count(registry, "taskqueue.tasks.failed", "Tasks that failed for good",
					Tags.of("task", task, "exception", failed.getException().getClass().getSimpleName()));
			time(registry, "taskqueue.tasks.runtime", "Time tasks ran", Tags.of("task", task, "outcome", "failure"),
					failed.getRuntime());
		}
		else if (event instanceof TaskRetriedEvent retried) {
			Throwable exception = retried.getException();
			count(registry, "taskqueue.tasks.retried", "Tasks that will run again", Tags.of("task", task, "exception",
					(exception != null) ? exception.getClass().getSimpleName() : "none"));
		}
		else if (event instanceof TaskRevokedEvent) {
			count(registry, "taskqueue.tasks.revoked", "Tasks not run: expired or revoked", Tags.of("task", task));
		}
		else if (event instanceof TaskRateLimitedEvent) {
			count(registry, "taskqueue.tasks.rate-limited", "Tasks that had to wait for their rate limit",
					Tags.of("task", task));
		}
		else if (event instanceof TaskRejectedEvent rejected) {
			count(registry, "taskqueue.tasks.rejected", "Messages dead-lettered without running",
					Tags.of("task", task, "reason", reason(rejected.getReason())));
		}
	}

	private void queueWait(MeterRegistry registry, String taskId, String task) {
		WorkerContainer worker = this.worker;
		ActiveTasks.ActiveTask active = (worker != null) ? worker.getActiveTasks().get(taskId) : null;
		Duration wait = (active != null) ? active.queueWait() : null;
		if (active != null && wait != null) {
			time(registry, "taskqueue.tasks.queue.wait",
					"Time tasks waited in the broker, from sent (or due) until started",
					Tags.of("task", task, "queue", active.queue()), wait);
		}
	}

	/**
	 * The reason of a rejection as a tag of few values: Celery's name for it.
	 */
	static String reason(String reason) {
		if (reason.startsWith("content type")) {
			return "ContentDisallowed";
		}
		if (reason.contains("is not registered")) {
			return "NotRegistered";
		}
		return "InvalidTaskError";
	}

	private static void count(MeterRegistry registry, String name, String description, Tags tags) {
		Counter.builder(name).description(description).tags(tags).register(registry).increment();
	}

	private static void time(MeterRegistry registry, String name, String description, Tags tags, Duration duration) {
		Timer.builder(name).description(description).tags(tags).register(registry).record(duration);
	}

}
