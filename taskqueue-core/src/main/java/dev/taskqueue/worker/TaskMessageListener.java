package dev.taskqueue.worker;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.taskqueue.broker.ConfirmedPublisher;
import dev.taskqueue.broker.DelayQueues;
import dev.taskqueue.broker.QueueDeclarer;
import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.UniqueLocks;
import dev.taskqueue.control.ControlBus;
import dev.taskqueue.event.TaskEvent;
import dev.taskqueue.event.TaskFailedEvent;
import dev.taskqueue.event.TaskRateLimitedEvent;
import dev.taskqueue.event.TaskReceivedEvent;
import dev.taskqueue.event.TaskRejectedEvent;
import dev.taskqueue.event.TaskRetriedEvent;
import dev.taskqueue.event.TaskRevokedEvent;
import dev.taskqueue.event.TaskStartedEvent;
import dev.taskqueue.event.TaskSucceededEvent;
import dev.taskqueue.protocol.CeleryTime;
import dev.taskqueue.protocol.EncodedMessage;
import dev.taskqueue.protocol.InvalidMessageException;
import dev.taskqueue.protocol.ProcessIdentity;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageCodec;
import dev.taskqueue.ratelimit.ClusterRateLimiters;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.TaskRateLimiter;
import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.ResultMeta;
import dev.taskqueue.result.TaskState;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Runs the task a message names and acknowledges the message only once the outcome is
 * stored and the callbacks, errbacks or retry it causes are published (late
 * acknowledgement).
 * <p>
 * A message that cannot be a task here (content type not accepted, not protocol v2, task
 * not registered) is never run and never requeued: it is republished to
 * {@code <queue>.dlq} with the reason in its headers, a {@code FAILURE} result is stored
 * when the id is readable, and then it is acknowledged. A task due a second or more from
 * now is parked in the broker's {@link DelayQueues delay queues}; one due sooner is held
 * unacknowledged, and one waiting for its rate limit is held or parked by its
 * {@link RateLimitGate}. When an outcome cannot be stored or published (Redis or the
 * broker down), the message goes back to its queue after a pause, so nothing is lost.
 */
public class TaskMessageListener implements ChannelAwareMessageListener {

	private static final Log logger = LogFactory.getLog(TaskMessageListener.class);

	/** Header that says why a message was dead-lettered. */
	public static final String REASON_HEADER = "x-taskqueue-reason";

	/** Header naming the queue a dead-lettered message came from. */
	public static final String ORIGINAL_QUEUE_HEADER = "x-taskqueue-original-queue";

	/** Header naming the worker that dead-lettered a message. */
	public static final String WORKER_HEADER = "x-taskqueue-worker";

	/** Header with the time a message was dead-lettered. */
	public static final String REJECTED_AT_HEADER = "x-taskqueue-rejected-at";

	/** Tasks due at least this far ahead are parked in the broker rather than held. */
	private static final long PARK_THRESHOLD_MILLIS = 1000;

	private final TaskRegistry registry;

	private final TaskMessageCodec codec;

	private final ResultBackend backend;

	private final TaskClient client;

	private final ConfirmedPublisher publisher;

	private final QueueDeclarer declarer;

	private final DelayQueues delayQueues;

	private final WorkerSettings settings;

	private final ScheduledExecutorService scheduler;

	private final Executor executor;

	private volatile List<TaskListener> listeners = List.of();

	private volatile @Nullable ApplicationEventPublisher events;

	private volatile @Nullable ControlBus control;

	private volatile @Nullable UniqueLocks uniqueLocks;

	private final Map<String, TaskRuntime> runtimes = new ConcurrentHashMap<>();

	/**
	 * Rate limits changed at run time, by task name; they win over settings and
	 * annotations.
	 */
	private final Map<String, RateLimit> changedRateLimits = new ConcurrentHashMap<>();

	private final MessagePropertiesConverter propertiesConverter = new DefaultMessagePropertiesConverter();

	private final ActiveTasks activeTasks = new ActiveTasks();

	private final CanvasSteps canvas;

	private final RedeliveryGuard redeliveries;

	private final ShutdownGate shutdown = new ShutdownGate();

	private final RepeatedFailures failures = new RepeatedFailures();

	private final TimeLimits timeLimits;

	private final RateLimitGate rateLimitGate = new RateLimitGate();

	private final Acknowledgements acks;

	private volatile TaskExecutionObserver observer = new TaskExecutionObserver(ObservationRegistry.NOOP);

