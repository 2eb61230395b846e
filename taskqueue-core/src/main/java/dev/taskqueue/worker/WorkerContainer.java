package dev.taskqueue.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.DelayQueues;
import dev.taskqueue.broker.internal.QueueDeclarationException;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.internal.UniqueLocks;
import dev.taskqueue.control.internal.ControlBus;
import dev.taskqueue.observation.TaskExecuteObservationConvention;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.internal.ClusterRateLimiters;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.worker.internal.Acknowledgements;
import dev.taskqueue.worker.internal.ActiveTasks;
import dev.taskqueue.worker.internal.ClusterMember;
import dev.taskqueue.worker.internal.ClusterNode;
import dev.taskqueue.worker.internal.TaskMethod;
import dev.taskqueue.worker.internal.TaskRegistry;
import dev.taskqueue.worker.internal.WorkerParts;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.Assert;

/**
 * Consumes the worker's queues and runs their tasks: one listener container with
 * {@code concurrency} consumers, manual (late) acknowledgement and {@code prefetch}
 * messages per consumer for the queues without settings of their own, and one container
 * per queue that has its own concurrency or prefetch
 * ({@link WorkerSettings#queueOptions()}). Declares each queue, its exchange and its
 * dead-letter queue before consuming.
 * <p>
 * The threads it runs on can be given before it starts: the consumers'
 * ({@link #setConsumerTaskExecutor}), the scheduler that holds tasks until due and
 * returns messages after the redelivery backoff ({@link #setTaskScheduler}), the executor
 * of held tasks once due ({@link #setHeldTaskExecutor}) and that of methods under a hard
 * time limit ({@link #setTimeLimitExecutor}). Each defaults to threads of the worker's
 * own, which it shuts down when destroyed; a given one is left to its owner.
 */
public class WorkerContainer implements SmartLifecycle, ApplicationEventPublisherAware {

	private static final Log logger = LogFactory.getLog(WorkerContainer.class);

	/**
	 * Long header values (argsrepr of big arguments) stay strings up to this many bytes.
	 */
	private static final int LONG_STRING_LIMIT = 1024 * 1024;

	/** Longest wait at stop for results still on their way to the store. */
	private static final Duration ACK_DRAIN_TIMEOUT = Duration.ofSeconds(5);

	private final QueueDeclarer declarer;

	private final WorkerSettings settings;

	private final TaskRegistry registry;

	private final WorkerParts parts;

	private final List<SimpleMessageListenerContainer> containers;

	private final ConnectionFactory connectionFactory;

	private final ConnectionListener redeclare;

	private final DelayQueues delayQueues;

	private @Nullable ControlBus control;

	private final ClusterMember member;

	private @Nullable ClusterNode clusterNode;

	private volatile boolean started;

	private boolean autoStartup = true;

	private boolean autoStartupWithoutTasks = true;

	private boolean reportedIdle;

	/**
	 * Create a worker container.
	 * @param connectionFactory the connection factory to consume with
	 * @param registry the tasks to run
	 * @param codec the message codec
	 * @param backend the result backend
	 * @param client sends callbacks and errbacks
	 * @param publisher the confirmed publisher (dead letters, retries, parked tasks)
	 * @param declarer the queue declarer
	 * @param delayQueues parks tasks that are not due yet
	 * @param settings the worker settings
	 */
	public WorkerContainer(ConnectionFactory connectionFactory, TaskRegistry registry, TaskMessageCodec codec,
			ResultBackend backend, TaskClient client, ConfirmedPublisher publisher, QueueDeclarer declarer,
			DelayQueues delayQueues, WorkerSettings settings) {
		this.declarer = declarer;
		this.settings = settings;
		this.registry = registry;
		this.delayQueues = delayQueues;
		this.parts = WorkerParts.assemble(this, registry, codec, backend, client, publisher, declarer, delayQueues,
				settings);
		this.containers = new ArrayList<>();
		groups(settings).forEach((name, queues) -> this.containers.add(container(connectionFactory, name, queues,
				settings.concurrencyOf(queues.get(0)), settings.prefetchOf(queues.get(0)))));
		this.member = new ClusterMember(this.parts, registry, settings, this.containers, declarer, connectionFactory);
		// Declare again on every new connection: the broker may have restarted without
		// them.
		this.connectionFactory = connectionFactory;
		this.redeclare = (connection) -> {
			this.declarer.reset();
			this.delayQueues.reset();
			try {
				declareQueues();
			}
			catch (AmqpException ex) {
				logger.warn("Could not declare the worker's queues " + this.settings.queues() + ": " + ex.getMessage());
			}
		};
		connectionFactory.addConnectionListener(this.redeclare);
	}

