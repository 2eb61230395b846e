package dev.taskqueue.autoconfigure.endpoint;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.broker.internal.QueueInspector;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.client.internal.TaskRouter;
import dev.taskqueue.autoconfigure.beat.BeatOperations;
import dev.taskqueue.beat.PeriodicTasks;
import dev.taskqueue.control.WorkerDirectory;
import dev.taskqueue.control.WorkerInfo;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.worker.TaskOptions;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.internal.TaskMethod;
import dev.taskqueue.worker.internal.TaskRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.support.RabbitExceptionTranslator;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code taskqueue} actuator endpoint of a worker or a dispatcher.
 * <ul>
 * <li>read ({@code GET /actuator/taskqueue}): on a worker, the worker, its registered
 * tasks with their effective options and where each came from ({@code annotation},
 * {@code yml} or {@code default}), the queues it consumes with their depth, consumers and
 * dead letters, and the tasks running now, their arguments masked unless
 * {@code management.endpoint.taskqueue.show-values} shows them; on every application, the
 * live workers of the cluster from their heartbeats;</li>
 * <li>write ({@code POST /actuator/taskqueue/{queue}}): re-drive the queue's dead
 * letters, moving the messages of {@code <queue>.dlq} back to {@code <queue>} without the
 * {@code x-taskqueue-*} headers the worker added when it dead-lettered them;</li>
 * <li>delete ({@code DELETE /actuator/taskqueue/{queue}}): purge
 * {@code <queue>.dlq}.</li>
 * </ul>
 * The read operation also lists the schedule of periodic tasks: its entries and the beat
 * that holds its lock. Only the queues this worker consumes can be re-driven or purged.
 * Over HTTP, {@link TaskQueueEndpointWebExtension} adds the cluster's workers, revocation
 * and rate limits, and running, enabling and disabling periodic tasks. The endpoint is
 * read-only unless {@code management.endpoint.taskqueue.access=unrestricted}: its write
 * and delete operations change the broker and the workers, so grant them only behind the
 * application's actuator security.
 */
@Endpoint(id = "taskqueue", defaultAccess = Access.READ_ONLY)
public class TaskQueueEndpoint {

	/** What masked values read: Spring Boot's sanitized value. */
	static final String MASK = "******";

	private static final String TASKQUEUE_HEADER_PREFIX = "x-taskqueue-";

	private final @Nullable WorkerContainer worker;

	private final @Nullable TaskRegistry registry;

	private final TaskRouter router;

	private final QueueInspector queues;

	private final ConnectionFactory connectionFactory;

	private final ConfirmedPublisher publisher;

	private final Show showValues;

	private @Nullable WorkerDirectory workers;

	private @Nullable PeriodicTasks periodicTasks;

	/**
	 * Create the endpoint.
	 * @param worker the worker, or {@code null} in a dispatcher-only application
	 * @param registry the worker's tasks, or {@code null} in a dispatcher-only
	 * application
	 * @param router the router (for each task's effective queue)
	 * @param queues reads queue depths and consumers
	 * @param connectionFactory the broker's connection factory (to re-drive and purge)
	 * @param publisher publishes re-driven messages with confirms
	 * @param showValues when the arguments of running tasks are shown (outside HTTP,
	 * {@link Show#WHEN_AUTHORIZED} shows them)
	 */
	public TaskQueueEndpoint(@Nullable WorkerContainer worker, @Nullable TaskRegistry registry, TaskRouter router,
			QueueInspector queues, ConnectionFactory connectionFactory, ConfirmedPublisher publisher, Show showValues) {
		this.worker = worker;
		this.registry = registry;
		this.router = router;
		this.queues = queues;
		this.connectionFactory = connectionFactory;
		this.publisher = publisher;
		this.showValues = showValues;
	}

	/**
	 * Set where the cluster's workers are listed from.
	 * @param workers the worker directory, or {@code null} (then no workers are listed)
	 */
	public void setWorkerDirectory(@Nullable WorkerDirectory workers) {
		this.workers = workers;
	}

	/**
	 * Set the schedule of periodic tasks.
	 * @param periodicTasks the schedule, or {@code null} (then none is shown)
	 */
	public void setPeriodicTasks(@Nullable PeriodicTasks periodicTasks) {
		this.periodicTasks = periodicTasks;
	}

	/**
	 * Describe the worker and the cluster's workers.
	 * @return the worker, its tasks, queues and running tasks (none of them in a
	 * dispatcher-only application), and the live workers
	 */
	@ReadOperation
	public WorkerDescriptor describe() {
		return describe(this.showValues.isShown(true));
	}