	/**
	 * Create a listener.
	 * @param registry the tasks this worker runs
	 * @param codec the message codec
	 * @param backend where outcomes are stored
	 * @param client sends callbacks and errbacks
	 * @param publisher publishes dead letters, retries and parked messages
	 * @param declarer declares dead-letter queues
	 * @param delayQueues parks tasks that are not due yet
	 * @param settings the worker settings
	 * @param scheduler holds tasks until they are due
	 * @param executor runs tasks that were held
	 */
	public TaskMessageListener(TaskRegistry registry, TaskMessageCodec codec, ResultBackend backend, TaskClient client,
			ConfirmedPublisher publisher, QueueDeclarer declarer, DelayQueues delayQueues, WorkerSettings settings,
			ScheduledExecutorService scheduler, Executor executor) {
		this.registry = registry;
		this.codec = codec;
		this.backend = backend;
		this.client = client;
		this.publisher = publisher;
		this.declarer = declarer;
		this.delayQueues = delayQueues;
		this.settings = settings;
		this.scheduler = scheduler;
		this.executor = executor;
		this.canvas = new CanvasSteps(client, backend);
		this.redeliveries = new RedeliveryGuard(backend, settings);
		this.timeLimits = new TimeLimits(settings, scheduler);
		this.acks = new Acknowledgements(backend, scheduler, settings.redeliveryBackoff());
	}

	/**
	 * Acknowledge only after storing, from now on, and wait up to {@code timeout} for the
	 * acknowledgements of stores still in flight; called before the consumers stop.
	 * @param timeout the longest wait
	 * @return whether every such acknowledgement was sent
	 */
	boolean awaitAcknowledgements(Duration timeout) {
		return this.acks.stop(timeout);
	}

	/** Pipeline stores and acknowledgements again; called when the consumers start. */
	void resumePipelinedAcknowledgements() {
		this.acks.start();
	}

	/**
	 * Set the listeners that apply to every task.
	 * @param listeners the listeners
	 */
	public void setTaskListeners(List<TaskListener> listeners) {
		this.listeners = List.copyOf(listeners);
		this.runtimes.clear();
	}

	/**
	 * Observe each execution ({@code taskqueue.execute}), in the trace of its sender.
	 * @param registry the observation registry
	 */
	public void setObservationRegistry(ObservationRegistry registry) {
		this.observer = new TaskExecutionObserver(registry);
		this.timeLimits.setObservationRegistry(registry);
		this.runtimes.clear();
	}

	/**
	 * Set where task events are published.
	 * @param events the event publisher, or {@code null} for none
	 */
	public void setEventPublisher(@Nullable ApplicationEventPublisher events) {
		this.events = events;
	}

	/**
	 * Set where revocations are looked up.
	 * @param control the control bus, or {@code null} for none (nothing is revoked)
	 */
	public void setControlBus(@Nullable ControlBus control) {
		this.control = control;
	}

	/**
	 * Set where the locks of unique tasks are released once a task is settled.
	 * @param uniqueLocks the locks, or {@code null} for none
	 */
	public void setUniqueLocks(@Nullable UniqueLocks uniqueLocks) {
		this.uniqueLocks = uniqueLocks;
	}

	/**
	 * Interrupt a task this worker is running, if its method runs now; it then ends
	 * {@code REVOKED}.
	 * @param taskId the task id
	 * @return whether it was running
	 */
	public boolean terminate(String taskId) {
		boolean interrupted = this.activeTasks.terminate(taskId);
		if (interrupted) {
			logger.info("Task " + taskId + " revoked with terminate: interrupting it");
		}
		return interrupted;
	}

	/**
	 * Set where the buckets of cluster-wide rate limits live.
	 * @param cluster the shared limiters, or {@code null} when there is no Redis
	 */
	public void setClusterRateLimiters(@Nullable ClusterRateLimiters cluster) {
		this.rateLimitGate.setClusterRateLimiters(cluster);
	}

	/**
	 * Whether this worker can enforce a rate limit (a cluster-wide one needs Redis).
	 * @param limit the rate limit
	 * @return whether it can
	 */
	public boolean supports(RateLimit limit) {
		return this.rateLimitGate.supports(limit);
	}

	/**
	 * Replace a task's rate limit on this worker.
	 * @param taskName the task name
	 * @param limit the new limit
	 */
	public void setRateLimit(String taskName, RateLimit limit) {
		this.changedRateLimits.put(taskName, limit);
		this.runtimes.remove(taskName);
		logger.info("Rate limit of task " + taskName + " changed to " + limit.permits() + " per " + limit.per());
	}

