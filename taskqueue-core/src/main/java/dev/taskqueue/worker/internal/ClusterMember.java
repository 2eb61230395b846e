package dev.taskqueue.worker.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.control.internal.node.ConsumedQueue;
import dev.taskqueue.control.internal.node.ControlledWorker;
import dev.taskqueue.control.internal.node.PoolInfo;
import dev.taskqueue.control.internal.node.RegisteredTask;
import dev.taskqueue.control.internal.node.RequestInfo;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.worker.WorkerSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * A worker as Celery's remote control and monitoring see it, over the worker's parts:
 * what it runs ({@link ActiveTasks}), holds or parks ({@link WaitingTasks}), can run
 * ({@link TaskRegistry}) and consumes (its listener containers), and the changes
 * {@code celery control} may make to it, through {@link WorkerControl}, the task runtimes
 * and time limits, and the listener containers.
 * <p>
 * Reports come from memory only, never from the broker or Redis: the node's callers wait
 * about a second.
 */
public final class ClusterMember implements ControlledWorker {

	private static final Log logger = LogFactory.getLog(ClusterMember.class);

	private final WorkerParts parts;

	private final TaskRegistry registry;

	private final WorkerSettings settings;

	private final List<SimpleMessageListenerContainer> containers;

	private final QueueDeclarer declarer;

	private final ConnectionFactory connectionFactory;

	private volatile @Nullable Predicate<String> shutdown;

	/**
	 * Applies {@code add_consumer} and {@code cancel_consumer} to the listener
	 * containers, one change at a time and in order. A container that changes its queues
	 * first waits for its consumers to stop, which takes as long as the tasks they run
	 * (up to the shutdown timeout): on the node's thread, that would hold every command
	 * after it, {@code revoke} among them, and the callers' replies would time out.
	 */
	private final ThreadPoolExecutor consumerChanges;

	/** Queues added, not yet consumed by their container. */
	private final Set<String> adding = ConcurrentHashMap.newKeySet();

	/** Queues cancelled, still consumed by their container. */
	private final Set<String> cancelling = ConcurrentHashMap.newKeySet();

	/**
	 * Create the member for a worker.
	 * @param parts the worker's parts
	 * @param registry its tasks
	 * @param settings its settings
	 * @param containers its listener containers, the first consuming the queues without
	 * settings of their own
	 * @param declarer declares queues added by {@code add_consumer}
	 * @param connectionFactory its connection factory (for {@code conf})
	 */
	public ClusterMember(WorkerParts parts, TaskRegistry registry, WorkerSettings settings,
			List<SimpleMessageListenerContainer> containers, QueueDeclarer declarer,
			ConnectionFactory connectionFactory) {
		this.parts = parts;
		this.registry = registry;
		this.settings = settings;
		this.containers = containers;
		this.declarer = declarer;
		this.connectionFactory = connectionFactory;
		CustomizableThreadFactory threads = new CustomizableThreadFactory("taskqueue-consumer-changes-");
		threads.setDaemon(true);
		this.consumerChanges = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
		this.consumerChanges.allowCoreThreadTimeOut(true);
	}

	/**
	 * Stop applying consumer changes; those not yet applied are dropped, as the worker
	 * stops consuming altogether.
	 */
	public void close() {
		this.consumerChanges.shutdownNow();
	}

	/**
	 * Set what a remote {@code shutdown} does.
	 * @param shutdown stops the worker (given the reason) and returns {@code true}, or
	 * returns {@code false} to refuse; {@code null} refuses every remote shutdown
	 */
	public void setShutdown(@Nullable Predicate<String> shutdown) {
		this.shutdown = shutdown;
	}

	@Override
	public List<RequestInfo> active() {
		long pid = ProcessIdentity.pid();
		return this.parts.activeTasks()
			.list()
			.stream()
			.map((running) -> RequestInfo.of(running.message(), "", running.queue(), false)
				.started(running.startedAt(), pid))
			.toList();
	}

	@Override
	public List<RequestInfo> reserved() {
		return this.parts.waiting().reserved();
	}

