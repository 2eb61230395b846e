package dev.taskqueue.control.internal.node;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.control.internal.HostStatistics;
import dev.taskqueue.control.internal.PythonText;
import dev.taskqueue.protocol.internal.CeleryTime;
import dev.taskqueue.protocol.internal.PythonRepr;
import dev.taskqueue.protocol.internal.TaskMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A worker's Celery monitoring events: {@code worker-online} when it starts,
 * {@code worker-heartbeat} every {@link #setFrequency(Duration) freq} seconds with
 * Celery's fields, {@code worker-offline} when it stops; and, while task events are on
 * ({@code -E}, or the {@code enable_events} command), the {@code task-*} events Flower
 * and {@code celery events} build their task views from. Task events are buffered into
 * {@code task.multi} messages, as a Celery worker sends them.
 * <p>
 * Receivers judge a worker offline {@code 2 × freq} after its last heartbeat; a JVM may
 * prefer a larger freq than Celery's 2 s so that a long GC pause does not flip it
 * offline.
 */
public class WorkerEvents {

	private static final Log logger = LogFactory.getLog(WorkerEvents.class);

	/** The {@code sw_ident} of a taskqueue worker (Celery's is {@code py-celery}). */
	public static final String SOFTWARE = "jvm-taskqueue";

	/** The {@code freq} Celery puts in a heartbeat sent on demand. */
	private static final int ON_DEMAND_FREQ = 5;

	private final EventDispatcher dispatcher;

	private final String nodeName;

	private final ControlledWorker worker;

	private Duration frequency = Duration.ofSeconds(2);

	private volatile boolean taskEvents;

	private final String version;

	private final String system = System.getProperty("os.name", "unknown");

	private final Object monitor = new Object();

	private @Nullable ScheduledExecutorService scheduler;

	private @Nullable ScheduledFuture<?> heartbeats;

	/**
	 * Create the events of a worker; heartbeats start with {@link #start()}.
	 * @param dispatcher publishes the events
	 * @param nodeName the worker's node name ({@code name@host})
	 * @param worker what the heartbeats report
	 */
	public WorkerEvents(EventDispatcher dispatcher, String nodeName, ControlledWorker worker) {
		this.dispatcher = dispatcher;
		this.nodeName = nodeName;
		this.worker = worker;
		String version = WorkerEvents.class.getPackage().getImplementationVersion();
		this.version = (version != null) ? version : "dev";
	}

	/**
	 * Set how often heartbeats are sent, before {@link #start()}.
	 * @param frequency the interval, 2 s by default, at least 100 ms
	 */
	public void setFrequency(Duration frequency) {
		if (frequency.toMillis() < 100) {
			throw new IllegalArgumentException("The heartbeat interval must be at least 100 ms, got " + frequency);
		}
		this.frequency = frequency;
	}

	/**
	 * Return the heartbeat interval.
	 * @return the heartbeat interval
	 */
	public Duration getFrequency() {
		return this.frequency;
	}

	/**
	 * Return the node name the events carry.
	 * @return the node name the events carry
	 */
	public String getNodeName() {
		return this.nodeName;
	}

	/**
	 * Return the dispatcher the events go through.
	 * @return the dispatcher the events go through
	 */
	public EventDispatcher getDispatcher() {
		return this.dispatcher;
	}

	// ---- switching task events (-E, enable_events, disable_events)

	/**
	 * Switch task events on or off (Celery's {@code -E} at start).
	 * @param enabled whether to send task events
	 */
	public void setTaskEvents(boolean enabled) {
		this.taskEvents = enabled;
	}

	/**
	 * Return whether task events are sent.
	 * @return whether task events are sent
	 */
	public boolean isTaskEvents() {
		return this.taskEvents;
	}

	/**
	 * Switch task events on, as the {@code enable_events} command does.
	 * @return whether they were off
	 */
	public boolean enableTaskEvents() {
		synchronized (this.monitor) {
			boolean changed = !this.taskEvents;
			this.taskEvents = true;
			if (changed) {
				logger.info("Events of group {task} enabled by remote.");
			}
			return changed;
		}
	}

	/**
	 * Switch task events off, as the {@code disable_events} command does. Unlike a Celery
	 * worker started with {@code -E}, this also switches off events that were on from the
	 * start.
	 * @return whether they were on
	 */
	public boolean disableTaskEvents() {
		synchronized (this.monitor) {
			boolean changed = this.taskEvents;
			this.taskEvents = false;
			if (changed) {
				logger.info("Events of group {task} disabled by remote.");
			}
			return changed;
		}
	}

	// ---- worker events

	/** Send {@code worker-online} and start the heartbeats. */
	public void start() {
		synchronized (this.monitor) {
			if (this.heartbeats != null) {
				return;
			}
			sendWorkerEvent("worker-online");
			ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "taskqueue-worker-events");
				thread.setDaemon(true);
				return thread;
			});
			long millis = this.frequency.toMillis();
			this.scheduler = scheduler;
			this.heartbeats = scheduler.scheduleAtFixedRate(this::heartbeat, millis, millis, TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Send {@code worker-online} again, as a Celery worker does after a broker reconnect.
	 */
	public void online() {
		sendWorkerEvent("worker-online");
	}

	/**
	 * Stop the heartbeats and send {@code worker-offline}, waiting up to a second for it
	 * to reach the broker.
	 */
	public void stop() {
		if (halt()) {
			sendWorkerEvent("worker-offline");
			this.dispatcher.flush(Duration.ofSeconds(1));
		}
	}

	/**
	 * Stop the heartbeats without a goodbye, as a worker that dies does: receivers judge
	 * it offline {@code 2 × freq} after the last heartbeat.
	 * @return whether heartbeats were running
	 */
	public boolean halt() {
		synchronized (this.monitor) {
			ScheduledFuture<?> heartbeats = this.heartbeats;
			ScheduledExecutorService scheduler = this.scheduler;
			this.heartbeats = null;
			this.scheduler = null;
			if (heartbeats == null || scheduler == null) {
				return false;
			}
			heartbeats.cancel(false);
			scheduler.shutdownNow();
			return true;
		}
	}

	/**
	 * Return whether heartbeats are being sent.
	 * @return whether heartbeats are being sent
	 */
	public boolean isRunning() {
		return this.heartbeats != null;
	}

	/** Send a periodic heartbeat now. */
	void heartbeat() {
		try {
			sendWorkerEvent("worker-heartbeat");
		}
		catch (RuntimeException ex) {
			logger.warn("Could not build the heartbeat of " + this.nodeName, ex);
		}
	}

	/**
	 * Send the heartbeat the {@code heartbeat} command asks for: {@code freq} 5 and the
	 * software fields only, as Celery sends it.
	 */
	public void heartbeatOnDemand() {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("freq", ON_DEMAND_FREQ);
		software(fields);
		this.dispatcher.send(this.nodeName, "worker-heartbeat", fields);
	}

	private void sendWorkerEvent(String type) {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("freq", this.frequency.toMillis() / 1000.0);
		fields.put("active", this.worker.active().size());
		fields.put("processed", processed());
		fields.put("loadavg", HostStatistics.loadAverage());
		software(fields);
		this.dispatcher.send(this.nodeName, type, fields);
	}

	private long processed() {
		long processed = 0;
		for (Long count : this.worker.totals().values()) {
			processed += count;
		}
		return processed;
	}

	private void software(Map<String, @Nullable Object> fields) {
		fields.put("sw_ident", SOFTWARE);
		fields.put("sw_ver", this.version);
		fields.put("sw_sys", this.system);
	}

	// ---- task events

	/**
	 * {@code task-received}: the worker took a task's message.
	 * @param message the message
	 * @param argsRepr the message's {@code argsrepr}, or {@code null} to derive it
	 * @param kwargsRepr the message's {@code kwargsrepr}, or {@code null} to derive it
	 */
	public void taskReceived(TaskMessage message, @Nullable String argsRepr, @Nullable String kwargsRepr) {
		if (!this.taskEvents) {
			return;
		}
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", message.id());
		fields.put("name", message.task());
		fields.put("args", (argsRepr != null) ? argsRepr : PythonRepr.args(message.args()));
		fields.put("kwargs", (kwargsRepr != null) ? kwargsRepr : PythonRepr.kwargs(message.kwargs()));
		fields.put("root_id", message.rootId());
		fields.put("parent_id", message.parentId());
		fields.put("retries", message.retries());
		fields.put("eta", (message.eta() != null) ? CeleryTime.formatAware(message.eta()) : null);
		fields.put("expires", (message.expires() != null) ? CeleryTime.formatAware(message.expires()) : null);
		taskEvent("task-received", fields);
	}

	/**
	 * {@code task-started}: the task's method was called.
	 * @param taskId the task id
	 */
	public void taskStarted(String taskId) {
		if (this.taskEvents) {
			taskEvent("task-started", uuid(taskId));
		}
	}

	/**
	 * {@code task-succeeded}.
	 * @param taskId the task id
	 * @param result what it returned
	 * @param runtime how long it ran
	 */
	public void taskSucceeded(String taskId, @Nullable Object result, Duration runtime) {
		if (this.taskEvents) {
			Map<String, @Nullable Object> fields = uuid(taskId);
			fields.put("result", PythonRepr.saferepr(result));
			fields.put("runtime", runtime.toNanos() / 1e9);
			taskEvent("task-succeeded", fields);
		}
	}

	/**
	 * {@code task-failed}.
	 * @param taskId the task id
	 * @param exception what it threw
	 * @param traceback the stack trace text
	 */
	public void taskFailed(String taskId, Throwable exception, String traceback) {
		if (this.taskEvents) {
			taskEvent("task-failed", failure(taskId, exception, traceback));
		}
	}

	/**
	 * {@code task-retried}.
	 * @param taskId the task id
	 * @param exception why it retries
	 * @param traceback the stack trace text
	 */
	public void taskRetried(String taskId, Throwable exception, String traceback) {
		if (this.taskEvents) {
			taskEvent("task-retried", failure(taskId, exception, traceback));
		}
	}

	/**
	 * {@code task-rejected}: the message was rejected.
	 * @param taskId the task id
	 * @param requeue whether it was requeued
	 */
	public void taskRejected(String taskId, boolean requeue) {
		if (this.taskEvents) {
			Map<String, @Nullable Object> fields = uuid(taskId);
			fields.put("requeue", requeue);
			taskEvent("task-rejected", fields);
		}
	}

	/**
	 * {@code task-revoked}: discarded as revoked or expired, or terminated while running.
	 * @param taskId the task id
	 * @param terminated whether it was running and was terminated
	 * @param signum the signal it was terminated with ({@code 15} for TERM), or
	 * {@code null}
	 * @param expired whether it was discarded because it expired
	 */
	public void taskRevoked(String taskId, boolean terminated, @Nullable Integer signum, boolean expired) {
		if (this.taskEvents) {
			Map<String, @Nullable Object> fields = uuid(taskId);
			fields.put("terminated", terminated);
			fields.put("signum", signum);
			fields.put("expired", expired);
			taskEvent("task-revoked", fields);
		}
	}

	/**
	 * The number of a signal {@link ControlledWorker#revoke} was given, for
	 * {@link #taskRevoked}'s {@code signum}.
	 * @param signalName the name, e.g. {@code SIGTERM}
	 * @return the number (15 for {@code SIGTERM}, 9 for {@code SIGKILL}), or {@code null}
	 * for a signal Celery's workers do not use
	 */
	public static @Nullable Integer signalNumber(String signalName) {
		return Commands.signum(signalName);
	}

	private static Map<String, @Nullable Object> uuid(String taskId) {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", taskId);
		return fields;
	}

	private static Map<String, @Nullable Object> failure(String taskId, Throwable exception, String traceback) {
		Map<String, @Nullable Object> fields = uuid(taskId);
		fields.put("exception", PythonText.exception(exception));
		fields.put("traceback", traceback);
		return fields;
	}

	private void taskEvent(String type, Map<String, @Nullable Object> fields) {
		this.dispatcher.sendBuffered(this.nodeName, type, fields);
	}

}
