package dev.taskqueue.autoconfigure.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.broker.internal.QueueInspector;
import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.event.TaskEvent;
import dev.taskqueue.event.TaskRateLimitedEvent;
import dev.taskqueue.event.TaskReceivedEvent;
import dev.taskqueue.event.TaskRejectedEvent;
import dev.taskqueue.event.TaskRevokedEvent;
import dev.taskqueue.event.TaskStartedEvent;
import dev.taskqueue.observation.TaskExecuteContext;
import dev.taskqueue.observation.TaskObservationDocumentation.LowCardinalityKeyNames;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.ActiveTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.context.ApplicationListener;

/**
 * Micrometer meters of taskqueue that its observations do not give, counted from the
 * {@link TaskEvent task events} and read from the worker and the broker: see
 * {@link TaskQueueMeterDocumentation}. Gauges of queues are read through a
 * {@link QueueInspector} that reuses the broker's answer for a while.
 */
public class TaskQueueMetrics implements MeterBinder, ApplicationListener<TaskEvent> {

	private static final String UNKNOWN = "unknown";

	private static final String TASK = LowCardinalityKeyNames.TASK_NAME.asString();

	private static final String QUEUE = LowCardinalityKeyNames.MESSAGING_DESTINATION_NAME.asString();

	private final @Nullable WorkerContainer worker;

	private final QueueInspector queues;

	private volatile @Nullable MeterRegistry registry;

	private @Nullable EventDispatcher events;

	/**
	 * Create the meters' binder.
	 * @param worker the worker, or {@code null} when this application runs none
	 * @param queues reads queue depths and consumer counts
	 */
	public TaskQueueMetrics(@Nullable WorkerContainer worker, QueueInspector queues) {
		this.worker = worker;
		this.queues = queues;
	}

	/**
	 * Count the Celery monitoring events this dispatcher drops. Set before
	 * {@link #bindTo}.
	 * @param events the dispatcher, or {@code null} for none
	 */
	public void setEventDispatcher(@Nullable EventDispatcher events) {
		this.events = events;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		EventDispatcher events = this.events;
		if (events != null) {
			FunctionCounter
				.builder(TaskQueueMeterDocumentation.EVENTS_DROPPED.getName(), events, EventDispatcher::getDroppedCount)
				.description("Celery monitoring events dropped instead of blocking while the broker pushed back")
				.register(registry);
		}
		WorkerContainer worker = this.worker;
		if (worker != null) {
			Tags workerTags = Tags.of(LowCardinalityKeyNames.WORKER_NAME.asString(),
					TaskExecuteContext.workerTag(worker.getSettings().name()));
			Gauge
				.builder(TaskQueueMeterDocumentation.WORKER_TASKS_ACTIVE.getName(), worker,
						WorkerContainer::getActiveTaskCount)
				.tags(workerTags)
				.description("Tasks this worker is running")
				.register(registry);
			Gauge
				.builder(TaskQueueMeterDocumentation.WORKER_TASKS_ABANDONED.getName(), worker,
						WorkerContainer::getAbandonedTaskCount)
				.tags(workerTags)
				.description("Task threads abandoned at their hard time limit that still run")
				.register(registry);
			List<String> queues = new ArrayList<>();
			for (String queue : worker.getQueues()) {
				queues.add(queue);
				queues.add(queue + QueueDeclarer.DLQ_SUFFIX);
			}
			for (String queue : queues) {
				Gauge
					.builder(TaskQueueMeterDocumentation.QUEUE_MESSAGES.getName(), queue,
							state(QueueInspector.QueueState::messages))
					.tag(QUEUE, queue)
					.description("Messages ready in the queue, as the broker counts them")
					.register(registry);
				Gauge
					.builder(TaskQueueMeterDocumentation.QUEUE_CONSUMERS.getName(), queue,
							state(QueueInspector.QueueState::consumers))
					.tag(QUEUE, queue)
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
		if (event instanceof TaskReceivedEvent) {
			count(registry, TaskQueueMeterDocumentation.TASKS_RECEIVED, "Tasks received by this worker",
					Tags.of(TASK, task));
		}
		else if (event instanceof TaskStartedEvent) {
			queueWait(registry, event.getTaskId(), task);
		}
		else if (event instanceof TaskRevokedEvent) {
			count(registry, TaskQueueMeterDocumentation.TASKS_REVOKED, "Tasks not run: expired or revoked",
					Tags.of(TASK, task));
		}
		else if (event instanceof TaskRateLimitedEvent) {
			count(registry, TaskQueueMeterDocumentation.TASKS_RATE_LIMITED,
					"Tasks that had to wait for their rate limit", Tags.of(TASK, task));
		}
		else if (event instanceof TaskRejectedEvent rejected) {
			count(registry, TaskQueueMeterDocumentation.TASKS_REJECTED, "Messages dead-lettered without running", Tags
				.of(TASK, task, TaskQueueMeterDocumentation.KeyNames.ERROR.asString(), reason(rejected.getReason())));
		}
	}

	private void queueWait(MeterRegistry registry, String taskId, String task) {
		WorkerContainer worker = this.worker;
		ActiveTask active = (worker != null) ? worker.getActiveTask(taskId) : null;
		Duration wait = (active != null) ? active.queueWait() : null;
		if (active != null && wait != null) {
			Timer.builder(TaskQueueMeterDocumentation.TASKS_QUEUE_WAIT.getName())
				.description("Time tasks waited in the broker, from sent (or due) until started")
				.tags(Tags.of(TASK, task, QUEUE, active.queue()))
				.register(registry)
				.record(wait);
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

	private static void count(MeterRegistry registry, TaskQueueMeterDocumentation meter, String description,
			Tags tags) {
		Counter.builder(meter.getName()).description(description).tags(tags).register(registry).increment();
	}

}