	/**
	 * The queues that share consumers: those without settings of their own together, each
	 * other queue alone.
	 */
	private static Map<String, List<String>> groups(WorkerSettings settings) {
		Map<String, List<String>> groups = new LinkedHashMap<>();
		for (String queue : settings.queues()) {
			String group = settings.queueOptionsOf(queue).isOwn() ? "taskqueueWorker-" + queue : "taskqueueWorker";
			groups.computeIfAbsent(group, (key) -> new ArrayList<>()).add(queue);
		}
		return groups;
	}

	private static int totalConcurrency(WorkerSettings settings) {
		return groups(settings).values().stream().mapToInt((queues) -> settings.concurrencyOf(queues.get(0))).sum();
	}

	private SimpleMessageListenerContainer container(ConnectionFactory connectionFactory, String name,
			List<String> queues, int concurrency, int prefetch) {
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
		container.setQueueNames(queues.toArray(String[]::new));
		container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		container.setConcurrentConsumers(concurrency);
		container.setPrefetchCount(prefetch);
		container.setMessagePropertiesConverter(new DefaultMessagePropertiesConverter(LONG_STRING_LIMIT));
		container.setMissingQueuesFatal(false);
		container.setDefaultRequeueRejected(true);
		// Running tasks get this long to finish on stop; then the channels close and the
		// broker requeues whatever is still unacknowledged.
		container.setShutdownTimeout(Math.max(1, this.settings.shutdownTimeout().toMillis()));
		container.setMessageListener(this.parts.listener());
		container.setBeanName(name);
		container.afterPropertiesSet();
		return container;
	}

	private void declareQueues() {
		for (String queue : this.settings.queues()) {
			this.declarer.declareConsumedQueue(queue);
			this.declarer.declareDeadLetterQueue(queue);
			this.delayQueues.bindTarget(queue);
		}
	}

	/**
	 * Run the consumers of every listener container on this executor (Spring AMQP's
	 * container {@code taskExecutor}) instead of a thread each of their own. It must run
	 * {@link #getConcurrency()} consumers at once, and each container's wait for its
	 * running tasks when it stops. Set before {@link #start()}.
	 * @param executor the executor of the consumers
	 */
	public void setConsumerTaskExecutor(Executor executor) {
		assertNotStarted("consumer task executor");
		this.containers.forEach((container) -> container.setTaskExecutor(executor));
	}

	/**
	 * Use this scheduler to hold tasks until they are due (an eta, a rate-limit slot
	 * under a second away), to return messages to their queue after the redelivery
	 * backoff, and to interrupt methods at their soft time limit, instead of a thread of
	 * the worker's own. Set before {@link #start()}.
	 * @param scheduler the scheduler
	 */
	public void setTaskScheduler(TaskScheduler scheduler) {
		assertNotStarted("task scheduler");
		this.parts.executors().setScheduler(scheduler);
	}

	/**
	 * Run tasks that were held until due on this executor, instead of a pool of
	 * {@link #getConcurrency()} threads of the worker's own. Set before {@link #start()}.
	 * The worker does not wait for them when it is destroyed.
	 * @param executor the executor of held tasks
	 */
	public void setHeldTaskExecutor(Executor executor) {
		assertNotStarted("held task executor");
		this.parts.executors().setHeldTasks(executor);
	}

	/**
	 * Run methods that have a hard time limit on this executor, instead of daemon threads
	 * of the worker's own. A method still running at its limit is abandoned on its thread
	 * (the JVM cannot stop it), so the executor must start each method at once and afford
	 * threads that never come back; virtual threads suit it. Set before {@link #start()}.
	 * @param executor the executor of time-limited methods
	 */
	public void setTimeLimitExecutor(Executor executor) {
		assertNotStarted("time limit executor");
		this.parts.executors().setTimeLimited(executor);
	}

	private void assertNotStarted(String what) {
		Assert.state(!this.started,
				() -> "The " + what + " of worker " + this.settings.name() + " must be set before it starts");
	}

