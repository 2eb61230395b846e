package dev.taskqueue.beat.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.taskqueue.beat.BeatStatus;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;

/**
 * The beat: one thread that ticks, on every application that runs it. One beat holds the
 * schedule's lock and fires the entries that are due; the others stand by and take the
 * lock over within its timeout plus one tick when the holder stops extending it.
 * <p>
 * A tick of the leader extends the lock, selects the entries whose score is due, decides
 * from each one's {@code last_run_at} whether and what to fire (Celery's rules, then the
 * entry's missed-run policy), advances the due ones with the fencing script (only while
 * this beat holds the lock, and only entries nobody changed since the tick read them),
 * and sends their runs, each with a task id made of the entry and its due time. Runs the
 * broker did not confirm are sent again at the next tick; a new leader first re-sends the
 * runs its predecessor advanced but did not get confirmed, unless the result store shows
 * they arrived. A beat whose own lease ran out (it paused past the lock's timeout) sends
 * nothing more.
 * <p>
 * When Redis cannot be reached the beat pauses, says so once a minute, and resumes by
 * itself; the runs missed meanwhile follow each entry's policy.
 */
public class Beat implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(Beat.class);

	private static final long REPEAT_LOG_NANOS = TimeUnit.MINUTES.toNanos(1);

	/** Entries loaded and planned at a time, between lease checks. */
	private static final int CHUNK = 1000;

	private final RedBeatStore store;

	private final BeatLock lock;

	private final FireSender sender;

	private final BeatSettings settings;

	private final Clock clock;

	private final Supplier<List<StaticTask>> statics;

	private final FirePlanner planner;

	private final StaticsReconciler reconciler;

	private final List<BeatListener> listeners = new CopyOnWriteArrayList<>();

	private final Object monitor = new Object();

	/** Runs this beat advanced whose send failed: sent again at the next tick. */
	private final Map<String, Unsent> unsent = new ConcurrentHashMap<>();

	/** The problem last reported per entry, so each is logged once. */
	private final Map<String, String> reported = new ConcurrentHashMap<>();

	/** Runs the broker confirmed whose in-flight records are still to be deleted. */
	private final Set<String> confirmedPending = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	private boolean wake;

	private @Nullable Thread thread;

	private @Nullable ExecutorService publishers;

	private volatile boolean leader;

	private volatile BeatStatus.State state = BeatStatus.State.STOPPED;

	private volatile @Nullable Instant lastTickAt;

	private volatile @Nullable String problem;

	private volatile @Nullable String evictionWarning;

	private @Nullable Prepared prepared;

	private final AtomicLong ticks = new AtomicLong();

	private final AtomicLong redisLoggedAt = new AtomicLong();

	private final AtomicLong publishLoggedAt = new AtomicLong();

	private long extendedAt = System.nanoTime();

	private boolean evictionChecked;

	/**
	 * Create a beat; it runs once {@link #start() started}.
	 * @param store the schedule
	 * @param lock the schedule's lock, with this beat's token
	 * @param client sends the runs
	 * @param settings how the beat runs
	 * @param clock the clock entries are due by (tests advance one of their own)
	 * @param statics the entries the application's configuration defines
	 */
	public Beat(RedBeatStore store, BeatLock lock, TaskClient client, BeatSettings settings, Clock clock,
			Supplier<List<StaticTask>> statics) {
		this.store = store;
		this.lock = lock;
		this.sender = new FireSender(client);
		this.settings = settings;
		this.clock = clock;
		this.statics = statics;
		this.planner = new FirePlanner(store.codec(), settings.zone(), settings.missedRunGrace());
		this.reconciler = new StaticsReconciler(store, settings.zone());
	}

	/**
	 * Add a listener.
	 * @param listener the listener
	 */
	public void addListener(BeatListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Return the beat's settings.
	 * @return the beat's settings
	 */
	public BeatSettings getSettings() {
		return this.settings;
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			if (this.running) {
				return;
			}
			this.running = true;
			this.state = BeatStatus.State.STANDBY;
			AtomicInteger threads = new AtomicInteger();
			this.publishers = Executors.newFixedThreadPool(this.settings.publishThreads(), (runnable) -> {
				Thread publisher = new Thread(runnable, "taskqueue-beat-publish-" + threads.incrementAndGet());
				publisher.setDaemon(true);
				return publisher;
			});
			// Not a daemon: an application that only runs a beat, as Celery's "celery
			// beat",
			// keeps running until it is stopped.
			Thread loop = new Thread(this::loop, "taskqueue-beat");
			this.thread = loop;
			loop.start();
		}
		logger.info("Beat started as " + this.lock.token() + " on " + this.store.keys().schedule());
	}

	@Override
	public void stop() {
		boolean leader = this.leader;
		if (!halt()) {
			return;
		}
		if (leader) {
			try {
				if (this.lock.release()) {
					logger.info("Beat " + this.lock.token() + " released the lock");
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Beat " + this.lock.token() + " could not release the lock (" + ex.getMessage()
						+ "); it expires in " + this.settings.lockTimeout().toMillis() + " ms");
			}
		}
	}

	/**
	 * Stop ticking without giving the lock up, as a beat that dies does.
	 * @return whether the beat was running
	 */
	boolean halt() {
		Thread loop;
		synchronized (this.monitor) {
			if (!this.running) {
				return false;
			}
			this.running = false;
			this.wake = true;
			this.monitor.notifyAll();
			loop = this.thread;
			this.thread = null;
		}
		if (loop != null) {
			try {
				loop.join(TimeUnit.SECONDS.toMillis(10));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		ExecutorService publishers = this.publishers;
		if (publishers != null) {
			publishers.shutdown();
		}
		this.leader = false;
		this.state = BeatStatus.State.STOPPED;
		return true;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// After the worker's (Integer.MAX_VALUE - 1000): a worker of the same application
		// consumes before its beat sends, and the beat stops first.
		return Integer.MAX_VALUE - 500;
	}

	/**
	 * Tick now instead of at the next planned time (after a change to the schedule).
	 */
	public void wakeUp() {
		synchronized (this.monitor) {
			this.wake = true;
			this.monitor.notifyAll();
		}
	}

	/**
	 * Return what the beat is doing, and who holds the lock.
	 * @return the status
	 */
	public BeatStatus status() {
		String holder;
		try {
			holder = this.lock.holder();
		}
		catch (RuntimeException ex) {
			holder = null;
		}
		BeatStatus.State state = this.running ? this.state : BeatStatus.State.STOPPED;
		return new BeatStatus(state, this.lock.token(), holder, this.lastTickAt, this.problem);
	}

	/**
	 * Return how many ticks the beat's loop completed.
	 * @return how many ticks the beat's loop completed
	 */
	long completedTicks() {
		return this.ticks.get();
	}

	/**
	 * Return whether this beat holds the lock (as of its last tick).
	 * @return whether this beat holds the lock
	 */
	public boolean isLeader() {
		return this.leader;
	}

	/**
	 * Return RedBeat's eviction warning about the Redis that holds the schedule, if any.
	 * @return the warning, or {@code null}
	 */
	public @Nullable String getEvictionWarning() {
		return this.evictionWarning;
	}

	private void loop() {
		while (this.running) {
			Duration sleep;
			try {
				sleep = tick();
				this.ticks.incrementAndGet();
				recovered();
			}
			catch (DataAccessException ex) {
				paused("Redis cannot be reached (" + ex.getMessage() + ")", ex);
				sleep = this.settings.maxInterval();
			}
			catch (RuntimeException ex) {
				logger.error("Beat tick failed; the next one runs in " + this.settings.maxInterval().toMillis() + " ms",
						ex);
				sleep = this.settings.maxInterval();
			}
			synchronized (this.monitor) {
				if (!this.wake && this.running) {
					try {
						this.monitor.wait(Math.max(1, sleep.toMillis()));
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
				}
				this.wake = false;
			}
		}
	}

	/**
	 * Run one tick: as leader, fire what is due; as standby, try to take the lock.
	 * @return how long to wait before the next tick
	 */
	public Duration tick() {
		Instant now = this.clock.instant();
		this.lastTickAt = now;
		if (this.leader && !extend()) {
			lostLock();
			logger.warn("Beat " + this.lock.token() + " lost the lock to " + this.lock.holder()
					+ "; standing by (runs it advanced but did not send are the new leader's to send)");
		}
		if (!this.leader) {
			long sent = System.nanoTime();
			if (!this.lock.acquire()) {
				this.state = BeatStatus.State.STANDBY;
				return this.settings.maxInterval();
			}
			this.extendedAt = sent;
			this.leader = true;
			this.state = BeatStatus.State.LEADER;
			logger.info("Beat " + this.lock.token() + " holds the lock (epoch " + this.lock.epoch() + ") and fires "
					+ this.store.keys().schedule());
			acquired();
		}
		this.state = BeatStatus.State.LEADER;
		flushConfirmed();
		if (!sendUnsent()) {
			return this.settings.maxInterval();
		}
		long reading = System.nanoTime();
		RedBeatStore.Due due = this.store.due(now.getEpochSecond());
		long readNanos = System.nanoTime() - reading;
		Instant wakeAt = now.plus(this.settings.maxInterval());
		if (due.nextScore() != null) {
			wakeAt = earliest(wakeAt, Instant.ofEpochSecond(due.nextScore().longValue()));
		}
		List<String> members = due.members();
		Prepared ahead = takePrepared(now);
		Map<String, StoredEntry> prepared = (ahead != null) ? ahead.entries() : Map.of();
		// A plan made ahead holds for a tick in its due second: the decisions are those
		// planning now would make, its runs recorded as fired on the dot.
		Map<String, Planned> plans = (ahead != null && ahead.score() == now.getEpochSecond()) ? ahead.plans()
				: Map.of();
		Sending sending = new Sending();
		long started = System.nanoTime();
		try {
			for (int from = 0; from < members.size() && this.leader; from += CHUNK) {
				if (!ensureLease()) {
					break;
				}
				List<Fire> fires = new ArrayList<>();
				Map<String, TaskRequest> requests = new HashMap<>();
				long loading = System.nanoTime();
				List<StoredEntry> entries = load(members.subList(from, Math.min(members.size(), from + CHUNK)),
						prepared);
				long planning = System.nanoTime();
				sending.loadNanos += planning - loading;
				for (StoredEntry entry : entries) {
					Planned planned = plans.get(entry.key());
					Instant check;
					if (planned != null && planned.entry() == entry) {
						fires.addAll(planned.fires());
						requests.putAll(planned.requests());
						check = planned.check();
					}
					else {
						check = plan(entry, now, fires, requests);
					}
					if (check != null) {
						wakeAt = earliest(wakeAt, check);
					}
				}
				long firing = System.nanoTime();
				sending.planNanos += firing - planning;
				boolean going = fire(fires, requests, sending);
				sending.fireNanos += System.nanoTime() - firing;
				if (!going) {
					break;
				}
			}
		}
		finally {
			sending.finish();
			if (logger.isDebugEnabled() && !sending.sends.isEmpty()) {
				logger.debug("Tick began " + TimeUnit.NANOSECONDS.toMillis(now.getNano())
						+ " ms into its second and sent " + sending.confirmed.size() + " of " + sending.runs.get()
						+ " runs of " + members.size() + " entries due: due members read in "
						+ TimeUnit.NANOSECONDS.toMillis(readNanos) + " ms, loaded in "
						+ TimeUnit.NANOSECONDS.toMillis(sending.loadNanos) + " ms, planned in "
						+ TimeUnit.NANOSECONDS.toMillis(sending.planNanos) + " ms, advanced (and sends queued) in "
						+ TimeUnit.NANOSECONDS.toMillis(sending.fireNanos) + " ms; " + sending.sends.size()
						+ " bulk sends took " + TimeUnit.NANOSECONDS.toMillis(sending.sendNanos.get())
						+ " ms in all, the last confirmed "
						+ TimeUnit.NANOSECONDS.toMillis(sending.lastConfirmed.get() - started)
						+ " ms after the tick began");
			}
		}
		if (this.leader && due.nextScore() != null && shouldPrepare(due.nextScore().longValue())) {
			prepare(due.nextScore());
		}
		Duration sleep = Duration.between(this.clock.instant(), wakeAt);
		return sleep.isNegative() ? Duration.ZERO : earliest(sleep, this.settings.maxInterval());
	}

	/**
	 * Read and plan the entries due at the next score before it comes, so the tick then
	 * only advances and sends. What changes meanwhile is caught by the fence (that entry
	 * fires a tick later).
	 */
	private void prepare(double score) {
		Instant due = Instant.ofEpochSecond((long) score);
		Map<String, StoredEntry> entries = new HashMap<>();
		Map<String, Planned> plans = new HashMap<>();
		for (StoredEntry entry : this.store.load(this.store.members(score, score))) {
			entries.put(entry.key(), entry);
			Planned planned = planAhead(entry, due);
			if (planned != null) {
				plans.put(entry.key(), planned);
			}
		}
		this.prepared = new Prepared((long) score, entries, plans);
	}

	/**
	 * Plan an entry for its due time ahead of it, or {@code null} for an entry that has
	 * something to report or remove: the tick plans that one itself, so what it logs and
	 * counts happens once, when it fires.
	 */
	private @Nullable Planned planAhead(StoredEntry entry, Instant due) {
		if (entry.rawDefinition() == null || entry.problem() != null || entry.isMisnamed()
				|| entry.hasForeignZone(this.settings.zone())) {
			return null;
		}
		FirePlanner.Plan plan;
		try {
			plan = this.planner.plan(entry, due);
		}
		catch (RuntimeException ex) {
			return null;
		}
		if (plan.skipped() > 0) {
			return null;
		}
		Map<String, TaskRequest> requests = new HashMap<>();
		if (addRequests(entry, plan, requests) != null) {
			return null;
		}
		return new Planned(entry, plan.fires(), requests, plan.nextCheck());
	}

	/**
	 * Whether to read the entries due at a score now: once, within two of the longest
	 * intervals before it, so the read never delays the tick at the due time (a tick just
	 * before it would otherwise read them then).
	 */
	private boolean shouldPrepare(long score) {
		Prepared prepared = this.prepared;
		if (prepared != null && prepared.score() == score) {
			return false;
		}
		return this.clock.instant().plus(this.settings.maxInterval().multipliedBy(2)).getEpochSecond() >= score;
	}

	/** What was read ahead for a score that has come; kept while it is to come. */
	private @Nullable Prepared takePrepared(Instant now) {
		Prepared prepared = this.prepared;
		if (prepared == null || prepared.score() > now.getEpochSecond()) {
			return null;
		}
		this.prepared = null;
		return prepared;
	}

	/** Entries as read, those prepared ahead reused. */
	private List<StoredEntry> load(List<String> members, Map<String, StoredEntry> prepared) {
		if (prepared.isEmpty()) {
			return this.store.load(members);
		}
		List<String> missing = new ArrayList<>();
		for (String member : members) {
			if (!prepared.containsKey(member)) {
				missing.add(member);
			}
		}
		Map<String, StoredEntry> loaded = new HashMap<>();
		for (StoredEntry entry : this.store.load(missing)) {
			loaded.put(entry.key(), entry);
		}
		List<StoredEntry> entries = new ArrayList<>(members.size());
		for (String member : members) {
			StoredEntry entry = prepared.get(member);
			entries.add((entry != null) ? entry : loaded.get(member));
		}
		return entries;
	}

	/**
	 * Entries read ahead of their due score, and the plans made for it.
	 */
	private record Prepared(long score, Map<String, StoredEntry> entries, Map<String, Planned> plans) {

	}

	/**
	 * An entry planned ahead: its fires, their requests, and when to look at it again.
	 */
	private record Planned(StoredEntry entry, List<Fire> fires, Map<String, TaskRequest> requests,
			@Nullable Instant check) {

	}

	/**
	 * Stand by: the runs this beat could not send are in flight in Redis, for the next
	 * leader to send.
	 */
	private void lostLock() {
		this.leader = false;
		this.unsent.clear();
		this.prepared = null;
	}

	private boolean extend() {
		long sent = System.nanoTime();
		if (this.lock.extend()) {
			this.extendedAt = sent;
			return true;
		}
		return false;
	}

	/**
	 * Extend the lock during a long tick, so a backlog never outlives it; false when it
	 * was lost.
	 */
	private boolean ensureLease() {
		if (System.nanoTime() - this.extendedAt > this.settings.lockTimeout().toNanos() / 3 && !extend()) {
			lostLock();
			logger.warn("Beat " + this.lock.token() + " lost the lock during a tick; standing by");
			return false;
		}
		return this.lock.leaseValid();
	}

	/** What to do first as the new leader. */
	private void acquired() {
		if (!this.evictionChecked) {
			this.evictionChecked = true;
			this.evictionWarning = this.store.evictionRisk();
			if (this.evictionWarning != null) {
				logger.error(this.evictionWarning);
			}
		}
		recoverInflight();
		this.reconciler.reconcile(this.statics.get(), this.clock.instant());
	}

	/**
	 * Plan an entry, adding its fires; returns when to look at it again.
	 */
	private @Nullable Instant plan(StoredEntry entry, Instant now, List<Fire> fires,
			Map<String, TaskRequest> requests) {
		if (entry.rawDefinition() == null && entry.rawMeta() == null && entry.rawExtras() == null
				&& this.store.keys().name(entry.key()) != null) {
			// As RedBeat: a member whose hash is gone has nothing left to fire.
			this.store.removeMember(entry.key());
			logger.warn("Periodic task entry " + entry.key() + " had no hash (evicted or deleted by hand); "
					+ "removed it from " + this.store.keys().schedule());
			return null;
		}
		if (entry.problem() != null) {
			report(entry, entry.problem());
			return null;
		}
		if (entry.isMisnamed()) {
			reportOnce(entry.key() + "\u0000name", "Periodic task entry " + entry.key() + " names itself '"
					+ Objects.requireNonNull(entry.definition()).name() + "'; the beat goes by its key ('"
					+ entry.name() + "'), but a Python beat would write to another key and fire it on every tick");
		}
		if (entry.hasForeignZone(this.settings.zone())) {
			reportOnce(entry.key() + "\u0000zone", "Periodic task entry " + entry.name()
					+ " was last fired in another zone than its own (" + entry.extras().zone()
					+ "), by a beat of another configuration; the Java beat keeps evaluating it in its own zone");
		}
		FirePlanner.Plan plan;
		try {
			plan = this.planner.plan(entry, now);
		}
		catch (RuntimeException ex) {
			report(entry, "its next run cannot be computed: " + ex.getMessage());
			return null;
		}
		if (plan.skipped() > 0) {
			logger.info("Periodic task " + entry.name() + " skips " + plan.skipped() + " missed run(s), as its "
					+ entry.extras().missedRuns().name().toLowerCase(Locale.ROOT) + " policy says");
			this.listeners.forEach((listener) -> listener.missedRunsSkipped(entry.name(), plan.skipped()));
		}
		String unsendable = addRequests(entry, plan, requests);
		if (unsendable != null) {
			report(entry, "it cannot be sent: " + unsendable);
			return null;
		}
		fires.addAll(plan.fires());
		return plan.nextCheck();
	}

	/**
	 * Build the requests of a plan's runs; why one cannot be sent, or {@code null}.
	 */
	private @Nullable String addRequests(StoredEntry entry, FirePlanner.Plan plan, Map<String, TaskRequest> requests) {
		for (Fire fire : plan.fires()) {
			if (fire.sends()) {
				try {
					String id = Objects.requireNonNull(fire.id());
					requests.put(id, this.sender.request(entry.name(), Objects.requireNonNull(entry.definition()), id));
				}
				catch (IllegalArgumentException ex) {
					return String.valueOf(ex.getMessage());
				}
			}
		}
		return null;
	}

	/**
	 * Advance fires in batches and send each batch's runs while the next is advanced;
	 * false when sending must stop for this tick.
	 */
	private boolean fire(List<Fire> fires, Map<String, TaskRequest> requests, Sending sending) {
		for (int from = 0; from < fires.size() && !sending.failed.get(); from += this.settings.batchSize()) {
			List<Fire> batch = fires.subList(from, Math.min(fires.size(), from + this.settings.batchSize()));
			List<RedBeatStore.Advance> advances = new ArrayList<>(batch.size());
			for (Fire fire : batch) {
				advances.add(new RedBeatStore.Advance(fire.entry(), fire.expectedScore(), fire.expectedMeta(),
						fire.meta(), fire.score(), fire.id(), inflight(fire)));
			}
			List<Long> codes = this.store.advance(this.lock.token(), advances);
			if (codes.size() == 1 && codes.get(0) == -1L) {
				lostLock();
				this.lock.dropLease();
				batch.forEach((fire) -> fenced(fire, "the lock is another beat's"));
				logger.warn("Beat " + this.lock.token() + " no longer holds the lock; standing by");
				return false;
			}
			List<Unsent> runs = new ArrayList<>(batch.size());
			for (int i = 0; i < batch.size(); i++) {
				Fire fire = batch.get(i);
				if (codes.get(i) != 1L) {
					fenced(fire, (codes.get(i) == -2L) ? "its score changed"
							: (codes.get(i) == -3L) ? "its definition changed" : "it was fired or changed meanwhile");
				}
				else if (fire.sends()) {
					runs.add(run(fire, requests.get(fire.id())));
				}
			}
			if (!runs.isEmpty()) {
				sending.runs.addAndGet(runs.size());
				sending.sends.add(submit(() -> {
					long sendStart = System.nanoTime();
					boolean sent = sendBatch(runs, sending.confirmed);
					long sendEnd = System.nanoTime();
					sending.sendNanos.addAndGet(sendEnd - sendStart);
					sending.lastConfirmed.accumulateAndGet(sendEnd, Math::max);
					if (!sent) {
						sending.failed.set(true);
					}
					return sent;
				}));
			}
		}
		return !sending.failed.get();
	}

	/**
	 * The sends of one tick: they go on while the tick advances further entries, and are
	 * awaited at its end, when the confirmed runs leave the in-flight record together.
	 */
	private final class Sending {

		final Set<String> confirmed = ConcurrentHashMap.newKeySet();

		final AtomicBoolean failed = new AtomicBoolean();

		final List<Future<Boolean>> sends = new ArrayList<>();

		final AtomicInteger runs = new AtomicInteger();

		final AtomicLong sendNanos = new AtomicLong();

		final AtomicLong lastConfirmed = new AtomicLong();

		long loadNanos;

		long planNanos;

		long fireNanos;

		void finish() {
			await(this.sends);
			confirm(this.confirmed);
		}

	}

	/** The run of a fire, with its request when planning built it already. */
	private Unsent run(Fire fire, @Nullable TaskRequest request) {
		RedBeatJson.Definition definition = Objects.requireNonNull(fire.entry().definition());
		String id = Objects.requireNonNull(fire.id());
		return new Unsent(id, fire.entry().name(), definition.task(), fire.due(),
				(request != null) ? request : this.sender.request(fire.entry().name(), definition, id));
	}

	/** Run a send on a publishing thread, or here when the beat's loop does not run. */
	private Future<Boolean> submit(Callable<Boolean> send) {
		ExecutorService publishers = this.publishers;
		if (publishers != null && !publishers.isShutdown()) {
			return publishers.submit(send);
		}
		try {
			return CompletableFuture.completedFuture(send.call());
		}
		catch (Exception ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private static boolean await(List<Future<Boolean>> sends) {
		boolean ok = true;
		for (Future<Boolean> send : sends) {
			try {
				ok &= send.get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				ok = false;
			}
			catch (ExecutionException ex) {
				ok = false;
			}
		}
		return ok;
	}

	private void fenced(Fire fire, String why) {
		if (logger.isDebugEnabled()) {
			logger.debug("Run " + fire.id() + " of " + fire.entry().name() + " not fired: " + why);
		}
		this.listeners.forEach((listener) -> listener.fenced(fire.entry().name()));
	}

	private boolean sendAll(List<Unsent> runs) {
		if (runs.isEmpty()) {
			return true;
		}
		Set<String> confirmed = ConcurrentHashMap.newKeySet();
		List<Future<Boolean>> sends = new ArrayList<>();
		for (int from = 0; from < runs.size(); from += this.settings.batchSize()) {
			List<Unsent> batch = runs.subList(from, Math.min(runs.size(), from + this.settings.batchSize()));
			sends.add(submit(() -> sendBatch(batch, confirmed)));
		}
		boolean ok = await(sends);
		confirm(confirmed);
		return ok;
	}

	/**
	 * Forget the in-flight records of confirmed runs. Ids whose records could not be
	 * deleted (Redis away) are kept and deleted at the next tick, so no leader takes them
	 * for unsent runs.
	 */
	private void confirm(Set<String> ids) {
		this.confirmedPending.addAll(ids);
		flushConfirmed();
	}

	private void flushConfirmed() {
		if (this.confirmedPending.isEmpty()) {
			return;
		}
		List<String> ids = new ArrayList<>(this.confirmedPending);
		this.store.confirmed(ids);
		ids.forEach(this.confirmedPending::remove);
	}

	/**
	 * Send runs at once, pipelined; false if any of them failed. Each run's outcome is
	 * its own: confirmed runs are done, refused ones are sent again at the next tick.
	 */
	private boolean sendBatch(List<Unsent> runs, Set<String> confirmed) {
		if (!this.lock.leaseValid()) {
			// Paused past the lock's timeout: another beat may lead now. The runs stay in
			// flight: this beat sends them if its next extend shows it still leads, else
			// the new leader does.
			for (Unsent run : runs) {
				this.listeners.forEach((listener) -> listener.fenced(run.name()));
				this.unsent.put(run.id(), run);
			}
			return false;
		}
		List<TaskRequest> requests = new ArrayList<>(runs.size());
		runs.forEach((run) -> requests.add(run.request()));
		List<@Nullable RuntimeException> outcomes = this.sender.sendAll(requests);
		Instant sentAt = this.clock.instant();
		boolean ok = true;
		for (int i = 0; i < runs.size(); i++) {
			Unsent run = runs.get(i);
			RuntimeException failure = outcomes.get(i);
			if (failure instanceof IllegalArgumentException) {
				logger.error("Run " + run.id() + " of periodic task " + run.name() + " cannot be sent and is dropped: "
						+ failure.getMessage());
				this.unsent.remove(run.id());
				confirmed.add(run.id());
			}
			else if (failure != null) {
				ok = false;
				this.unsent.put(run.id(), run);
				this.listeners.forEach((listener) -> listener.publishFailed(run.name(), run.task(), failure));
				logProblem(this.publishLoggedAt, "Could not send run " + run.id() + " of periodic task " + run.name()
						+ " (" + failure.getMessage() + "); it is sent again at the next tick", null);
			}
			else {
				this.unsent.remove(run.id());
				confirmed.add(run.id());
				Duration lateness = Duration.between(run.due(), sentAt);
				this.listeners.forEach((listener) -> listener.fired(run.name(), run.task(), lateness));
			}
		}
		return ok;
	}

	/** Send again what this beat advanced but could not send; false while that fails. */
	private boolean sendUnsent() {
		if (this.unsent.isEmpty()) {
			return true;
		}
		return sendAll(new ArrayList<>(this.unsent.values()));
	}

	/**
	 * Send the runs a previous leader advanced and did not get confirmed, unless the
	 * result store shows they arrived.
	 */
	private void recoverInflight() {
		Map<String, String> inflight = this.store.inflight();
		List<Unsent> resend = new ArrayList<>();
		for (Map.Entry<String, String> record : inflight.entrySet()) {
			String id = record.getKey();
			if (this.unsent.containsKey(id) || this.confirmedPending.contains(id)) {
				continue;
			}
			Unsent run;
			try {
				Map<String, @Nullable Object> fields = this.store.codec().object(record.getValue(), "in-flight run");
				String name = String.valueOf(fields.get("name"));
				RedBeatJson.Definition definition = this.store.codec()
					.readDefinition(String.valueOf(fields.get("definition")));
				Object due = fields.get("due");
				run = new Unsent(id, name, definition.task(),
						Instant.ofEpochMilli((due instanceof Number millis) ? millis.longValue() : 0),
						this.sender.request(name, definition, id));
			}
			catch (RuntimeException ex) {
				logger.error("In-flight run " + id + " cannot be read and is dropped: " + ex.getMessage());
				this.store.confirmed(List.of(id));
				continue;
			}
			if (this.sender.delivered(id)) {
				this.store.confirmed(List.of(id));
				logger.info("Run " + id + " of periodic task " + run.name() + ", left unconfirmed by the previous "
						+ "leader, already reached a worker; not sent again");
				this.listeners.forEach((listener) -> listener.duplicateDropped(run.name(), id));
				continue;
			}
			Map<String, @Nullable Object> taken = this.store.codec().object(record.getValue(), "in-flight run");
			taken.put("token", this.lock.token());
			this.store.putInflight(id, this.store.codec().write(taken));
			logger.info("Sending run " + id + " of periodic task " + run.name()
					+ " again: the previous leader advanced it but did not get the broker's confirm");
			resend.add(run);
		}
		sendAll(resend);
	}

	private String inflight(Fire fire) {
		Map<String, Object> record = new LinkedHashMap<>();
		record.put("name", fire.entry().name());
		record.put("token", this.lock.token());
		record.put("due", fire.due().toEpochMilli());
		record.put("definition", Objects.requireNonNull(fire.entry().rawDefinition()));
		return this.store.codec().write(record);
	}

	private void report(StoredEntry entry, String problem) {
		String signature = problem + "\u0000" + entry.rawDefinition() + "\u0000" + entry.rawMeta();
		if (!signature.equals(this.reported.put(entry.key(), signature))) {
			logger
				.warn("Periodic task entry " + entry.key() + " is left alone (neither fired nor deleted): " + problem);
		}
	}

	private void reportOnce(String key, String message) {
		if (this.reported.putIfAbsent(key, message) == null) {
			logger.warn(message);
		}
	}

	private void paused(String why, RuntimeException ex) {
		this.problem = why;
		this.state = BeatStatus.State.PAUSED;
		logProblem(this.redisLoggedAt,
				"Beat paused: " + why + "; trying again every " + this.settings.maxInterval().toMillis() + " ms", ex);
	}

	private void recovered() {
		if (this.problem != null) {
			this.problem = null;
			// The pause's warning is not reset: a connection that flaps as it comes back
			// (a thread still holding the old one) warns at most once a minute too.
			logger.info("Beat resumed: Redis answers again");
		}
	}

	/** Log a repeating problem once a minute. */
	private void logProblem(AtomicLong loggedAt, String message, @Nullable Throwable ex) {
		long now = System.nanoTime();
		long last = loggedAt.get();
		if ((last != 0 && now - last < REPEAT_LOG_NANOS) || !loggedAt.compareAndSet(last, now)) {
			if (logger.isDebugEnabled()) {
				logger.debug(message);
			}
			return;
		}
		if (ex != null && logger.isDebugEnabled()) {
			logger.warn(message, ex);
		}
		else {
			logger.warn(message);
		}
	}

	private static <T extends Comparable<? super T>> T earliest(T a, T b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	/**
	 * A run advanced and not yet confirmed by the broker.
	 */
	private record Unsent(String id, String name, String task, Instant due, TaskRequest request) {

	}

}