	/**
	 * A task's effective rate limit on this worker.
	 * @param method the task
	 * @return the limit, or {@code null} for none
	 */
	public @Nullable RateLimit rateLimitOf(TaskMethod method) {
		RateLimit changed = this.changedRateLimits.get(method.getName());
		if (changed != null) {
			return changed;
		}
		TaskOptions options = this.settings.optionsOf(method.getName());
		return (options.rateLimit() != null) ? options.rateLimit() : method.getRateLimit();
	}

	/**
	 * Whether a task's rate limit was changed at run time.
	 * @param taskName the task name
	 * @return whether it was changed
	 */
	public boolean isRateLimitChanged(String taskName) {
		return this.changedRateLimits.containsKey(taskName);
	}

	/**
	 * Stop running new tasks: from now on every message that reaches this listener,
	 * prefetched or held until due, goes straight back to its queue; tasks already
	 * running finish.
	 */
	public void stopTakingTasks() {
		this.shutdown.close();
	}

	/** Run tasks again after {@link #stopTakingTasks()}, when the worker is restarted. */
	public void resumeTakingTasks() {
		this.shutdown.open();
	}

	/**
	 * Return the tasks this listener is running right now.
	 * @return the tasks this listener is running right now
	 */
	public ActiveTasks getActiveTasks() {
		return this.activeTasks;
	}

	/**
	 * Return how this listener keeps tasks within their time limits.
	 * @return how this listener keeps tasks within their time limits
	 */
	TimeLimits timeLimits() {
		return this.timeLimits;
	}

	@Override
	public void onMessage(Message message, @Nullable Channel channel) {
		if (channel == null) {
			throw new IllegalStateException("A channel is required: the container must use manual acknowledgement");
		}
		long tag = message.getMessageProperties().getDeliveryTag();
		if (this.shutdown.refuse(channel, tag)) {
			return;
		}
		try {
			handle(message, channel);
		}
		catch (Throwable ex) {
			this.failures.error(logger, "Could not finish message " + describe(message)
					+ "; returning it to its queue in " + this.settings.redeliveryBackoff().toMillis() + " ms", ex);
			requeue(channel, tag);
		}
	}

	private void handle(Message message, Channel channel) throws Exception {
		MessageProperties props = message.getMessageProperties();
		String queue = queueOf(props);
		TaskMessage task;
		try {
			task = this.codec.decode(props, message.getBody(), this.settings.maxMessageSize());
		}
		catch (InvalidMessageException ex) {
			boolean contentType = ex.getMessage() != null && ex.getMessage().startsWith("content type");
			reject(message, channel, queue, String.valueOf(ex.getMessage()), ex.getTaskId(), ex.getTaskName(),
					contentType
							? new ExceptionInfo("ContentDisallowed", "kombu.exceptions",
									List.of(String.valueOf(ex.getMessage())), null)
							: new ExceptionInfo("InvalidTaskError", "celery.exceptions",
									List.of(String.valueOf(ex.getMessage())), null));
			return;
		}
		TaskMethod method = this.registry.get(task.task());
		if (method == null) {
			String reason = "Task '" + task.task() + "' is not registered on worker " + this.settings.name();
			reject(message, channel, queue, reason, task.id(), task.task(),
					new ExceptionInfo("NotRegistered", "celery.exceptions", List.of(task.task()), null));
			return;
		}
		publishEvent(new TaskReceivedEvent(this, task.id(), task.task()));
		if (Boolean.TRUE.equals(props.getRedelivered())) {
			RedeliveryGuard.Verdict verdict = this.redeliveries.check(task);
			if (verdict.action() == RedeliveryGuard.Action.SKIP) {
				channel.basicAck(props.getDeliveryTag(), false);
				return;
			}
			if (verdict.action() == RedeliveryGuard.Action.DEAD_LETTER) {
				reject(message, channel, queue, String.valueOf(verdict.reason()), task.id(), task.task(),
						new ExceptionInfo("WorkerLostError", "billiard.exceptions", List.of(verdict.reason()), null));
				return;
			}
		}
		if (isRevoked(task)) {
			revoke(task, method, queue, "revoked");
			channel.basicAck(props.getDeliveryTag(), false);
			return;
		}
		if (isExpired(task)) {
			revokeExpired(task, method, queue);
			channel.basicAck(props.getDeliveryTag(), false);
			return;
		}
		OffsetDateTime eta = task.eta();
		if (eta != null) {
			long remaining = eta.toInstant().toEpochMilli() - System.currentTimeMillis();
			if (remaining >= PARK_THRESHOLD_MILLIS) {
				park(message, queue, remaining / 1000);
				channel.basicAck(props.getDeliveryTag(), false);
				return;
			}
			if (remaining > 0) {
				hold(message, channel, task, method, queue, remaining, false);
				return;
			}
		}
		if (awaitRateLimit(message, channel, task, method, queue)) {
			return;
		}
		CompletableFuture<Void> stored = execute(task, method, queue, Boolean.TRUE.equals(props.getRedelivered()));
		this.acks.acknowledge(channel, props.getDeliveryTag(), stored, task.id());
	}