	@Override
	public List<RequestInfo> scheduled() {
		return this.parts.waiting().scheduled();
	}

	@Override
	public Map<String, Long> totals() {
		return this.parts.lifecycle().totals();
	}

	@Override
	public List<RegisteredTask> registered() {
		List<RegisteredTask> tasks = new ArrayList<>();
		for (TaskMethod method : this.registry.getTasks()) {
			Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
			RateLimit limit = this.parts.runtimes().rateLimitOf(method);
			attributes.put("rate_limit", (limit != null) ? limit.describe() : null);
			@Nullable Duration[] limits = this.parts.timeLimits().limitsOf(method);
			attributes.put("soft_time_limit", seconds(limits[0]));
			attributes.put("time_limit", seconds(limits[1]));
			attributes.put("max_retries",
					this.settings.optionsOf(method.getName()).applyTo(method.getRetryPolicy()).maxRetries());
			attributes.put("ignore_result", method.isIgnoreResult());
			attributes.put("acks_late", true);
			attributes.put("queue", method.getQueue());
			tasks.add(new RegisteredTask(method.getName(), attributes));
		}
		return tasks;
	}

	private static @Nullable Object seconds(@Nullable Duration duration) {
		if (duration == null) {
			return null;
		}
		double seconds = duration.toNanos() / 1e9;
		return (seconds == Math.rint(seconds)) ? (Object) (long) seconds : (Object) seconds;
	}

	@Override
	public List<ConsumedQueue> activeQueues() {
		List<ConsumedQueue> queues = new ArrayList<>();
		for (String queue : consumedQueues()) {
			Map<String, @Nullable Object> arguments = new LinkedHashMap<>(
					this.declarer.argumentsOf(queue).toArguments(queue));
			ConsumedQueue named = ConsumedQueue.named(queue);
			queues.add(new ConsumedQueue(queue, named.exchange(), named.exchangeType(), named.routingKey(), true, false,
					false, arguments));
		}
		return queues;
	}

	private Set<String> consumedQueues() {
		Set<String> queues = new LinkedHashSet<>();
		for (SimpleMessageListenerContainer container : this.containers) {
			if (container.isRunning()) {
				queues.addAll(Arrays.asList(container.getQueueNames()));
			}
		}
		// As the changes asked for leave them.
		queues.addAll(this.adding);
		queues.removeAll(this.cancelling);
		return queues;
	}

	@Override
	public PoolInfo pool() {
		int concurrency = 0;
		for (SimpleMessageListenerContainer container : this.containers) {
			concurrency += container.getActiveConsumerCount();
		}
		return new PoolInfo("java.util.concurrent:ThreadPoolExecutor", Math.max(concurrency, 0),
				this.settings.softTimeLimit(), this.settings.timeLimit());
	}

	@Override
	public int prefetchCount() {
		int prefetch = 0;
		for (SimpleMessageListenerContainer container : this.containers) {
			String queue = container.getQueueNames().length > 0 ? container.getQueueNames()[0] : "";
			prefetch += container.getActiveConsumerCount() * this.settings.prefetchOf(queue);
		}
		return prefetch;
	}

	@Override
	public Map<String, @Nullable Object> configuration() {
		Map<String, @Nullable Object> conf = new LinkedHashMap<>();
		conf.put("broker_url",
				"amqp://" + this.connectionFactory.getUsername() + ":********@" + this.connectionFactory.getHost() + ":"
						+ this.connectionFactory.getPort() + "/" + this.connectionFactory.getVirtualHost());
		conf.put("task_queues", List.copyOf(consumedQueues()));
		conf.put("worker_concurrency", this.settings.concurrency());
		conf.put("worker_prefetch_multiplier", this.settings.prefetch());
		conf.put("task_acks_late", true);
		conf.put("task_time_limit", seconds(this.settings.timeLimit()));
		conf.put("task_soft_time_limit", seconds(this.settings.softTimeLimit()));
		conf.put("result_extended", this.settings.extendedResults());
		return conf;
	}

