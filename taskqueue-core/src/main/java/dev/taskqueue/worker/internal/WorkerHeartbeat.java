package dev.taskqueue.worker.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.control.WorkerDirectory;
import dev.taskqueue.control.WorkerInfo;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps a worker's record in the {@link WorkerDirectory}: writes it every
 * {@link WorkerSettings#heartbeatInterval() heartbeat interval} with a TTL of
 * {@value #TTL_INTERVALS} intervals, and deletes it when the worker stops. A worker that
 * dies disappears when the TTL runs out.
 * <p>
 * Redis being unreachable never affects the worker: the failure is logged once, the
 * heartbeat keeps trying at its interval and says so when it gets through again.
 */
public class WorkerHeartbeat implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(WorkerHeartbeat.class);

	/** A record outlives this many missed heartbeats. */
	public static final int TTL_INTERVALS = 3;

	private final WorkerContainer worker;

	private final WorkerDirectory directory;

	private Duration interval = Duration.ZERO;

	private final String instance = UUID.randomUUID().toString();

	private final Object monitor = new Object();

	private @Nullable ScheduledExecutorService executor;

	private @Nullable ScheduledFuture<?> beats;

	private @Nullable Instant startedAt;

	private volatile boolean failing;

	private boolean checkedName;

	/**
	 * Create a heartbeat for a worker; it starts with {@link #start()}.
	 * @param worker the worker
	 * @param directory where the record is kept
	 */
	public WorkerHeartbeat(WorkerContainer worker, WorkerDirectory directory) {
		this.worker = worker;
		this.directory = directory;
	}

	/**
	 * Return how long a record lives without a new heartbeat.
	 * @return how long a record lives without a new heartbeat
	 */
	public Duration ttl() {
		return this.worker.getSettings().heartbeatInterval().multipliedBy(TTL_INTERVALS);
	}

	@Override
	public boolean isAutoStartup() {
		// No record of a worker that does not consume.
		return this.worker.isAutoStartup();
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			// Read at start: a WorkerContainer the application defines may be a test
			// double without settings.
			@Nullable WorkerSettings settings = this.worker.getSettings();
			if (this.beats != null || settings == null || settings.heartbeatInterval().isZero()) {
				return;
			}
			this.interval = settings.heartbeatInterval();
			this.startedAt = Instant.now();
			ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "taskqueue-heartbeat");
				thread.setDaemon(true);
				return thread;
			});
			this.executor = executor;
			this.beats = executor.scheduleWithFixedDelay(this::beat, 0, this.interval.toMillis(),
					TimeUnit.MILLISECONDS);
		}
	}

	/** Write the record now. */
	void beat() {
		WorkerSettings settings = this.worker.getSettings();
		Instant startedAt = this.startedAt;
		WorkerInfo info = new WorkerInfo(settings.name(), ProcessIdentity.hostname(), ProcessIdentity.pid(),
				settings.queues(), this.worker.getConcurrency(), this.worker.getActiveTasks().size(),
				(startedAt != null) ? startedAt : Instant.now(), Instant.now());
		try {
			String previous = this.directory.write(info, this.instance, ttl());
			if (!this.checkedName) {
				this.checkedName = true;
				if (previous != null && !previous.equals(this.instance)) {
					logger.warn("Worker " + settings.name() + " replaced a live record of the same name: another "
							+ "worker has this name (their records overwrite each other; give each a unique "
							+ "taskqueue.worker.name), or this worker's previous run did not stop cleanly");
				}
			}
			if (this.failing) {
				this.failing = false;
				logger.info("Heartbeats of worker " + settings.name() + " reach Redis again");
			}
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				this.failing = true;
				logger
					.warn("Could not write the heartbeat of worker " + settings.name() + " to Redis (" + ex.getMessage()
							+ "); trying again every " + this.interval.toMillis() + " ms, the worker keeps running");
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("Heartbeat of worker " + settings.name() + " still failing: " + ex.getMessage());
			}
		}
	}

	/** Stop beating without deleting the record, as a worker that dies would. */
	void halt() {
		synchronized (this.monitor) {
			ScheduledFuture<?> beats = this.beats;
			ScheduledExecutorService executor = this.executor;
			if (beats != null && executor != null) {
				beats.cancel(false);
				executor.shutdown();
				try {
					executor.awaitTermination(5, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			this.beats = null;
			this.executor = null;
		}
	}

	@Override
	public void stop() {
		synchronized (this.monitor) {
			if (this.beats == null) {
				return;
			}
			halt();
			try {
				this.directory.remove(this.worker.getSettings().name(), this.instance);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not remove the record of worker " + this.worker.getSettings().name()
						+ " from Redis (" + ex.getMessage() + "); it expires in " + ttl().toMillis() + " ms");
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.beats != null;
	}

	@Override
	public int getPhase() {
		// Just after the worker's (Integer.MAX_VALUE - 1000): starts once it consumes,
		// and its
		// record goes first when it stops.
		return Integer.MAX_VALUE - 999;
	}

}