	private void park(Message message, String queue, long seconds) {
		MessageProperties props = message.getMessageProperties();
		AMQP.BasicProperties out = this.propertiesConverter.fromMessageProperties(props, StandardCharsets.UTF_8.name());
		this.delayQueues.park(queue, seconds, out, message.getBody());
		if (logger.isDebugEnabled()) {
			logger.debug("Parked message " + describe(message) + " for " + seconds + " s");
		}
	}

	/**
	 * Hold a message unacknowledged until it is due, as Celery holds eta and rate-limited
	 * tasks: if this worker stops, the broker hands the message on. Only short waits come
	 * here: a task due within a second, or waiting for a rate-limit slot already reserved
	 * for it.
	 */
	private void hold(Message message, Channel channel, TaskMessage task, TaskMethod method, String queue,
			long delayMillis, boolean reserved) {
		this.scheduler.schedule(
				() -> this.executor.execute(() -> runDue(message, channel, task, method, queue, reserved)), delayMillis,
				TimeUnit.MILLISECONDS);
	}

	private void runDue(Message message, Channel channel, TaskMessage task, TaskMethod method, String queue,
			boolean reserved) {
		long tag = message.getMessageProperties().getDeliveryTag();
		if (!channel.isOpen()) {
			// The consumer stopped: the broker has already put the message back for
			// another worker.
			return;
		}
		if (this.shutdown.refuse(channel, tag)) {
			return;
		}
		try {
			CompletableFuture<Void> stored = Acknowledgements.done();
			if (isExpired(task)) {
				revokeExpired(task, method, queue);
			}
			else {
				if (!reserved && awaitRateLimit(message, channel, task, method, queue)) {
					return;
				}
				stored = execute(task, method, queue,
						Boolean.TRUE.equals(message.getMessageProperties().getRedelivered()));
			}
			this.acks.acknowledge(channel, tag, stored, task.id());
		}
		catch (Throwable ex) {
			logger.error("Could not finish task " + task.id() + " held until it was due; returning it to its queue",
					ex);
			requeue(channel, tag);
		}
	}

	/**
	 * Reserve a start for a rate-limited task and, unless it is now, wait for it without
	 * a consumer thread: held when it is near, parked in the broker (and acknowledged)
	 * when it is a second or more away, so it does not fill the consumer's prefetch
	 * window.
	 * @return whether the task waits (it must not run now)
	 */
	private boolean awaitRateLimit(Message message, Channel channel, TaskMessage task, TaskMethod method, String queue)
			throws Exception {
		TaskRateLimiter limiter = runtime(method).limiter();
		if (limiter == null) {
			return false;
		}
		RateLimitGate.Reservation reservation = this.rateLimitGate.reserve(message, task, limiter,
				this.settings.name());
		long wait = reservation.waitMillis();
		if (wait <= 0) {
			return false;
		}
		boolean park = wait >= PARK_THRESHOLD_MILLIS;
		if (reservation.fresh()) {
			publishEvent(new TaskRateLimitedEvent(this, task.id(), task.task(), Duration.ofMillis(wait), park));
		}
		if (park) {
			this.rateLimitGate.park(this.delayQueues, message, task, queue, wait, limiter, this.settings.name());
			channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
		}
		else {
			hold(message, channel, task, method, queue, wait, true);
		}
		return true;
	}