	@Override
	public Set<String> revoke(Set<String> taskIds, @Nullable String terminateSignal) {
		// Held and parked tasks are refused when due: the ids are in the node's revoked
		// set, which the worker looks up.
		Set<String> terminated = new LinkedHashSet<>();
		if (terminateSignal != null) {
			for (String id : taskIds) {
				if (this.parts.control().terminate(id)) {
					terminated.add(id);
				}
			}
		}
		return terminated;
	}

	@Override
	public Set<String> revokeByStamps(Map<String, List<String>> stamps, @Nullable String terminateSignal) {
		this.parts.control().revokeStamps(stamps);
		Set<String> terminated = new LinkedHashSet<>();
		if (terminateSignal != null) {
			for (ActiveTasks.RunningTask running : this.parts.activeTasks().list()) {
				if (WorkerControl.matchesStamps(running.message(), stamps)
						&& this.parts.control().terminate(running.id())) {
					terminated.add(running.id());
				}
			}
		}
		return terminated;
	}

	@Override
	public boolean rateLimit(String taskName, @Nullable RateLimit limit) {
		if (this.registry.get(taskName) == null) {
			return false;
		}
		if (limit != null && !this.parts.control().supports(limit)) {
			throw new UnsupportedOperationException("a cluster-wide rate limit needs Redis on this worker");
		}
		this.parts.control().setRateLimit(taskName, limit);
		return true;
	}

	@Override
	public boolean timeLimits(String taskName, @Nullable Duration soft, @Nullable Duration hard) {
		if (this.registry.get(taskName) == null) {
			return false;
		}
		this.parts.timeLimits().change(taskName, soft, hard);
		logger.info("Time limits of task " + taskName + " changed to soft " + soft + ", hard " + hard);
		return true;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The queue is declared at once, so a refused declaration is the command's error; the
	 * container starts consuming it on a thread of its own, once its consumers have
	 * finished the tasks they run.
	 */
	@Override
	public synchronized boolean addConsumer(ConsumedQueue queue) {
		String name = queue.name();
		if (consumedQueues().contains(name)) {
			return false;
		}
		this.declarer.declareQueue(name);
		this.cancelling.remove(name);
		this.adding.add(name);
		change(() -> {
			try {
				this.containers.get(0).addQueueNames(name);
				logger.info("Started consuming from " + name + " (add_consumer)");
			}
			finally {
				this.adding.remove(name);
			}
		}, "start consuming from " + name);
		return true;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The containers stop consuming the queue on a thread of their own, once their
	 * consumers have finished the tasks they run.
	 */
	@Override
	public synchronized void cancelConsumer(String queue) {
		this.adding.remove(queue);
		this.cancelling.add(queue);
		change(() -> {
			try {
				for (SimpleMessageListenerContainer container : this.containers) {
					List<String> names = Arrays.asList(container.getQueueNames());
					if (!names.contains(queue)) {
						continue;
					}
					if (names.size() == 1) {
						// A container without queues cannot consume: it stops instead.
						container.stop();
					}
					else {
						container.removeQueueNames(queue);
					}
					logger.info("Stopped consuming from " + queue + " (cancel_consumer)");
				}
			}
			finally {
				this.cancelling.remove(queue);
			}
		}, "stop consuming from " + queue);
	}

	private void change(Runnable change, String description) {
		this.consumerChanges.execute(() -> {
			try {
				change.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not " + description + ": " + ex.getMessage(), ex);
			}
		});
	}

	@Override
	public void resizePool(int delta) {
		SimpleMessageListenerContainer container = this.containers.get(0);
		int current = container.getActiveConsumerCount();
		int target = Math.max(1, current + delta);
		container.setConcurrentConsumers(target);
		logger
			.info("Consumers of " + List.of(container.getQueueNames()) + " changed from " + current + " to " + target);
	}

	@Override
	public boolean shutdown(String reason) {
		Predicate<String> shutdown = this.shutdown;
		return shutdown != null && shutdown.test(reason);
	}

}