	WorkerDescriptor describe(boolean showArguments) {
		WorkersDescriptor cluster = workers();
		WorkerContainer worker = this.worker;
		TaskRegistry registry = this.registry;
		if (worker == null || registry == null) {
			return new WorkerDescriptor(null, null, null, null, null, null, cluster.workers(), cluster.error(), beat());
		}
		List<TaskDescriptor> tasks = new ArrayList<>();
		for (TaskMethod method : registry.getTasks()) {
			tasks.add(task(worker, method));
		}
		Map<String, QueueDescriptor> queues = new LinkedHashMap<>();
		for (String queue : worker.getQueues()) {
			queues.put(queue, queue(queue));
		}
		List<ActiveTaskDescriptor> active = worker.getActiveTasks()
			.stream()
			.map((task) -> new ActiveTaskDescriptor(task.id(), task.taskName(), task.queue(),
					showArguments ? String.valueOf(task.args()) : MASK,
					showArguments ? String.valueOf(task.kwargs()) : MASK, task.startedAt(), task.runtime().toMillis()))
			.toList();
		return new WorkerDescriptor(worker.getSettings().name(), worker.isRunning(), worker.getConcurrency(), tasks,
				queues, active, cluster.workers(), cluster.error(), beat());
	}

	/**
	 * The live workers of the cluster, from their heartbeats in Redis.
	 */
	WorkersDescriptor workers() {
		WorkerDirectory directory = this.workers;
		if (directory == null) {
			return new WorkersDescriptor(null, "Workers are listed from their heartbeats in Redis; "
					+ "this application has no RedisConnectionFactory");
		}
		try {
			return new WorkersDescriptor(directory.list(), null);
		}
		catch (RuntimeException ex) {
			return new WorkersDescriptor(null, "Could not list the workers from Redis: " + ex.getMessage());
		}
	}

	@Nullable PeriodicTasks getPeriodicTasks() {
		return this.periodicTasks;
	}

	private BeatOperations.@Nullable BeatDescriptor beat() {
		PeriodicTasks tasks = this.periodicTasks;
		return (tasks != null) ? BeatOperations.describe(tasks) : null;
	}

	private TaskDescriptor task(WorkerContainer worker, TaskMethod method) {
		String name = method.getName();
		TaskOptions options = worker.getSettings().optionsOf(name);
		Route configured = this.router.configuredRoute(name);
		Option queue = (configured != null) ? new Option(configured.queue(), "yml") : (method.getQueue() != null)
				? new Option(method.getQueue(), "annotation") : new Option(this.router.getDefaultQueue(), "default");
		RateLimit limit = worker.getRateLimit(name);
		Option rateLimit = new Option((limit != null) ? describe(limit) : null, worker.isRateLimitChanged(name)
				? "runtime"
				: (options.rateLimit() != null) ? "yml" : (method.getRateLimit() != null) ? "annotation" : "default");
		Option maxRetries = new Option(options.applyTo(method.getRetryPolicy()).maxRetries(),
				(options.maxRetries() != null) ? "yml" : "annotation");
		return new TaskDescriptor(name, method.describe(), queue, rateLimit, maxRetries, method.isIgnoreResult());
	}

	static String describe(RateLimit limit) {
		double permits = limit.permits();
		String count = (permits == Math.rint(permits)) ? String.valueOf((long) permits) : String.valueOf(permits);
		String rate = count + "/" + limit.per();
		String full = limit.describe();
		int options = full.indexOf(' ');
		return (options >= 0) ? rate + full.substring(options) : rate;
	}

	private QueueDescriptor queue(String queue) {
		try {
			QueueInspector.QueueState state = this.queues.cached(queue);
			QueueInspector.QueueState dlq = this.queues.cached(queue + QueueDeclarer.DLQ_SUFFIX);
			return new QueueDescriptor((state != null) ? state.messages() : null,
					(state != null) ? state.consumers() : null, (dlq != null) ? dlq.messages() : null, null);
		}
		catch (AmqpException ex) {
			return new QueueDescriptor(null, null, null, ex.getMessage());
		}
	}

	/**
	 * Move the dead letters of a queue back to it.
	 * @param queue a queue this worker consumes
	 * @return how many messages moved
	 */
	@WriteOperation
	public RedriveResult redrive(@Selector String queue) {
		String dlq = checkConsumed(queue) + QueueDeclarer.DLQ_SUFFIX;
		try (Connection connection = this.connectionFactory.createConnection();
				Channel channel = connection.createChannel(false)) {
			long available = channel.messageCount(dlq);
			long moved = 0;
			while (moved < available) {
				GetResponse response = channel.basicGet(dlq, false);
				if (response == null) {
					break;
				}
				this.publisher.publish("", queue, withoutTaskQueueHeaders(response.getProps()), response.getBody());
				channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
				moved++;
			}
			this.queues.fetch(queue);
			this.queues.fetch(dlq);
			return new RedriveResult(queue, dlq, moved);
		}
		catch (IOException | TimeoutException ex) {
			throw RabbitExceptionTranslator.convertRabbitAccessException(ex);
		}
	}

	/**
	 * Drop the dead letters of a queue.
	 * @param queue a queue this worker consumes
	 * @return how many messages were dropped
	 */
	@DeleteOperation
	public RedriveResult purge(@Selector String queue) {
		String dlq = checkConsumed(queue) + QueueDeclarer.DLQ_SUFFIX;
		try (Connection connection = this.connectionFactory.createConnection();
				Channel channel = connection.createChannel(false)) {
			long purged = channel.queuePurge(dlq).getMessageCount();
			this.queues.fetch(dlq);
			return new RedriveResult(queue, dlq, purged);
		}
		catch (IOException | TimeoutException ex) {
			throw RabbitExceptionTranslator.convertRabbitAccessException(ex);
		}
	}

