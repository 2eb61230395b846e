package dev.taskqueue.worker.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.taskqueue.broker.internal.DelayQueues;
import dev.taskqueue.protocol.internal.InvalidMessageException;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.ratelimit.internal.TaskRateLimiter;
import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.worker.WorkerSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;
import org.springframework.scheduling.TaskScheduler;

/**
 * Admits the messages of a worker's consumers and settles them: runs the task a message
 * names and acknowledges the message only once the outcome is stored and the callbacks,
 * errbacks or retry it causes are published (late acknowledgement).
 * <p>
 * A message that cannot be a task here (content type not accepted, not protocol v2, task
 * not registered, or redelivered too often) is never run and never requeued: it goes to
 * the {@link DeadLetterRecoverer} (by default republished to {@code <queue>.dlq} with the
 * reason in its headers, and a {@code FAILURE} result stored when the id is readable),
 * and then it is acknowledged. A revoked or expired task is stored {@code REVOKED}. A
 * task due a second or more from now is parked in the broker's {@link DelayQueues delay
 * queues}; one due sooner is held unacknowledged, and one waiting for its rate limit is
 * held or parked by its {@link RateLimitGate}. The rest is run by the
 * {@link TaskInvoker}. When a message cannot be finished for a reason outside its task
 * (Redis or the broker down), it goes back to its queue after the redelivery backoff, so
 * nothing is lost.
 */
public class TaskMessageListener implements ChannelAwareMessageListener {

	private static final Log logger = LogFactory.getLog(TaskMessageListener.class);

	/** Tasks due at least this far ahead are parked in the broker rather than held. */
	private static final long PARK_THRESHOLD_MILLIS = TaskOutcomes.PARK_THRESHOLD_MILLIS;

	private final TaskRegistry registry;

	private final TaskMessageCodec codec;

	private final WorkerSettings settings;

	private final DeadLetterRecoverer recoverer;

	private final RedeliveryGuard redeliveries;

	private final WorkerControl control;

	private final TaskRuntimes runtimes;

	private final RateLimitGate rateLimitGate;

	private final DelayQueues delayQueues;

	private final WorkerExecutors executors;

	private final TaskLifecycle lifecycle;

	private final TaskInvoker invoker;

	private final TaskOutcomes outcomes;

	private final Acknowledgements acks;

	private final WaitingTasks waiting;

	private final MessagePropertiesConverter propertiesConverter = new DefaultMessagePropertiesConverter();

	private final RepeatedFailures failures = new RepeatedFailures();

	private final Clock clock;

	TaskMessageListener(TaskRegistry registry, TaskMessageCodec codec, WorkerSettings settings,
			DeadLetterRecoverer recoverer, RedeliveryGuard redeliveries, WorkerControl control, TaskRuntimes runtimes,
			RateLimitGate rateLimitGate, DelayQueues delayQueues, WorkerExecutors executors, TaskLifecycle lifecycle,
			TaskInvoker invoker, TaskOutcomes outcomes, Acknowledgements acks, WaitingTasks waiting, Clock clock) {
		this.clock = clock;
		this.registry = registry;
		this.codec = codec;
		this.settings = settings;
		this.recoverer = recoverer;
		this.redeliveries = redeliveries;
		this.control = control;
		this.runtimes = runtimes;
		this.rateLimitGate = rateLimitGate;
		this.delayQueues = delayQueues;
		this.executors = executors;
		this.lifecycle = lifecycle;
		this.invoker = invoker;
		this.outcomes = outcomes;
		this.acks = acks;
		this.waiting = waiting;
	}