	/**
	 * Enforce cluster-wide rate limits with shared buckets in Redis. Set before
	 * {@link #start()}; without it, a task with a cluster-wide limit stops the worker
	 * from starting.
	 * @param cluster the shared limiters, or {@code null} for none
	 */
	public void setClusterRateLimiters(@Nullable ClusterRateLimiters cluster) {
		this.parts.control().setClusterRateLimiters(cluster);
	}

	/**
	 * Set the listeners that apply to every task.
	 * @param listeners the listeners
	 */
	public void setTaskListeners(List<TaskListener> listeners) {
		this.parts.lifecycle().setTaskListeners(listeners);
		this.parts.runtimes().refresh();
	}

	/**
	 * Take part in the cluster's control plane: refuse revoked tasks and interrupt
	 * running ones revoked with {@code terminate}. Set before {@link #start()}.
	 * @param control the control bus, or {@code null} for none
	 */
	public void setControlBus(@Nullable ControlBus control) {
		this.control = control;
		this.parts.control().setControlBus(control);
	}

	/**
	 * Join the Celery cluster as this node: answer {@code celery inspect} and
	 * {@code celery control}, refuse the tasks revoked there, and send Celery's worker
	 * (and, when on, task) events. Set before {@link #start()}.
	 * @param node the node, or {@code null} to stay out of the cluster
	 */
	public void setClusterNode(@Nullable ClusterNode node) {
		assertNotStarted("cluster node");
		this.clusterNode = node;
		this.parts.control().setRevokedTasks((node != null) ? node.getRevoked() : null);
	}

	/**
	 * Return this worker's node in the Celery cluster.
	 * @return the node, or {@code null} when it does not take part
	 */
	public @Nullable ClusterNode getClusterNode() {
		return this.clusterNode;
	}

	/**
	 * Decide what Celery's remote {@code shutdown} does to this worker.
	 * @param shutdown stops what it should (given the reason) and returns {@code true},
	 * or returns {@code false} to refuse; {@code null} (the default) refuses
	 */
	public void setRemoteShutdown(@Nullable Predicate<String> shutdown) {
		this.member.setShutdown(shutdown);
	}

	/**
	 * How many task threads were abandoned at their hard time limit and still run: the
	 * JVM cannot stop them, so a count that keeps growing means tasks that ignore
	 * interrupts.
	 * @return the number of abandoned threads still running
	 */
	public int getAbandonedTaskCount() {
		return this.parts.timeLimits().abandonedCount();
	}

	/**
	 * Release the Redis locks of unique tasks once they are settled. Set before
	 * {@link #start()}.
	 * @param uniqueLocks the locks, or {@code null}: locks then only expire
	 */
	public void setUniqueLocks(@Nullable UniqueLocks uniqueLocks) {
		this.parts.outcomes().setUniqueLocks(uniqueLocks);
	}

	/**
	 * Observe each task's execution ({@code taskqueue.execute}) as part of the trace of
	 * whoever sent it. Set before {@link #start()}.
	 * @param registry the observation registry
	 */
	public void setObservationRegistry(ObservationRegistry registry) {
		this.parts.lifecycle().setObservationRegistry(registry);
		this.parts.timeLimits().setObservationRegistry(registry);
		this.parts.runtimes().refresh();
	}

	/**
	 * Use this convention for the {@code taskqueue.execute} observations instead of the
	 * registry's global one or the default. Set before {@link #start()}.
	 * @param convention the convention, or {@code null} for the registry's or the default
	 */
	public void setObservationConvention(@Nullable TaskExecuteObservationConvention convention) {
		this.parts.lifecycle().setObservationConvention(convention);
		this.parts.runtimes().refresh();
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher applicationEventPublisher) {
		this.parts.lifecycle().setEventPublisher(applicationEventPublisher);
	}

	/**
	 * Return the settings this worker runs with.
	 * @return the settings this worker runs with
	 */
	public WorkerSettings getSettings() {
		return this.settings;
	}

	/**
	 * Return the queues this worker consumes.
	 * @return the queues this worker consumes
	 */
	public List<String> getQueues() {
		return this.settings.queues();
	}

	/**
	 * Return the tasks this worker is running right now, oldest first.
	 * @return the tasks this worker is running right now
	 */
	public List<ActiveTask> getActiveTasks() {
		return this.parts.activeTasks().list().stream().map(WorkerContainer::activeTask).toList();
	}

