package dev.taskqueue.control.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.taskqueue.control.WorkerInfo;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The workers of a Celery cluster as their {@code worker-*} events show them, Python and
 * Java alike, judged alive the way Celery's receivers judge them
 * ({@code celery.events.state}): a worker is alive until {@code 2 × freq} after its last
 * heartbeat arrived ({@code freq} as it last sent it, 60 s if it never did), and offline
 * at once after {@code worker-offline}. Arrival times are this process's clock, so the
 * workers' clocks need not agree.
 * <p>
 * Listens on a queue of its own bound to {@code worker.#} of the event exchange, as
 * Celery's workers' gossip does: task events, which Flower's {@code enable_events} makes
 * plentiful, never reach it.
 */
public class WorkerEventMonitor implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(WorkerEventMonitor.class);

	/** Celery's {@code HEARTBEAT_EXPIRE_WINDOW}: 200 % of the interval. */
	private static final double EXPIRE_FACTOR = 2.0;

	/** The interval Celery assumes for a worker that never said. */
	private static final double DEFAULT_FREQ = 60.0;

	/** Celery keeps the last four arrival times. */
	private static final int HEARTBEATS_KEPT = 4;

	/** Celery's {@code HEARTBEAT_DRIFT_MAX}. */
	private static final int DRIFT_MAX_SECONDS = 16;

	/** Workers offline for longer than this are forgotten. */
	private static final Duration FORGET_AFTER = Duration.ofMinutes(10);

	private final ConnectionFactory connectionFactory;

	private final Map<String, Seen> workers = new ConcurrentHashMap<>();

	private volatile String exchange = EventMessages.DEFAULT_EXCHANGE;

	private volatile @Nullable LamportClock clock;

	private final Object monitor = new Object();

	private volatile @Nullable EventReceiver receiver;

	private volatile boolean started;

	private volatile long nextAttempt;

	/** How long to wait before listening again when the broker could not be reached. */
	private static final Duration RETRY_AFTER = Duration.ofSeconds(30);

	/**
	 * Create a monitor; it listens once {@link #start() started}.
	 * @param connectionFactory the broker's connection factory
	 */
	public WorkerEventMonitor(ConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/**
	 * Set the event exchange (Celery's {@code event_exchange}), before {@link #start()}.
	 * @param exchange the exchange, {@code celeryev} by default
	 */
	public void setExchange(String exchange) {
		this.exchange = exchange;
	}

	/**
	 * Move this process's logical clock past the clocks of the events received, as
	 * Celery's receivers do.
	 * @param clock the clock, or {@code null}
	 */
	public void setClock(@Nullable LamportClock clock) {
		this.clock = clock;
	}

	/**
	 * The workers alive now, by name.
	 * @return the workers
	 */
	public List<WorkerInfo> getWorkers() {
		retryStart();
		double now = EventMessages.now();
		List<WorkerInfo> alive = new ArrayList<>();
		this.workers.values().removeIf((seen) -> seen.forgotten(now));
		for (Seen seen : this.workers.values()) {
			if (seen.alive(now)) {
				alive.add(seen.info());
			}
		}
		alive.sort(Comparator.comparing(WorkerInfo::name));
		return alive;
	}

	/**
	 * One worker, if it is alive.
	 * @param name its node name
	 * @return the worker, or {@code null} if it is offline or unknown
	 */
	public @Nullable WorkerInfo getWorker(String name) {
		Seen seen = this.workers.get(name);
		return (seen != null && seen.alive(EventMessages.now())) ? seen.info() : null;
	}

	/**
	 * Whether a worker is alive, as Celery's receivers judge it.
	 * @param name its node name
	 * @return whether it is alive
	 */
	public boolean isAlive(String name) {
		return getWorker(name) != null;
	}

	/**
	 * Take one event, as the receiver hands it over; public for tests that feed events.
	 * @param event the event, with {@code local_received}
	 */
	public void onEvent(Map<String, @Nullable Object> event) {
		String type = String.valueOf(event.get("type"));
		LamportClock clock = this.clock;
		if (clock != null && event.get("clock") instanceof Number value) {
			clock.adjust(value.longValue());
		}
		if (!type.startsWith("worker-") || !(event.get("hostname") instanceof String hostname)) {
			return;
		}
		Seen seen = this.workers.computeIfAbsent(hostname, Seen::new);
		seen.update(type, event);
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			this.started = true;
			listen();
		}
	}

	/** The broker may come after the application: listing tries again, now and then. */
	private void retryStart() {
		if (!this.started || this.receiver != null || System.nanoTime() < this.nextAttempt) {
			return;
		}
		synchronized (this.monitor) {
			if (this.started && this.receiver == null && System.nanoTime() >= this.nextAttempt) {
				listen();
			}
		}
	}

	private void listen() {
		if (this.receiver != null) {
			return;
		}
		EventReceiver receiver = new EventReceiver(this.connectionFactory, this.exchange, "worker.#", this::onEvent);
		try {
			receiver.start();
			this.receiver = receiver;
		}
		catch (RuntimeException ex) {
			// Workers are then unknown, not an error.
			this.nextAttempt = System.nanoTime() + RETRY_AFTER.toNanos();
			logger.warn("Cannot listen to worker events on " + this.exchange + " (" + ex.getMessage()
					+ "); Celery workers are not listed until it can");
		}
	}

	@Override
	public void stop() {
		synchronized (this.monitor) {
			this.started = false;
			EventReceiver receiver = this.receiver;
			this.receiver = null;
			if (receiver != null) {
				receiver.stop();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.started;
	}

	/**
	 * Return whether it receives events now.
	 * @return whether it receives events now
	 */
	public boolean isListening() {
		return this.receiver != null;
	}

	/** A worker as its events described it. */
	private static final class Seen {

		private final String hostname;

		private final Deque<Double> heartbeats = new ArrayDeque<>(HEARTBEATS_KEPT + 1);

		private double freq = DEFAULT_FREQ;

		private long pid;

		private int active;

		private String software = "";

		private @Nullable Instant startedAt;

		private Instant lastTimestamp = Instant.now();

		private double offlineSince = -1;

		private boolean driftWarned;

		Seen(String hostname) {
			this.hostname = hostname;
		}

		synchronized void update(String type, Map<String, @Nullable Object> event) {
			double received = (event.get("local_received") instanceof Number n) ? n.doubleValue() : EventMessages.now();
			double timestamp = (event.get("timestamp") instanceof Number n) ? n.doubleValue() : received;
			if (event.get("freq") instanceof Number freq && freq.doubleValue() > 0) {
				this.freq = freq.doubleValue();
			}
			if (event.get("pid") instanceof Number pid) {
				this.pid = pid.longValue();
			}
			if (event.get("active") instanceof Number active) {
				this.active = active.intValue();
			}
			if (event.get("sw_ident") instanceof String ident) {
				this.software = ident + ((event.get("sw_ver") instanceof String version) ? " " + version : "");
			}
			this.lastTimestamp = Instant.ofEpochSecond(0, (long) (timestamp * 1e9));
			if (type.equals("worker-offline")) {
				this.heartbeats.clear();
				this.offlineSince = received;
				return;
			}
			if (type.equals("worker-online") || this.startedAt == null) {
				this.startedAt = this.lastTimestamp;
			}
			this.offlineSince = -1;
			checkDrift(received, adjusted(timestamp, event.get("utcoffset")));
			if (this.heartbeats.isEmpty() || received > this.heartbeats.peekLast()) {
				this.heartbeats.addLast(received);
				while (this.heartbeats.size() > HEARTBEATS_KEPT) {
					this.heartbeats.removeFirst();
				}
			}
		}

		/** Celery shifts the timestamp by the difference of the two utcoffsets. */
		private static double adjusted(double timestamp, @Nullable Object utcoffset) {
			if (!(utcoffset instanceof Number offset)) {
				return timestamp;
			}
			return timestamp - (offset.intValue() - EventMessages.utcoffset()) * 3600.0;
		}

		private void checkDrift(double received, double timestamp) {
			if (!this.driftWarned && Math.abs((long) received - (long) timestamp) > DRIFT_MAX_SECONDS) {
				this.driftWarned = true;
				logger.warn("Substantial drift from " + this.hostname + " may mean clocks are out of sync. Current "
						+ "drift is " + Math.abs((long) received - (long) timestamp) + " seconds.");
			}
		}

		synchronized boolean alive(double now) {
			Double last = this.heartbeats.peekLast();
			return last != null && now < last + this.freq * EXPIRE_FACTOR;
		}

		synchronized boolean forgotten(double now) {
			Double last = this.heartbeats.peekLast();
			double silentSince = (last != null) ? last + this.freq * EXPIRE_FACTOR : this.offlineSince;
			return silentSince >= 0 && now - silentSince > FORGET_AFTER.toSeconds();
		}

		synchronized WorkerInfo info() {
			int at = this.hostname.indexOf('@');
			String host = (at >= 0) ? this.hostname.substring(at + 1) : this.hostname;
			Instant started = (this.startedAt != null) ? this.startedAt : this.lastTimestamp;
			return new WorkerInfo(this.hostname, host, this.pid, List.of(), 0, this.active, started, this.lastTimestamp,
					this.software);
		}

	}

}