	@Override
	public void onMessage(Message message, @Nullable Channel channel) {
		if (channel == null) {
			throw new IllegalStateException("A channel is required: the container must use manual acknowledgement");
		}
		long tag = message.getMessageProperties().getDeliveryTag();
		if (this.control.refuse(channel, tag)) {
			return;
		}
		try {
			handle(message, channel);
		}
		catch (Throwable ex) {
			this.failures.error(logger, "Could not finish message " + describe(message)
					+ "; returning it to its queue in " + this.settings.redeliveryBackoff().toMillis() + " ms", ex);
			this.acks.requeue(channel, tag, "message " + tag);
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
			reject(message, channel,
					new DeadLetterRecoverer.Rejection(queue, String.valueOf(ex.getMessage()), ex.getTaskId(),
							ex.getTaskName(),
							contentType
									? new ExceptionInfo("ContentDisallowed", "kombu.exceptions",
											List.of(String.valueOf(ex.getMessage())), null)
									: new ExceptionInfo("InvalidTaskError", "celery.exceptions",
											List.of(String.valueOf(ex.getMessage())), null)));
			return;
		}
		TaskMethod method = this.registry.get(task.task());
		if (method == null) {
			String reason = "Task '" + task.task() + "' is not registered on worker " + this.settings.name();
			reject(message, channel, new DeadLetterRecoverer.Rejection(queue, reason, task.id(), task.task(),
					new ExceptionInfo("NotRegistered", "celery.exceptions", List.of(task.task()), null)));
			return;
		}
		this.lifecycle.received(task);
		if (Boolean.TRUE.equals(props.getRedelivered())) {
			RedeliveryGuard.Verdict verdict = this.redeliveries.check(task);
			if (verdict.action() == RedeliveryGuard.Action.SKIP) {
				channel.basicAck(props.getDeliveryTag(), false);
				return;
			}
			if (verdict.action() == RedeliveryGuard.Action.DEAD_LETTER) {
				reject(message, channel, new DeadLetterRecoverer.Rejection(queue, String.valueOf(verdict.reason()),
						task.id(), task.task(),
						new ExceptionInfo("WorkerLostError", "billiard.exceptions", List.of(verdict.reason()), null)));
				return;
			}
		}
		if (this.control.isRevoked(task)) {
			this.outcomes.revoke(task, method, queue, "revoked");
			channel.basicAck(props.getDeliveryTag(), false);
			return;
		}
		if (isExpired(task)) {
			this.outcomes.expired(task, method, queue);
			channel.basicAck(props.getDeliveryTag(), false);
			return;
		}
		OffsetDateTime eta = task.eta();
		if (eta != null) {
			long remaining = eta.toInstant().toEpochMilli() - this.clock.millis();
			if (remaining >= PARK_THRESHOLD_MILLIS) {
				// Acknowledged once the broker confirms the parked copy, without holding
				// the consumer meanwhile: its next messages are parked while this one's
				// confirm is on its way, up to the consumer's prefetch.
				CompletableFuture<Void> parked = park(message, queue, eta.toInstant().toEpochMilli());
				this.waiting.parked(task, queue, Boolean.TRUE.equals(props.getRedelivered()),
						eta.toInstant().toEpochMilli(), false);
				this.acks.acknowledge(channel, props.getDeliveryTag(), parked, task.id(),
						"park task " + task.id() + " in the delay queues");
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
		CompletableFuture<Void> stored = this.invoker.execute(task, method, queue,
				Boolean.TRUE.equals(props.getRedelivered()));
		this.acks.acknowledge(channel, props.getDeliveryTag(), stored, task.id());
	}

	/**
	 * Dead-letter a message that can never be a task here, then acknowledge it.
	 */
	private void reject(Message message, Channel channel, DeadLetterRecoverer.Rejection rejection) throws Exception {
		this.recoverer.recover(message, rejection);
		MessageProperties props = message.getMessageProperties();
		this.outcomes.rejected(rejection, props.getHeaders());
		channel.basicAck(props.getDeliveryTag(), false);
	}

	private CompletableFuture<Void> park(Message message, String queue, long dueMillis) {
		MessageProperties props = message.getMessageProperties();
		AMQP.BasicProperties out = this.propertiesConverter.fromMessageProperties(props, StandardCharsets.UTF_8.name());
		if (logger.isDebugEnabled()) {
			logger.debug("Parking message " + describe(message) + " until " + Instant.ofEpochMilli(dueMillis));
		}
		return this.delayQueues.parkUntilAsync(queue, dueMillis, out, message.getBody());
	}

	/**
	 * Hold a message unacknowledged until it is due, as Celery holds eta and rate-limited
	 * tasks: if this worker stops, the broker hands the message on. Only short waits come
	 * here: a task due within a second, or waiting for a rate-limit slot already reserved
	 * for it.
	 */
	private void hold(Message message, Channel channel, TaskMessage task, TaskMethod method, String queue,
			long delayMillis, boolean reserved) {
		this.waiting.held(task, queue, Boolean.TRUE.equals(message.getMessageProperties().getRedelivered()), reserved);
		TaskScheduler scheduler = this.executors.scheduler();
		scheduler.schedule(() -> {
			try {
				this.executors.heldTasks().execute(() -> runDue(message, channel, task, method, queue, reserved));
			}
			catch (RejectedExecutionException ex) {
				// The worker is being destroyed (its channel then takes the message
				// back),
				// or a given executor is full.
				logger.debug("Task " + task.id() + " held until due could not start; returning it to its queue", ex);
				this.waiting.done(task.id());
				this.acks.requeue(channel, message.getMessageProperties().getDeliveryTag(), "task " + task.id());
			}
		}, scheduler.getClock().instant().plusMillis(delayMillis));
	}

	private void runDue(Message message, Channel channel, TaskMessage task, TaskMethod method, String queue,
			boolean reserved) {
		this.waiting.done(task.id());
		long tag = message.getMessageProperties().getDeliveryTag();
		if (!channel.isOpen()) {
			// The consumer stopped: the broker has already put the message back for
			// another worker.
			return;
		}
		if (this.control.refuse(channel, tag)) {
			return;
		}
		try {
			CompletableFuture<Void> stored = Acknowledgements.done();
			if (isExpired(task)) {
				this.outcomes.expired(task, method, queue);
			}
			else {
				if (!reserved && awaitRateLimit(message, channel, task, method, queue)) {
					return;
				}
				stored = this.invoker.execute(task, method, queue,
						Boolean.TRUE.equals(message.getMessageProperties().getRedelivered()));
			}
			this.acks.acknowledge(channel, tag, stored, task.id());
		}
		catch (Throwable ex) {
			logger.error("Could not finish task " + task.id() + " held until it was due; returning it to its queue",
					ex);
			this.acks.requeue(channel, tag, "task " + task.id());
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
		TaskRateLimiter limiter = this.runtimes.of(method).limiter();
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
			this.lifecycle.rateLimited(task, wait, park);
		}
		if (park) {
			this.rateLimitGate.park(this.delayQueues, message, task, queue, wait, limiter, this.settings.name());
			this.waiting.parked(task, queue, Boolean.TRUE.equals(message.getMessageProperties().getRedelivered()),
					this.clock.millis() + wait, true);
			channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
		}
		else {
			hold(message, channel, task, method, queue, wait, true);
		}
		return true;
	}

	private boolean isExpired(TaskMessage task) {
		OffsetDateTime expires = task.expires();
		return expires != null && expires.toInstant().isBefore(this.clock.instant());
	}

	private static String queueOf(MessageProperties props) {
		String queue = props.getConsumerQueue();
		return (queue != null) ? queue : String.valueOf(props.getReceivedRoutingKey());
	}

	private static String describe(Message message) {
		Object id = message.getMessageProperties().getHeaders().get("id");
		return (id != null) ? "for task " + id : "with delivery tag " + message.getMessageProperties().getDeliveryTag();
	}

}
