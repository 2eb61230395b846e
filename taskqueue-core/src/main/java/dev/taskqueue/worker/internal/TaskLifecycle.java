package dev.taskqueue.worker.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.taskqueue.control.internal.node.WorkerEvents;
import dev.taskqueue.event.TaskEvent;
import dev.taskqueue.event.TaskFailedEvent;
import dev.taskqueue.event.TaskRateLimitedEvent;
import dev.taskqueue.event.TaskReceivedEvent;
import dev.taskqueue.event.TaskRejectedEvent;
import dev.taskqueue.event.TaskRetriedEvent;
import dev.taskqueue.event.TaskRevokedEvent;
import dev.taskqueue.event.TaskStartedEvent;
import dev.taskqueue.event.TaskSucceededEvent;
import dev.taskqueue.observation.TaskExecuteObservationConvention;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.RetryException;
import dev.taskqueue.worker.TaskContext;
import dev.taskqueue.worker.TaskListener;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The one place where what happens to a task is told to whoever listens: the task's
 * {@link TaskListener listeners} (the worker's beans, those of its {@link QueueTask}, and
 * the {@code taskqueue.execute} observation, which learns each outcome as a listener and
 * wraps the run) and the application's {@link TaskEvent events}. Anything else that
 * reports on tasks joins here, so every report sees the same moments in the same order.
 * <p>
 * Everything runs on the thread that handles the task. A listener or event listener that
 * throws is logged and does not change the task's outcome.
 */
public final class TaskLifecycle {

	private static final Log logger = LogFactory.getLog(TaskLifecycle.class);

	private final Object source;

	private volatile List<TaskListener> listeners = List.of();

	private volatile @Nullable ApplicationEventPublisher events;

	private final String workerName;

	private volatile ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private volatile @Nullable TaskExecuteObservationConvention observationConvention;

	private volatile TaskExecutionObserver observer;

	private volatile @Nullable WorkerEvents celeryEvents;

	/** Tasks started, by name: the {@code total} of Celery's {@code stats}. */
	private final Map<String, LongAdder> totals = new ConcurrentHashMap<>();

	/**
	 * Create the lifecycle of a worker's tasks.
	 * @param source the worker, as the source of its events
	 * @param workerName the worker's name
	 */
	TaskLifecycle(Object source, String workerName) {
		this.source = source;
		this.workerName = workerName;
		this.observer = new TaskExecutionObserver(this.observationRegistry, null, workerName);
	}