	private TaskRuntime runtime(TaskMethod method) {
		return this.runtimes.computeIfAbsent(method.getName(), (name) -> {
			TaskOptions options = this.settings.optionsOf(name);
			RateLimit limit = rateLimitOf(method);
			List<TaskListener> all = new ArrayList<>(this.listeners);
			all.addAll(method.getListeners());
			if (this.observer.isObserving()) {
				all.add(this.observer);
			}
			return new TaskRuntime((limit != null) ? this.rateLimitGate.limiter(name, limit) : null,
					options.applyTo(method.getRetryPolicy()), List.copyOf(all));
		});
	}

	/**
	 * Bind, run and store the outcome of one task, then publish what the outcome calls
	 * for: callbacks after success, errbacks after failure, the next attempt of a retry.
	 * @param task the message
	 * @param method the task method
	 * @param queue the queue it came from
	 * @param redelivered whether the broker delivered the message before
	 * @return the store of the outcome, if still in flight: the message is acknowledged
	 * once it completes
	 */
	CompletableFuture<Void> execute(TaskMessage task, TaskMethod method, String queue, boolean redelivered) {
		return this.observer.observe(task, queue, () -> executeObserved(task, method, queue, redelivered));
	}

	private CompletableFuture<Void> executeObserved(TaskMessage task, TaskMethod method, String queue,
			boolean redelivered) {
		RedeliveryGuard.Permit permit = this.redeliveries.enter(task, redelivered);
		ActiveTasks.ActiveTask active = this.activeTasks.begin(task, queue);
		try {
			// Checked again once the task is active, so a terminate announced since
			// receipt (or
			// while the task was held) is not missed.
			if (isRevoked(task)) {
				revoke(task, method, queue, "revoked");
				return Acknowledgements.done();
			}
			return run(task, method, queue, redelivered, active);
		}
		finally {
			this.activeTasks.end(active);
			permit.release();
		}
	}

	private CompletableFuture<Void> run(TaskMessage task, TaskMethod method, String queue, boolean redelivered,
			ActiveTasks.ActiveTask active) {
		TaskRuntime runtime = runtime(method);
		TaskContext context = new TaskContext(task, queue, this.settings.name(), redelivered);
		notify(runtime, context, (listener) -> listener.beforeStart(context));
		publishEvent(new TaskStartedEvent(this, task.id(), task.task()));
		long start = System.nanoTime();
		Object result;
		try {
			try {
				@Nullable Object[] values = method.bind(task.args(), task.kwargs(), this.codec.mapper(), context,
						(failedId) -> TaskFailure.lookup(failedId, this.backend));
				result = this.timeLimits.invoke(method, values, task);
			}
			finally {
				if (this.activeTasks.callEnded(active)) {
					throw new Terminated();
				}
			}
		}
		catch (Terminated terminated) {
			logger.info("Task " + task.task() + "[" + task.id() + "] terminated: revoked while it ran");
			revoke(task, method, queue, "revoked");
			notify(runtime, context, (listener) -> listener.afterReturn(context, TaskState.REVOKED, null));
			return Acknowledgements.done();
		}
		catch (RetryException retry) {
			retry(runtime, context, method, retry.getCause(), runtime.policy().delay(retry.getCountdown()), start);
			return Acknowledgements.done();
		}
		catch (TimeLimitExceeded ex) {
			// Never retried: the abandoned method may still be running.
			fail(runtime, context, method, ex, null, start);
			return Acknowledgements.done();
		}
		catch (TaskArgumentException ex) {
			logger.error("Task " + task.task() + "[" + task.id() + "] refused its arguments: " + ex.getMessage());
			fail(runtime, context, method, ex, null, start);
			return Acknowledgements.done();
		}
		catch (Throwable ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			this.shutdown.abandonIfInterrupted(task, ex);
			if (runtime.policy().isAutoRetried(ex)) {
				retry(runtime, context, method, ex, runtime.policy().delay(task.retries()), start);
				return Acknowledgements.done();
			}
			logger.info("Task " + task.task() + "[" + task.id() + "] raised " + ex);
			logger.debug("Task " + task.task() + "[" + task.id() + "] stack trace", ex);
			fail(runtime, context, method, ex, null, start);
			return Acknowledgements.done();
		}
		return succeed(runtime, context, method, result, start);
	}

