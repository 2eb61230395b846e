package dev.taskqueue.worker;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.taskqueue.broker.ConfirmedPublisher;
import dev.taskqueue.broker.QueueDeclarer;
import dev.taskqueue.protocol.CeleryTime;
import dev.taskqueue.protocol.InvalidMessageException;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageCodec;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.RateLimiter;
import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.ResultMeta;
import dev.taskqueue.result.TaskState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Runs the task a message names and acknowledges the message only once the outcome is stored
 * (late acknowledgement).
 * <p>
 * A message that cannot be a task here (content type not accepted, not protocol v2, task not
 * registered) is never run and never requeued: it is republished to {@code <queue>.dlq} with the
 * reason in its headers, a {@code FAILURE} result is stored when the id is readable, and then it is
 * acknowledged. When the outcome cannot be stored or dead-lettered (Redis or the broker down), the
 * message goes back to its queue after a pause, so nothing is lost.
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

	private final TaskRegistry registry;

	private final TaskMessageCodec codec;

	private final ResultBackend backend;

	private final ConfirmedPublisher publisher;

	private final QueueDeclarer declarer;

	private final WorkerSettings settings;

	private final ScheduledExecutorService scheduler;

	private final Executor executor;

	private final Map<String, Optional<RateLimiter>> rateLimiters = new ConcurrentHashMap<>();

	private final MessagePropertiesConverter propertiesConverter = new DefaultMessagePropertiesConverter();

	/**
	 * Create a listener.
	 * @param registry the tasks this worker runs
	 * @param codec the message codec
	 * @param backend where outcomes are stored
	 * @param publisher publishes dead letters
	 * @param declarer declares dead-letter queues
	 * @param settings the worker settings
	 * @param scheduler holds tasks whose eta is in the future until they are due
	 * @param executor runs tasks that were held until their eta
	 */
	public TaskMessageListener(TaskRegistry registry, TaskMessageCodec codec, ResultBackend backend,
			ConfirmedPublisher publisher, QueueDeclarer declarer, WorkerSettings settings,
			ScheduledExecutorService scheduler, Executor executor) {
		this.registry = registry;
		this.codec = codec;
		this.backend = backend;
		this.publisher = publisher;
		this.declarer = declarer;
		this.settings = settings;
		this.scheduler = scheduler;
		this.executor = executor;
	}

	@Override
	public void onMessage(Message message, @Nullable Channel channel) {
		if (channel == null) {
			throw new IllegalStateException("A channel is required: the container must use manual acknowledgement");
		}
		long tag = message.getMessageProperties().getDeliveryTag();
		try {
			handle(message, channel);
		}
		catch (Throwable ex) {
			logger.error("Could not finish message " + describe(message) + "; returning it to its queue in "
					+ this.settings.redeliveryBackoff().toMillis() + " ms", ex);
			requeue(channel, tag);
		}
	}

	private void handle(Message message, Channel channel) throws Exception {
		MessageProperties props = message.getMessageProperties();
		String queue = queueOf(props);
		TaskMessage task;
		try {
			task = this.codec.decode(props, message.getBody());
		}
		catch (InvalidMessageException ex) {
			String type = ex.getMessage() != null && ex.getMessage().startsWith("content type")
					? "ContentDisallowed" : "InvalidTaskError";
			String module = type.equals("ContentDisallowed") ? "kombu.exceptions" : "celery.exceptions";
			reject(message, channel, queue, ex.getMessage(), ex.getTaskId(), ex.getTaskName(),
					new ExceptionInfo(type, module, List.of(String.valueOf(ex.getMessage())), null));
			return;
		}
		TaskMethod method = this.registry.get(task.task());
		if (method == null) {
			String reason = "Task '" + task.task() + "' is not registered on worker " + this.settings.name();
			reject(message, channel, queue, reason, task.id(), task.task(),
					new ExceptionInfo("NotRegistered", "celery.exceptions", List.of(task.task()), null));
			return;
		}
		OffsetDateTime expires = task.expires();
		if (expires != null && expires.isBefore(OffsetDateTime.now())) {
			revokeExpired(task, method, queue);
			channel.basicAck(props.getDeliveryTag(), false);
			return;
		}
		OffsetDateTime eta = task.eta();
		if (eta != null) {
			long delay = eta.toInstant().toEpochMilli() - System.currentTimeMillis();
			if (delay > 0) {
				hold(message, channel, task, method, queue, delay);
				return;
			}
		}
		long wait = rateLimitWait(method);
		if (wait > 0) {
			hold(message, channel, task, method, queue, -wait);
			return;
		}
		execute(task, method, queue);
		channel.basicAck(props.getDeliveryTag(), false);
	}

	/**
	 * Hold a message unacknowledged until it is due, as Celery holds eta and rate-limited tasks:
	 * if this worker stops, the broker hands the message on. A positive delay waits for the eta
	 * (the rate limit is checked then); a negative one waits for an already reserved rate-limit
	 * slot.
	 */
	private void hold(Message message, Channel channel, TaskMessage task, TaskMethod method, String queue,
			long delay) {
		this.scheduler.schedule(() -> this.executor.execute(() -> runDue(message, channel, task, method, queue,
				delay < 0)), Math.abs(delay), TimeUnit.MILLISECONDS);
	}

	private void runDue(Message message, Channel channel, TaskMessage task, TaskMethod method, String queue,
			boolean reserved) {
		long tag = message.getMessageProperties().getDeliveryTag();
		if (!channel.isOpen()) {
			// The consumer stopped: the broker has already put the message back for another worker.
			return;
		}
		try {
			OffsetDateTime expires = task.expires();
			if (expires != null && expires.isBefore(OffsetDateTime.now())) {
				revokeExpired(task, method, queue);
			}
			else {
				long wait = reserved ? 0 : rateLimitWait(method);
				if (wait > 0) {
					hold(message, channel, task, method, queue, -wait);
					return;
				}
				execute(task, method, queue);
			}
			channel.basicAck(tag, false);
		}
		catch (Throwable ex) {
			logger.error("Could not finish task " + task.id() + " held until it was due; returning it to its queue",
					ex);
			requeue(channel, tag);
		}
	}

	private long rateLimitWait(TaskMethod method) {
		RateLimiter limiter = this.rateLimiters.computeIfAbsent(method.getName(), (name) -> {
			RateLimit limit = this.settings.rateLimits().getOrDefault(name, method.getRateLimit());
			return Optional.ofNullable((limit != null) ? new RateLimiter(limit) : null);
		}).orElse(null);
		return (limiter != null) ? limiter.reserveMillis() : 0;
	}

	/**
	 * Bind, run and store the outcome of one task.
	 * @param task the message
	 * @param method the task method
	 * @param queue the queue it came from
	 */
	void execute(TaskMessage task, TaskMethod method, String queue) {
		boolean ignoreResult = task.ignoreResult() || method.isIgnoreResult();
		Object result;
		try {
			@Nullable Object[] values = method.bind(task.args(), task.kwargs(), this.codec.mapper());
			result = method.invoke(values);
		}
		catch (Throwable ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			if (ex instanceof TaskArgumentException) {
				logger.error("Task " + task.task() + "[" + task.id() + "] refused its arguments: " + ex.getMessage());
			}
			else {
				logger.info("Task " + task.task() + "[" + task.id() + "] raised " + ex);
				logger.debug("Task " + task.task() + "[" + task.id() + "] stack trace", ex);
			}
			if (!ignoreResult || this.settings.storeErrorsEvenIfIgnored()) {
				this.backend.store(meta(task, TaskState.FAILURE, ExceptionInfo.of(ex, null).toResult(),
						stackTrace(ex), method.getName(), queue));
			}
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Task " + task.task() + "[" + task.id() + "] succeeded");
		}
		if (!ignoreResult) {
			this.backend.store(meta(task, TaskState.SUCCESS, result, null, method.getName(), queue));
		}
	}

	private void revokeExpired(TaskMessage task, TaskMethod method, String queue) {
		logger.info("Task " + task.task() + "[" + task.id() + "] expired at " + task.expires() + "; not run");
		if (!(task.ignoreResult() || method.isIgnoreResult()) || this.settings.storeErrorsEvenIfIgnored()) {
			ExceptionInfo revoked = new ExceptionInfo("TaskRevokedError", "celery.exceptions",
					List.of("expired at " + CeleryTime.formatAware(task.expires())), null);
			this.backend.store(meta(task, TaskState.REVOKED, revoked.toResult(), null, method.getName(), queue));
		}
	}

	private void reject(Message message, Channel channel, String queue, String reason, @Nullable String taskId,
			@Nullable String taskName, ExceptionInfo failure) throws Exception {
		logger.error("Rejected message " + ((taskId != null) ? "for task " + taskId + " " : "") + "from queue '"
				+ queue + "': " + reason + "; moved to '" + queue + QueueDeclarer.DLQ_SUFFIX + "'");
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
		channel.basicAck(props.getDeliveryTag(), false);
	}

	private ResultMeta meta(TaskMessage task, TaskState state, @Nullable Object result, @Nullable String traceback,
			String name, String queue) {
		boolean extended = this.settings.extendedResults();
		return new ResultMeta(task.id(), state, result, traceback, List.of(), CeleryTime.formatNaiveUtc(Instant.now()),
				task.group(), task.parentId(), extended ? name : null, extended ? task.args() : null,
				extended ? (Map<String, ?>) task.kwargs() : null, extended ? this.settings.name() : null,
				extended ? task.retries() : null, extended ? queue : null);
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
			// The channel is gone, and with it the delivery: the broker requeues it by itself.
			logger.debug("Could not return message " + tag + " to its queue", ex);
		}
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

}