	public void setTaskListeners(List<TaskListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	public void setEventPublisher(@Nullable ApplicationEventPublisher events) {
		this.events = events;
	}

	/**
	 * Send Celery's task events ({@code task-received} ... {@code task-revoked}) through
	 * these worker events while they are switched on.
	 * @param events the worker's events, or {@code null} for none
	 */
	public void setCeleryEvents(@Nullable WorkerEvents events) {
		this.celeryEvents = events;
	}

	/**
	 * Return how many tasks of each name started since the worker was made.
	 * @return the counts by task name
	 */
	public Map<String, Long> totals() {
		Map<String, Long> totals = new LinkedHashMap<>();
		this.totals.forEach((name, count) -> totals.put(name, count.sum()));
		return totals;
	}

	public void setObservationRegistry(ObservationRegistry registry) {
		this.observationRegistry = registry;
		this.observer = new TaskExecutionObserver(registry, this.observationConvention, this.workerName);
	}

	public void setObservationConvention(@Nullable TaskExecuteObservationConvention convention) {
		this.observationConvention = convention;
		this.observer = new TaskExecutionObserver(this.observationRegistry, convention, this.workerName);
	}

	/**
	 * The listeners of one task, in the order they are called: the worker's, the task's
	 * own, then the observation. Resolved once per task by {@link TaskRuntimes}.
	 * @param method the task
	 * @return its listeners
	 */
	List<TaskListener> listenersOf(TaskMethod method) {
		List<TaskListener> all = new ArrayList<>(this.listeners);
		all.addAll(method.getListeners());
		TaskExecutionObserver observer = this.observer;
		if (observer.isObserving()) {
			all.add(observer);
		}
		return List.copyOf(all);
	}

	/**
	 * Run a task inside its {@code taskqueue.execute} observation, if observed.
	 * @param task the task
	 * @param queue the queue it came from
	 * @param execution runs it; returns the store of its outcome
	 * @return what the execution returned
	 */
	CompletableFuture<Void> observe(TaskMessage task, String queue, Supplier<CompletableFuture<Void>> execution) {
		return this.observer.observe(task, queue, execution);
	}

	void received(TaskMessage task) {
		WorkerEvents celery = this.celeryEvents;
		if (celery != null && celery.isTaskEvents()) {
			celery.taskReceived(task, text(task.extraHeaders().get("argsrepr")),
					text(task.extraHeaders().get("kwargsrepr")));
		}
		ApplicationEventPublisher events = this.events;
		if (events != null) {
			publish(events, new TaskReceivedEvent(this.source, task.id(), task.task()));
		}
	}

	void rejected(@Nullable String taskId, @Nullable String taskName, String reason) {
		WorkerEvents celery = this.celeryEvents;
		if (celery != null && taskId != null) {
			celery.taskRejected(taskId, false);
		}
		ApplicationEventPublisher events = this.events;
		if (events != null) {
			publish(events, new TaskRejectedEvent(this.source, (taskId != null) ? taskId : "", taskName, reason));
		}
	}

	void rateLimited(TaskMessage task, long waitMillis, boolean parked) {
		ApplicationEventPublisher events = this.events;
		if (events != null) {
			publish(events, new TaskRateLimitedEvent(this.source, task.id(), task.task(), Duration.ofMillis(waitMillis),
					parked));
		}
	}

	void revoked(TaskMessage task, String reason, boolean terminated) {
		WorkerEvents celery = this.celeryEvents;
		if (celery != null) {
			celery.taskRevoked(task.id(), terminated, terminated ? 15 : null, !"revoked".equals(reason));
		}
		ApplicationEventPublisher events = this.events;
		if (events != null) {
			publish(events, new TaskRevokedEvent(this.source, task.id(), task.task(), reason));
		}
	}

	void started(TaskRuntimes.TaskRuntime runtime, TaskContext context) {
		this.totals.computeIfAbsent(context.getTaskName(), (name) -> new LongAdder()).increment();
		WorkerEvents celery = this.celeryEvents;
		if (celery != null) {
			celery.taskStarted(context.getId());
		}
		if (!runtime.listeners().isEmpty()) {
			notify(runtime, context, (listener) -> listener.beforeStart(context));
		}
		ApplicationEventPublisher events = this.events;
		if (events != null) {
			publish(events, new TaskStartedEvent(this.source, context.getId(), context.getTaskName()));
		}
	}

	void succeeded(TaskRuntimes.TaskRuntime runtime, TaskContext context, @Nullable Object result, long startNanos) {
		if (!runtime.listeners().isEmpty()) {
			notify(runtime, context, (listener) -> listener.onSuccess(context, result));
		}
		WorkerEvents celery = this.celeryEvents;
		if (celery != null) {
			celery.taskSucceeded(context.getId(), result, since(startNanos));
		}
		ApplicationEventPublisher events = this.events;
		if (events != null) {
			publish(events, new TaskSucceededEvent(this.source, context.getId(), context.getTaskName(), result,
					since(startNanos)));
		}
	}

	void retried(TaskRuntimes.TaskRuntime runtime, TaskContext context, @Nullable Throwable cause, Duration countdown) {
		if (!runtime.listeners().isEmpty()) {
			notify(runtime, context, (listener) -> listener.onRetry(context, cause));
		}
		WorkerEvents celery = this.celeryEvents;
		if (celery != null && celery.isTaskEvents()) {
			Throwable why = (cause != null) ? cause : new RetryException(countdown, null);
			celery.taskRetried(context.getId(), why, TaskOutcomes.stackTrace(why));
		}
		ApplicationEventPublisher events = this.events;
		if (events != null) {
			publish(events,
					new TaskRetriedEvent(this.source, context.getId(), context.getTaskName(), cause, countdown));
		}
	}

	void failed(TaskRuntimes.TaskRuntime runtime, TaskContext context, Throwable exception, long startNanos) {
		if (!runtime.listeners().isEmpty()) {
			notify(runtime, context, (listener) -> listener.onFailure(context, exception));
		}
		WorkerEvents celery = this.celeryEvents;
		if (celery != null && celery.isTaskEvents()) {
			celery.taskFailed(context.getId(), exception, TaskOutcomes.stackTrace(exception));
		}
		ApplicationEventPublisher events = this.events;
		if (events != null) {
			publish(events, new TaskFailedEvent(this.source, context.getId(), context.getTaskName(), exception,
					since(startNanos)));
		}
	}

	/**
	 * The last word on an attempt, whatever its outcome.
	 * @param runtime the task's runtime
	 * @param context the task's request
	 * @param state the state the attempt ended in
	 * @param result the return value or the exception
	 */
	void returned(TaskRuntimes.TaskRuntime runtime, TaskContext context, TaskState state, @Nullable Object result) {
		if (!runtime.listeners().isEmpty()) {
			notify(runtime, context, (listener) -> listener.afterReturn(context, state, result));
		}
	}

	private static void notify(TaskRuntimes.TaskRuntime runtime, TaskContext context, Consumer<TaskListener> call) {
		for (TaskListener listener : runtime.listeners()) {
			try {
				call.accept(listener);
			}
			catch (Throwable ex) {
				logger.warn("Task listener " + listener.getClass().getName() + " failed for task "
						+ context.getTaskName() + "[" + context.getId() + "]; the task's outcome is unchanged", ex);
			}
		}
	}

	private static void publish(ApplicationEventPublisher events, TaskEvent event) {
		try {
			events.publishEvent(event);
		}
		catch (Throwable ex) {
			logger.warn("Listener of " + event + " failed; the task's outcome is unchanged", ex);
		}
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value instanceof String text) ? text : null;
	}

	private static Duration since(long startNanos) {
		return Duration.ofNanos(System.nanoTime() - startNanos);
	}

}