	private CompletableFuture<Void> succeed(TaskRuntime runtime, TaskContext context, TaskMethod method,
			@Nullable Object result, long start) {
		TaskMessage task = context.getMessage();
		// Callback ids and the next chain step's ids are chosen first so the result can
		// name its
		// children, as Celery's does.
		List<Signature> callbacks = new ArrayList<>();
		List<Object> children = new ArrayList<>();
		for (Signature callback : signatures(task.embed().callbacks())) {
			if (callback.getSubtaskType() == null) {
				Object id = callback.getOptions().get("task_id");
				String callbackId = (id != null) ? String.valueOf(id) : UUID.randomUUID().toString();
				callback = callback.withTaskId(callbackId);
				children.add(Arrays.asList(Arrays.asList(callbackId, null), null));
			}
			callbacks.add(callback);
		}
		CanvasSteps.NextStep next = this.canvas.nextStep(task);
		if (next != null) {
			children.add(next.child());
		}
		CompletableFuture<Void> stored = Acknowledgements.done();
		if (!isIgnoreResult(task, method)) {
			stored = this.acks.storeSuccess(
					meta(task, TaskState.SUCCESS, result, null, children, method.getName(), context.getQueue()),
					!callbacks.isEmpty() || next != null || task.embed().chord() != null);
		}
		if (task.extraHeaders().containsKey(UniqueLocks.HEADER)) {
			// Released once the result is readable, and not at all when the store fails
			// and the
			// task goes back to run again; never on the Redis client's own thread, which
			// the
			// store's completion may run on.
			stored.thenRunAsync(() -> releaseUnique(task.id(), task.extraHeaders()), this.executor);
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Task " + task.task() + "[" + task.id() + "] succeeded");
		}
		notify(runtime, context, (listener) -> listener.onSuccess(context, result));
		publishEvent(new TaskSucceededEvent(this, task.id(), task.task(), result, since(start)));
		for (Signature callback : callbacks) {
			this.canvas.sendCallback(callback, task, result);
		}
		if (next != null) {
			this.canvas.sendNext(next, task, result);
		}
		this.canvas.partReturned(task, TaskState.SUCCESS, result);
		notify(runtime, context, (listener) -> listener.afterReturn(context, TaskState.SUCCESS, result));
		return stored;
	}

	private void fail(TaskRuntime runtime, TaskContext context, TaskMethod method, Throwable exception,
			@Nullable String marker, long start) {
		TaskMessage task = context.getMessage();
		String traceback = (marker != null) ? marker + "\n" + stackTrace(exception) : stackTrace(exception);
		Map<String, Object> encoded = ExceptionInfo.of(exception, null).toResult();
		if (!isIgnoreResult(task, method) || this.settings.storeErrorsEvenIfIgnored()) {
			this.backend.store(
					meta(task, TaskState.FAILURE, encoded, traceback, List.of(), method.getName(), context.getQueue()));
		}
		releaseUnique(task.id(), task.extraHeaders());
		notify(runtime, context, (listener) -> listener.onFailure(context, exception));
		publishEvent(new TaskFailedEvent(this, task.id(), task.task(), exception, since(start)));
		// As Celery's mark_as_failure: the chord part, then the chain steps that will
		// never run.
		this.canvas.partReturned(task, TaskState.FAILURE, encoded);
		this.canvas.chainFailed(task, encoded, traceback);
		List<Signature> errbacks = signatures(task.embed().errbacks());
		if (!errbacks.isEmpty()) {
			// Celery sends errbacks as a group, so they share a fresh group id.
			String group = UUID.randomUUID().toString();
			for (Signature errback : errbacks) {
				this.client.send(errback.toRequest(List.of(task.id()))
					.parentId(task.id())
					.rootId(task.rootId())
					.group(group)
					.build());
			}
		}
		notify(runtime, context, (listener) -> listener.afterReturn(context, TaskState.FAILURE, exception));
	}