	/**
	 * Return one of the tasks this worker is running right now.
	 * @param taskId the task id
	 * @return the task, or {@code null} when this worker is not running it
	 */
	public @Nullable ActiveTask getActiveTask(String taskId) {
		ActiveTasks.RunningTask running = this.parts.activeTasks().get(taskId);
		return (running != null) ? activeTask(running) : null;
	}

	/**
	 * Return how many tasks this worker is running right now.
	 * @return how many tasks this worker is running right now
	 */
	public int getActiveTaskCount() {
		return this.parts.activeTasks().size();
	}

	private static ActiveTask activeTask(ActiveTasks.RunningTask running) {
		return new ActiveTask(running.id(), running.name(), running.queue(), running.message().args(),
				running.message().kwargs(), running.startedAt(), running.runtime(), running.queueWait());
	}

	/**
	 * A task's effective rate limit on this worker: changed at run time, else configured,
	 * else annotated.
	 * @param taskName the task name
	 * @return the limit, or {@code null} for none (or an unknown task)
	 */
	public @Nullable RateLimit getRateLimit(String taskName) {
		TaskMethod method = this.registry.get(taskName);
		return (method != null) ? this.parts.runtimes().rateLimitOf(method) : null;
	}

	/**
	 * Whether a task's rate limit was changed at run time (with
	 * {@link dev.taskqueue.control.RateLimits}).
	 * @param taskName the task name
	 * @return whether it was changed
	 */
	public boolean isRateLimitChanged(String taskName) {
		return this.parts.runtimes().isRateLimitChanged(taskName);
	}

	/**
	 * The listener container of the queues without settings of their own, or the first
	 * queue's when every queue has its own.
	 * @return the listener container
	 */
	public SimpleMessageListenerContainer getListenerContainer() {
		return this.containers.get(0);
	}

	/**
	 * Return every listener container of this worker: one per group of queues.
	 * @return every listener container of this worker: one per group of queues
	 */
	public List<SimpleMessageListenerContainer> getListenerContainers() {
		return List.copyOf(this.containers);
	}

	/**
	 * Return how many tasks this worker runs at once, over all its queues.
	 * @return how many tasks this worker runs at once, over all its queues
	 */
	public int getConcurrency() {
		return totalConcurrency(this.settings);
	}

	@Override
	public void start() {
		try {
			declareQueues();
		}
		catch (QueueDeclarationException ex) {
			// Consuming would work, but not as configured (no priorities, another queue
			// type).
			throw ex;
		}
		catch (AmqpException ex) {
			logger.warn("Could not declare the worker's queues " + this.settings.queues() + " (" + ex.getMessage()
					+ "); they will be declared when the broker is reachable");
		}
		checkRateLimits();
		ControlBus control = this.control;
		if (control != null) {
			control.addListener(this.parts.control());
			if (!control.awaitLoaded(Duration.ofSeconds(10))) {
				logger.warn("Worker " + this.settings.name() + " starts before the stored revocations could be "
						+ "loaded from Redis; they apply once its control subscription is established");
			}
		}
		this.started = true;
		this.parts.executors().start(getConcurrency());
		this.parts.control().resumeTakingTasks();
		this.parts.acks().start();
		ClusterNode node = this.clusterNode;
		if (node != null) {
			node.start(this.member, this.parts.lifecycle());
		}
		this.containers.forEach(SimpleMessageListenerContainer::start);
		StringBuilder consumers = new StringBuilder();
		for (SimpleMessageListenerContainer container : this.containers) {
			consumers.append((consumers.length() > 0) ? "; " : "")
				.append(List.of(container.getQueueNames()))
				.append(" with ")
				.append(this.settings.concurrencyOf(container.getQueueNames()[0]))
				.append(" consumers, prefetch ")
				.append(this.settings.prefetchOf(container.getQueueNames()[0]));
		}
		logger.info("Worker " + this.settings.name() + " consuming " + consumers + "; tasks: "
				+ this.registry.getTasks().stream().map(TaskMethod::getName).toList());
	}

	/**
	 * Fail before consuming when a task's rate limit cannot be enforced here, rather than
	 * returning its messages to the queue forever.
	 */
	private void checkRateLimits() {
		for (TaskMethod method : this.registry.getTasks()) {
			RateLimit limit = this.parts.runtimes().rateLimitOf(method);
			if (limit != null && !this.parts.control().supports(limit)) {
				throw new IllegalStateException("Task '" + method.getName() + "' has a cluster-wide rate limit ("
						+ limit.describe() + "), which needs Redis (a RedisConnectionFactory); set "
						+ "taskqueue.tasks.[" + method.getName() + "].rate-limit-scope to worker or configure Redis");
			}
		}
	}