	private String checkConsumed(String queue) {
		WorkerContainer worker = this.worker;
		if (worker == null) {
			throw new InvalidEndpointRequestException(
					"This application runs no worker: re-drive or purge '" + queue + "' on a worker that consumes it",
					"No worker in this application");
		}
		if (!worker.getQueues().contains(queue)) {
			throw new InvalidEndpointRequestException("Queue '" + queue + "' is not consumed by this worker",
					"Queue is not consumed by this worker");
		}
		return queue;
	}

	private static AMQP.BasicProperties withoutTaskQueueHeaders(AMQP.BasicProperties properties) {
		Map<String, Object> headers = new HashMap<>();
		if (properties.getHeaders() != null) {
			properties.getHeaders().forEach((name, value) -> {
				if (!name.startsWith(TASKQUEUE_HEADER_PREFIX)) {
					headers.put(name, value);
				}
			});
		}
		return properties.builder().headers(headers).build();
	}

	/**
	 * The worker as the endpoint describes it, and the cluster's workers. The worker's
	 * own fields are absent in a dispatcher-only application.
	 *
	 * @param name the worker name
	 * @param running whether it consumes
	 * @param concurrency how many tasks it runs at once
	 * @param tasks its registered tasks
	 * @param queues the queues it consumes
	 * @param activeTasks the tasks running now
	 * @param workers the live workers of the cluster, from their heartbeats ({@code null}
	 * when they could not be listed)
	 * @param workersError why the workers could not be listed, if they could not
	 * @param beat the schedule of periodic tasks and who fires it, when the application
	 * has Redis
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record WorkerDescriptor(@Nullable String name, @Nullable Boolean running, @Nullable Integer concurrency,
			@Nullable List<TaskDescriptor> tasks, @Nullable Map<String, QueueDescriptor> queues,
			@Nullable List<ActiveTaskDescriptor> activeTasks, @Nullable List<WorkerInfo> workers,
			@Nullable String workersError, BeatOperations.@Nullable BeatDescriptor beat) {

	}

	/**
	 * The live workers of the cluster.
	 *
	 * @param workers the workers by name ({@code null} when they could not be listed)
	 * @param error why they could not be listed, if they could not
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record WorkersDescriptor(@Nullable List<WorkerInfo> workers, @Nullable String error) {

	}

	/**
	 * A registered task and its effective options.
	 *
	 * @param name the task name
	 * @param method the method that runs it
	 * @param queue the queue it is sent to
	 * @param rateLimit its rate limit per worker ({@code null} value: none)
	 * @param maxRetries how many retries it is allowed
	 * @param ignoreResult whether its result is not stored
	 */
	public record TaskDescriptor(String name, String method, Option queue, Option rateLimit, Option maxRetries,
			boolean ignoreResult) {

	}

	/**
	 * An effective option and where it came from.
	 *
	 * @param value the value
	 * @param source {@code yml} ({@code taskqueue.*} properties), {@code annotation}
	 * ({@code @QueueTask}) or {@code default}
	 */
	public record Option(@Nullable Object value, String source) {

	}

	/**
	 * A consumed queue as the broker describes it.
	 *
	 * @param messages messages ready ({@code null} if the queue does not exist)
	 * @param consumers consumers attached from every worker
	 * @param deadLetters messages in its dead-letter queue
	 * @param error why the broker could not be asked, if it could not
	 */
	public record QueueDescriptor(@Nullable Long messages, @Nullable Integer consumers, @Nullable Long deadLetters,
			@Nullable String error) {

	}

	/**
	 * A task running now.
	 *
	 * @param id the task id
	 * @param name the task name
	 * @param queue the queue it came from
	 * @param args its positional arguments, or {@code ******} when they are not shown
	 * @param kwargs its keyword arguments, or {@code ******} when they are not shown
	 * @param startedAt when it started
	 * @param runtimeMillis how long it has run
	 */
	public record ActiveTaskDescriptor(String id, String name, String queue, String args, String kwargs,
			Instant startedAt, long runtimeMillis) {

	}

	/**
	 * A rate-limit change.
	 *
	 * @param task the task name
	 * @param rateLimit the new limit
	 * @param receivers how many processes listened on the control channel
	 */
	public record RateLimitChange(String task, String rateLimit, long receivers) {

	}

	/**
	 * A revocation.
	 *
	 * @param id the task id
	 * @param terminate whether a running task is interrupted
	 */
	public record RevokeResult(String id, boolean terminate) {

	}

	/**
	 * What a re-drive or purge did.
	 *
	 * @param queue the task queue
	 * @param deadLetterQueue its dead-letter queue
	 * @param messages how many messages were moved or dropped
	 */
	public record RedriveResult(String queue, String deadLetterQueue, long messages) {

	}

}