	private void retry(TaskRuntime runtime, TaskContext context, TaskMethod method, @Nullable Throwable cause,
			Duration countdown, long start) {
		TaskMessage task = context.getMessage();
		RetryPolicy policy = runtime.policy();
		if (!policy.allowsRetry(task.retries())) {
			String marker = MaxRetriesExceededException.class.getName() + ": Can't retry " + task.task() + "["
					+ task.id() + "] args:" + task.args() + " kwargs:" + task.kwargs() + " (max " + policy.maxRetries()
					+ " retries)";
			logger.info("Task " + task.task() + "[" + task.id() + "] exceeded its " + policy.maxRetries() + " retries"
					+ ((cause != null) ? "; last error: " + cause : ""));
			fail(runtime, context, method, (cause != null) ? cause : new MaxRetriesExceededException(marker),
					(cause != null) ? marker : null, start);
			return;
		}
		String retryLine = "Retry in " + countdown.toMillis() / 1000.0 + "s" + ((cause != null) ? ": " + cause : "");
		logger.info("Task " + task.task() + "[" + task.id() + "] retry " + (task.retries() + 1) + ": " + retryLine);
		if (!isIgnoreResult(task, method) || this.settings.storeErrorsEvenIfIgnored()) {
			Throwable stored = (cause != null) ? cause : new RetryException(countdown, null);
			String traceback = stackTrace(stored) + RetryException.class.getName() + ": " + retryLine + "\n";
			this.backend.store(new ResultMeta(task.id(), TaskState.RETRY, ExceptionInfo.of(stored, null).toResult(),
					traceback, List.of(Arrays.asList(Arrays.asList(task.id(), null), null)), null, task.group(),
					task.parentId(), extended() ? method.getName() : null, extended() ? task.args() : null,
					extended() ? task.kwargs() : null, extended() ? this.settings.name() : null,
					extended() ? task.retries() : null, extended() ? context.getQueue() : null));
		}
		TaskMessage next = task.toBuilder()
			.retries(task.retries() + 1)
			.eta(OffsetDateTime.now().plus(countdown))
			.parentId(task.id())
			.origin(ProcessIdentity.origin())
			.build();
		EncodedMessage encoded = this.codec.encode(next);
		if (countdown.toMillis() >= PARK_THRESHOLD_MILLIS) {
			this.delayQueues.park(context.getQueue(), countdown.toSeconds(), encoded.properties(), encoded.body());
		}
		else {
			this.publisher.publish("", context.getQueue(), encoded.properties(), encoded.body());
		}
		notify(runtime, context, (listener) -> listener.onRetry(context, cause));
		publishEvent(new TaskRetriedEvent(this, task.id(), task.task(), cause, countdown));
		notify(runtime, context, (listener) -> listener.afterReturn(context, TaskState.RETRY, cause));
	}

	private void revokeExpired(TaskMessage task, TaskMethod method, String queue) {
		String reason = "expired at " + CeleryTime.formatAware(task.expires());
		logger.info("Task " + task.task() + "[" + task.id() + "] " + reason + "; not run");
		revoke(task, method, queue, reason);
	}

	private boolean isRevoked(TaskMessage task) {
		ControlBus control = this.control;
		return control != null && control.isRevoked(task.id());
	}

	/**
	 * Store a task's {@code REVOKED} outcome (Celery's {@code TaskRevokedError}) and
	 * announce it.
	 */
	private void revoke(TaskMessage task, TaskMethod method, String queue, String reason) {
		if ("revoked".equals(reason)) {
			logger.info("Task " + task.task() + "[" + task.id() + "] revoked");
		}
		ExceptionInfo revoked = new ExceptionInfo("TaskRevokedError", "celery.exceptions", List.of(reason), null);
		if (!isIgnoreResult(task, method) || this.settings.storeErrorsEvenIfIgnored()) {
			this.backend
				.store(meta(task, TaskState.REVOKED, revoked.toResult(), null, List.of(), method.getName(), queue));
		}
		releaseUnique(task.id(), task.extraHeaders());
		this.canvas.partReturned(task, TaskState.REVOKED, revoked.toResult());
		publishEvent(new TaskRevokedEvent(this, task.id(), task.task(), reason));
	}

	private void reject(Message message, Channel channel, String queue, String reason, @Nullable String taskId,
			@Nullable String taskName, ExceptionInfo failure) throws Exception {
		logger.error("Rejected message " + ((taskId != null) ? "for task " + taskId + " " : "") + "from queue '" + queue
				+ "': " + reason + "; moved to '" + queue + QueueDeclarer.DLQ_SUFFIX + "'");
		MessageProperties props = message.getMessageProperties();
		props.setHeader(REASON_HEADER, reason);
		props.setHeader(ORIGINAL_QUEUE_HEADER, queue);
		props.setHeader(WORKER_HEADER, this.settings.name());
		props.setHeader(REJECTED_AT_HEADER, CeleryTime.formatAware(OffsetDateTime.now()));
		props.setExpiration(null);
		String dlq = this.declarer.declareDeadLetterQueue(queue);
		AMQP.BasicProperties out = this.propertiesConverter.fromMessageProperties(props, StandardCharsets.UTF_8.name());
		out = out.builder().deliveryMode(2).build();
		this.publisher.publish("", dlq, out, message.getBody());
		if (taskId != null && this.backend.isEnabled()) {
			this.backend.store(new ResultMeta(taskId, TaskState.FAILURE, failure.toResult(),
					"Message rejected by " + this.settings.name() + ": " + reason + "\n", List.of(),
					CeleryTime.formatNaiveUtc(Instant.now()), null, null, taskName, null, null, this.settings.name(),
					null, queue));
		}
		if (taskId != null) {
			releaseUnique(taskId, props.getHeaders());
		}
		publishEvent(new TaskRejectedEvent(this, (taskId != null) ? taskId : "", taskName, reason));
		channel.basicAck(props.getDeliveryTag(), false);
	}