	/**
	 * Stop taking tasks and wait up to the settings' shutdown timeout for running ones to
	 * finish. Messages prefetched or held for their eta go back to the queue
	 * unacknowledged; a task still running when the time is up has its message returned
	 * too (it runs again elsewhere), and nothing is acknowledged that did not finish.
	 */
	@Override
	public void stop() {
		CountDownLatch stopped = new CountDownLatch(1);
		stop(stopped::countDown);
		try {
			stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stop as {@link #stop()} does, but return once the consumers are told to stop: each
	 * listener container waits for its running tasks on a thread of its own, they all
	 * wait at once, and the callback runs when the last has stopped. Only the
	 * acknowledgements of results still being stored are awaited here (at most a few
	 * seconds), since they must go out before the consumers' channels close.
	 * @param callback called once every listener container has stopped
	 */
	@Override
	public void stop(Runnable callback) {
		ClusterNode node = this.clusterNode;
		if (node != null) {
			node.stop();
		}
		this.parts.control().stopTakingTasks();
		int running = this.parts.activeTasks().size();
		if (running > 0) {
			logger.info("Worker " + this.settings.name() + " stopping: waiting up to "
					+ this.settings.shutdownTimeout().toMillis() + " ms for " + running + " running task(s)");
		}
		// Acknowledgements still waiting for their result's store go out before the
		// consumers' channels close, or the broker would deliver tasks that already ran
		// once more.
		if (!this.parts.acks().stop(ACK_DRAIN_TIMEOUT)) {
			logger.warn("Worker " + this.settings.name() + " stops with results still being stored; their messages "
					+ "will be delivered again");
		}
		if (this.containers.isEmpty()) {
			callback.run();
			return;
		}
		AtomicInteger stopping = new AtomicInteger(this.containers.size());
		for (SimpleMessageListenerContainer container : this.containers) {
			container.stop(() -> {
				if (stopping.decrementAndGet() == 0) {
					callback.run();
				}
			});
		}
	}

	/**
	 * Set whether the worker starts consuming when the application context starts (as
	 * Spring's listener containers do). When {@code false} it consumes only once
	 * {@link #start()} is called. Default {@code true}.
	 * @param autoStartup whether to start with the application context
	 */
	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	/**
	 * Set whether the worker starts with the application context even when no task is
	 * registered. When {@code false}, an application that only sends tasks consumes
	 * nothing: a worker without tasks would take the tasks of other workers on its queues
	 * (such as Celery's default queue) and dead-letter them as unregistered. Default
	 * {@code true}; {@link #start()} always starts.
	 * @param autoStartupWithoutTasks whether to start with no task registered
	 */
	public void setAutoStartupWithoutTasks(boolean autoStartupWithoutTasks) {
		this.autoStartupWithoutTasks = autoStartupWithoutTasks;
	}

	@Override
	public boolean isAutoStartup() {
		if (!this.autoStartup) {
			return false;
		}
		if (!this.autoStartupWithoutTasks && this.registry.getTasks().isEmpty()) {
			if (!this.reportedIdle) {
				this.reportedIdle = true;
				logger.info("Worker " + this.settings.name() + " consumes no queue: the application registers no "
						+ "@QueueTask and names no queue to consume (taskqueue.worker.queues)");
			}
			return false;
		}
		return true;
	}

	@Override
	public boolean isRunning() {
		return this.containers.stream().anyMatch(SimpleMessageListenerContainer::isRunning);
	}

	@Override
	public int getPhase() {
		// Stop consuming before the result backend and connection factories go away.
		return Integer.MAX_VALUE - 1000;
	}

	/**
	 * Stop for good, releasing threads. Tasks held for their eta go back to the broker
	 * when the consumers' channels close.
	 */
	public void destroy() {
		this.connectionFactory.removeConnectionListener(this.redeclare);
		ControlBus control = this.control;
		if (control != null) {
			control.removeListener(this.parts.control());
		}
		this.parts.acks().stop(ACK_DRAIN_TIMEOUT);
		this.member.close();
		this.containers.forEach(SimpleMessageListenerContainer::destroy);
		// Last: held tasks finishing meanwhile may still start a method under a hard
		// limit.
		this.parts.executors().shutdown();
	}

}