	private void releaseUnique(String taskId, Map<String, ?> headers) {
		UniqueLocks locks = this.uniqueLocks;
		if (locks != null) {
			locks.releaseQuietly(taskId, headers);
		}
	}

	private ResultMeta meta(TaskMessage task, TaskState state, @Nullable Object result, @Nullable String traceback,
			List<?> children, String name, String queue) {
		boolean extended = extended();
		return new ResultMeta(task.id(), state, result, traceback, children, CeleryTime.formatNaiveUtc(Instant.now()),
				task.group(), task.parentId(), extended ? name : null, extended ? task.args() : null,
				extended ? task.kwargs() : null, extended ? this.settings.name() : null,
				extended ? task.retries() : null, extended ? queue : null);
	}

	private boolean extended() {
		return this.settings.extendedResults();
	}

	private static boolean isIgnoreResult(TaskMessage task, TaskMethod method) {
		return task.ignoreResult() || method.isIgnoreResult();
	}

	private static boolean isExpired(TaskMessage task) {
		OffsetDateTime expires = task.expires();
		return expires != null && expires.isBefore(OffsetDateTime.now());
	}

	private static List<Signature> signatures(@Nullable List<?> maps) {
		if (maps == null || maps.isEmpty()) {
			return List.of();
		}
		List<Signature> signatures = new ArrayList<>(maps.size());
		for (Object map : maps) {
			signatures.add(Signature.fromMap((Map<?, ?>) map));
		}
		return signatures;
	}

	private void notify(TaskRuntime runtime, TaskContext context, Consumer<TaskListener> call) {
		for (TaskListener listener : runtime.listeners()) {
			try {
				call.accept(listener);
			}
			catch (Throwable ex) {
				logger.warn("Task listener " + listener.getClass().getName() + " failed for task " + context.getName()
						+ "[" + context.getId() + "]; the task's outcome is unchanged", ex);
			}
		}
	}

	private void publishEvent(TaskEvent event) {
		ApplicationEventPublisher events = this.events;
		if (events == null) {
			return;
		}
		try {
			events.publishEvent(event);
		}
		catch (Throwable ex) {
			logger.warn("Listener of " + event + " failed; the task's outcome is unchanged", ex);
		}
	}

	private void requeue(Channel channel, long tag) {
		try {
			Thread.sleep(this.settings.redeliveryBackoff().toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try {
			if (channel.isOpen()) {
				channel.basicNack(tag, false, true);
			}
		}
		catch (Exception ex) {
			// The channel is gone, and with it the delivery: the broker requeues it by
			// itself.
			logger.debug("Could not return message " + tag + " to its queue", ex);
		}
	}

	private static Duration since(long startNanos) {
		return Duration.ofNanos(System.nanoTime() - startNanos);
	}

	private static String queueOf(MessageProperties props) {
		String queue = props.getConsumerQueue();
		return (queue != null) ? queue : String.valueOf(props.getReceivedRoutingKey());
	}

	private static String describe(Message message) {
		Object id = message.getMessageProperties().getHeaders().get("id");
		return (id != null) ? "for task " + id : "with delivery tag " + message.getMessageProperties().getDeliveryTag();
	}

	static String stackTrace(Throwable ex) {
		StringWriter writer = new StringWriter();
		ex.printStackTrace(new PrintWriter(writer));
		return writer.toString();
	}

	/**
	 * Thrown inside {@link #run} when the task's method was interrupted by a terminate.
	 */
	private static final class Terminated extends RuntimeException {

		Terminated() {
			super("terminated", null, false, false);
		}

	}

	/**
	 * What a task needs at run time beyond its method, resolved once.
	 */
	private record TaskRuntime(@Nullable TaskRateLimiter limiter, RetryPolicy policy, List<TaskListener> listeners) {

	}

}
