package dev.taskqueue.benchmarks.driver;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.benchmarks.stages.AmqpTimestamps;
import dev.taskqueue.benchmarks.stages.WallClock;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.ControlReply;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * taskqueue's figures: publish rate, drains with results stored and ignored, round-trip
 * latency, and the worker's memory, against a worker JVM started with the starter's
 * defaults.
 */
final class TaskqueueBench implements AutoCloseable {

	static final String NOOP = "bench.noop";

	private final Options options;

	private final Results results;

	private final String queue;

	private final ConfigurableApplicationContext context;

	private final TaskClient client;

	private final StringRedisTemplate redis;

	private final AmqpAdmin admin;

	private final ResultWatcher watcher;

	private final Senders senders;

	private final Path logs;

	/** The client's publish and confirm times, with {@code --stages}. */
	private final @Nullable AmqpTimestamps amqp;

	private ChildProcess worker;

	private final AtomicInteger latencyRuns = new AtomicInteger();

	TaskqueueBench(Options options, Results results, String runId, Path logs) throws Exception {
		this.options = options;
		this.results = results;
		this.logs = logs;
		this.queue = "tq-bench-" + runId;
		Properties props = new Properties();
		props.put("spring.rabbitmq.host", options.rabbitHost);
		props.put("spring.rabbitmq.port", Integer.toString(options.rabbitPort));
		props.put("spring.data.redis.host", options.redisHost);
		props.put("spring.data.redis.port", Integer.toString(options.redisPort));
		props.put("taskqueue.worker.enabled", "false");
		// The worker's remote control and events of this run alone.
		props.put("taskqueue.cluster.control-exchange", this.queue + "-ctl");
		props.put("taskqueue.cluster.event-exchange", this.queue + "-ev");
		props.put("taskqueue.cluster.timeout", "5s");
		props.put("spring.main.banner-mode", "off");
		props.put("logging.level.root", "WARN");
		props.put("bench.stages", Boolean.toString(options.stages));
		if (options.rabbitAddresses != null) {
			props.put("spring.rabbitmq.addresses", options.rabbitAddresses);
		}
		for (String prop : options.props) {
			String[] kv = prop.split("=", 2);
			if (kv.length != 2) {
				throw new IllegalArgumentException("--prop takes K=V, got '" + prop + "'");
			}
			props.put(kv[0], kv[1]);
		}
		this.context = new SpringApplicationBuilder(DriverApplication.class).web(WebApplicationType.NONE)
			.properties(props)
			.logStartupInfo(false)
			.run();
		this.client = this.context.getBean(TaskClient.class);
		this.amqp = this.context.getBeanProvider(AmqpTimestamps.class).getIfAvailable();
		this.redis = new StringRedisTemplate(this.context.getBean(RedisConnectionFactory.class));
		this.admin = new RabbitAdmin(this.context.getBean(ConnectionFactory.class));
		this.watcher = new ResultWatcher(options.redisHost, options.redisPort);
		this.senders = new Senders(options.senders);
		this.worker = startWorker();
	}

	String queue() {
		return this.queue;
	}

	/**
	 * Return the worker's settings as the driver passed them, for the report.
	 * @return the worker's settings as the driver passed them, for the report
	 */
	Map<String, Object> describe() {
		Map<String, Object> info = new LinkedHashMap<>();
		info.put("queue", this.queue);
		info.put("task", NOOP);
		info.put("workerCommand", String.join(" ", workerCommand()));
		info.put("senderThreads", this.senders.threads());
		return info;
	}

	private List<String> workerCommand() {
		List<String> args = new ArrayList<>();
		args.add(this.logs.resolve("worker.port").toString());
		args.add("--spring.rabbitmq.host=" + this.options.rabbitHost);
		args.add("--spring.rabbitmq.port=" + this.options.rabbitPort);
		args.add("--spring.data.redis.host=" + this.options.redisHost);
		args.add("--spring.data.redis.port=" + this.options.redisPort);
		args.add("--taskqueue.worker.queues=" + this.queue);
		args.add("--taskqueue.worker.node-name=" + this.queue + "@bench");
		args.add("--taskqueue.cluster.control-exchange=" + this.queue + "-ctl");
		args.add("--taskqueue.cluster.event-exchange=" + this.queue + "-ev");
		// Every resume restarts the worker, and with mingle each start waits out the
		// hello timeout on this run's private control exchange, where no node answers:
		// that second is start-up, not task throughput.
		args.add("--taskqueue.worker.mingle=false");
		if (this.options.stages) {
			args.add("--bench.stages=true");
		}
		if (this.options.rabbitAddresses != null) {
			args.add("--spring.rabbitmq.addresses=" + this.options.rabbitAddresses);
		}
		for (String prop : this.options.props) {
			args.add("--" + prop);
		}
		for (String prop : this.options.workerProps) {
			args.add("--" + prop);
		}
		return JavaCommand.of(this.options.workerJavaOpts, "worker", args);
	}

	private ChildProcess startWorker() throws Exception {
		ChildProcess child = ChildProcess.start("taskqueue worker", workerCommand(), Map.of(), Path.of("."),
				this.logs.resolve("worker.log"), this.logs.resolve("worker.port"));
		child.awaitReady(Duration.ofSeconds(120));
		return child;
	}

	/**
	 * Warm the worker's and the driver's JIT up with both paths before anything is
	 * measured.
	 */
	void warmUp() throws Exception {
		int count = this.options.warmup;
		if (count > 0) {
			drain(count, false, false);
			drain(Math.max(1, count / 4), true, false);
		}
		roundTrips(Math.max(this.options.latencyWarmup, 1), null, null, null);
	}

	/**
	 * The two halves of a drain apart: with the worker paused, publish N tasks (the
	 * publish rate on its own), then resume it and time it alone on the full queue.
	 * @param ignoreResult whether the tasks ignore their results
	 */
	void measurePhases(boolean ignoreResult) throws Exception {
		String load = Machine.loadavg();
		Drain drain = drain(this.options.n, ignoreResult, true);
		double publishRate = this.options.n / drain.publishSeconds;
		double consumeRate = this.options.n / drain.consumeSeconds;
		String suffix = ignoreResult ? "ignored" : "results";
		if (!ignoreResult) {
			this.results.figure(Results.TASKQUEUE, "publish", "tasks/s")
				.add(publishRate, load, Map.of("seconds", drain.publishSeconds, "n", this.options.n));
		}
		this.results.figure(Results.TASKQUEUE, "consume." + suffix, "tasks/s")
			.add(consumeRate, load, Map.of("seconds", drain.consumeSeconds, "n", this.options.n, "publishSeconds",
					drain.publishSeconds, "cpuMicrosPerTask", drain.cpuMicrosPerTask));
		Report.line(
				"taskqueue publish alone: %,.0f tasks/s (%,d in %.2f s, %d threads); worker alone, %s: "
						+ "%,.0f tasks/s (%.2f s); CPU us/task (publish + consume) %s; load %s -> %s",
				publishRate, this.options.n, drain.publishSeconds, this.senders.threads(), suffix, consumeRate,
				drain.consumeSeconds, drain.cpuMicrosPerTask, load, Machine.loadavg());
	}

	/** N tasks, results stored: from the first send to the last result stored. */
	void measureDrainStored() throws Exception {
		String load = Machine.loadavg();
		Drain drain = drain(this.options.n, false, false);
		recordDrain("drain.results", "rss.results", "heap.results", drain, load);
	}

	/** N tasks with ignore_result: from the first send to the last task run. */
	void measureDrainIgnored() throws Exception {
		String load = Machine.loadavg();
		Drain drain = drain(this.options.n, true, false);
		recordDrain("drain.ignored", "rss.ignored", "heap.ignored", drain, load);
	}

	/**
	 * N tasks, results stored, with Celery's task events switched off and then on in the
	 * worker (the {@code disable_events} and {@code enable_events} commands), with a
	 * receiver of the events bound as Flower would be, so both figures come from the same
	 * worker JVM and the same run.
	 */
	void measureDrainWithAndWithoutEvents() throws Exception {
		ClusterControl cluster = this.context.getBean(ClusterControl.class);
		String node = this.queue + "@bench";
		String receiver = this.queue + "-ev-receiver";
		this.admin.declareQueue(
				new Queue(receiver, false, false, true, Map.of("x-message-ttl", 5000, "x-max-length", 100_000)));
		// As the worker's dispatcher declares it (Celery's event exchange).
		this.admin.declareExchange(new TopicExchange(this.queue + "-ev", true, false));
		this.admin.declareBinding(new Binding(receiver, Binding.DestinationType.QUEUE, this.queue + "-ev", "#", null));
		try {
			for (boolean on : List.of(false, true)) {
				Map<String, ControlReply> replies = on ? cluster.control().destination(node).enableEvents()
						: cluster.control().destination(node).disableEvents();
				if (!replies.containsKey(node)) {
					throw new IllegalStateException("The worker " + node + " did not answer "
							+ (on ? "enable_events" : "disable_events") + ": " + replies);
				}
				String suffix = on ? "events-on" : "events-off";
				String load = Machine.loadavg();
				Drain drain = drain(this.options.n, false, false);
				recordDrain("drain.results." + suffix, "rss." + suffix, "heap." + suffix, drain, load);
			}
		}
		finally {
			cluster.control().destination(node).disableEvents();
			this.admin.deleteQueue(receiver);
			this.admin.deleteExchange(this.queue + "-ev");
		}
	}

	private void recordDrain(String metric, String rssMetric, String heapMetric, Drain drain, String load)
			throws Exception {
		long rss = this.worker.rss();
		Map<String, Long> afterGc = this.worker.stats(true);
		double rate = this.options.n / drain.seconds;
		Map<String, Object> detail = new LinkedHashMap<>();
		detail.put("n", this.options.n);
		detail.put("seconds", drain.seconds);
		detail.put("publishSeconds", drain.publishSeconds);
		detail.put("publishRateDuringDrain", this.options.n / drain.publishSeconds);
		detail.put("rssBytes", rss);
		detail.put("heapUsedAfterGc", afterGc.get("heapUsed"));
		detail.put("heapCommittedAfterGc", afterGc.get("heapCommitted"));
		detail.put("cpuMicrosPerTask", drain.cpuMicrosPerTask);
		this.results.figure(Results.TASKQUEUE, metric, "tasks/s").add(rate, load, detail);
		this.results.figure(Results.TASKQUEUE, rssMetric, "bytes").add(rss, load, Map.of());
		this.results.figure(Results.TASKQUEUE, heapMetric, "bytes")
			.add(afterGc.getOrDefault("heapUsed", -1L), load, Map.of());
		Report.line(
				"taskqueue %s: %,.0f tasks/s (%,d in %.2f s; publishing took %.2f s), worker RSS %.0f MB, "
						+ "heap after GC %.0f MB, CPU us/task %s; load %s -> %s",
				metric, rate, this.options.n, drain.seconds, drain.publishSeconds, rss / 1e6,
				afterGc.getOrDefault("heapUsed", -1L) / 1e6, drain.cpuMicrosPerTask, load, Machine.loadavg());
	}

	/**
	 * Send {@code count} tasks and wait until the worker is done with them: the last
	 * result stored, or (results ignored) the last task run. Checks that the queue is
	 * empty after, and (results stored) that every result is a stored SUCCESS.
	 */
	private Drain drain(int count, boolean ignoreResult, boolean paused) throws Exception {
		List<String> ids = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			ids.add(UUID.randomUUID().toString());
		}
		ResultWatcher.Expectation expectation = this.watcher.expect(ignoreResult ? List.of() : ids);
		long before = this.worker.stats(false).get("count");
		if (paused) {
			this.worker.pause();
		}
		CpuMeter meter = CpuMeter.of("worker", this.worker.handle(), this.options);
		Map<String, Double> cpuBefore = meter.snapshot();
		Senders.Timing timing = this.senders.send(count, (i) -> this.client
			.send(TaskRequest.builder(NOOP).queue(this.queue).taskId(ids.get(i)).ignoreResult(ignoreResult).build()));
		long resumeNanos = System.nanoTime();
		long resumeMillis = System.currentTimeMillis();
		if (paused) {
			this.worker.resume();
		}
		long endNanos;
		if (ignoreResult) {
			long deadline = System.nanoTime() + Duration.ofSeconds(this.options.timeoutSeconds).toNanos();
			Map<String, Long> stats;
			while ((stats = this.worker.stats(false)).get("count") < before + count) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Worker ran only " + (stats.get("count") - before) + " of " + count
							+ " tasks in " + this.options.timeoutSeconds + " s");
				}
				Thread.sleep(10);
			}
			// The worker's clock of its last task: the wall clock the driver shares, to
			// the millisecond.
			endNanos = resumeNanos + (stats.get("lastMillis") - resumeMillis) * 1_000_000;
		}
		else {
			endNanos = expectation.await(Duration.ofSeconds(this.options.timeoutSeconds));
			// "Stored" must be real: every key is there.
			long stored = countKeys(ids);
			if (stored != count || expectation.failures() != 0) {
				throw new IllegalStateException(stored + " of " + count + " result keys exist, "
						+ expectation.failures() + " results are not SUCCESS");
			}
			deleteKeys(ids);
		}
		Map<String, Double> cpu = CpuMeter.perTask(cpuBefore, meter.snapshot(), count);
		long queued = queueDepth(this.queue);
		if (queued != 0) {
			throw new IllegalStateException(queued + " messages left in " + this.queue + " after the drain");
		}
		return new Drain((endNanos - timing.startNanos()) / 1e9, timing.seconds(),
				paused ? (endNanos - resumeNanos) / 1e9 : Double.NaN, cpu);
	}

	/**
	 * Sequential send().get() round trips: warm up, then measure round trips in as many
	 * parts as the caller likes (to interleave them with the raw baseline's, so the
	 * machine's load hits both alike).
	 * @return the run
	 */
	LatencyRun startLatency() throws Exception {
		roundTrips(Math.max(this.options.latencyWarmup, 1), null, null, null);
		RoundTripStages stages = null;
		if (this.options.stages) {
			stages = RoundTripStages.taskqueue();
			// What the worker noted so far (warm-up, drains) is not asked about.
			this.worker.document("stages");
			this.watcher.noteArrivals(true);
		}
		List<Double> samples = new ArrayList<>(this.options.latencySamples);
		List<Double> sends = new ArrayList<>(this.options.latencySamples);
		RoundTripStages breakdown = stages;
		return new LatencyRun() {

			@Override
			public void measure(int count) throws Exception {
				roundTrips(count, samples, sends, breakdown);
			}

			@Override
			public void finish(String load) throws IOException {
				LatencyFigures.record(TaskqueueBench.this.results, Results.TASKQUEUE, samples, load);
				LatencyFigures.recordPublish(TaskqueueBench.this.results, Results.TASKQUEUE,
						"send() (publish until confirmed)", sends, load);
				if (breakdown != null) {
					TaskqueueBench.this.watcher.noteArrivals(false);
					breakdown.record(TaskqueueBench.this.results, load, TaskqueueBench.this.logs
						.resolve("stages-taskqueue-" + TaskqueueBench.this.latencyRuns.incrementAndGet() + ".csv"));
				}
			}

		};
	}

	private void roundTrips(int count, @Nullable List<Double> samples, @Nullable List<Double> sends,
			@Nullable RoundTripStages stages) throws Exception {
		List<String> ids = new ArrayList<>(count);
		List<Map<String, Long>> points = new ArrayList<>();
		Duration timeout = Duration.ofSeconds(10);
		AmqpTimestamps amqp = this.amqp;
		for (int i = 0; i < count; i++) {
			long startMicros = (stages != null) ? WallClock.micros() : 0;
			long start = System.nanoTime();
			var result = this.client.send(TaskRequest.builder(NOOP).queue(this.queue).build());
			long sent = System.nanoTime();
			long sentMicros = (stages != null) ? WallClock.micros() : 0;
			result.get(timeout);
			long elapsed = System.nanoTime() - start;
			if (samples != null && sends != null) {
				samples.add(elapsed / 1e6);
				sends.add((sent - start) / 1e6);
			}
			if (stages != null && amqp != null) {
				long doneMicros = WallClock.micros();
				Map<String, Long> sample = new LinkedHashMap<>();
				sample.put(RoundTripStages.SEND, startMicros);
				sample.put(RoundTripStages.PUBLISHED, within(amqp.lastPublish(), startMicros, sentMicros));
				// The hook may run after the confirm listener woke the sender: later than
				// send() returned, still this publish's (the only one in flight).
				sample.put(RoundTripStages.CONFIRMED, within(amqp.lastConfirm(), startMicros, doneMicros));
				sample.put(RoundTripStages.SENT, sentMicros);
				sample.put(RoundTripStages.DONE, doneMicros);
				points.add(sample);
			}
			ids.add(result.getId());
		}
		if (stages != null) {
			addWorkerPoints(ids, points, stages);
		}
		deleteKeys(ids);
	}

	/** A point of this round trip, or 0 when the one noted last is another's. */
	private static long within(long micros, long from, long to) {
		return (micros >= from && micros <= to) ? micros : 0;
	}

	/**
	 * Complete each round trip's points with the notification's arrival and the worker's,
	 * and add them to the breakdown.
	 */
	private void addWorkerPoints(List<String> ids, List<Map<String, Long>> points, RoundTripStages stages)
			throws Exception {
		Map<String, long[]> worker = new HashMap<>();
		for (String line : this.worker.document("stages").split("\n")) {
			String[] fields = line.trim().split(" ");
			if (fields.length == 7) {
				long[] values = new long[6];
				for (int k = 0; k < 6; k++) {
					values[k] = Long.parseLong(fields[k + 1]);
				}
				worker.put(fields[0], values);
			}
		}
		String[] names = { RoundTripStages.DELIVERED, RoundTripStages.TAKEN, RoundTripStages.STARTED,
				RoundTripStages.RETURNED, RoundTripStages.LEFT, RoundTripStages.ACKED };
		for (int i = 0; i < points.size(); i++) {
			Map<String, Long> sample = points.get(i);
			String id = ids.get(i);
			sample.put(RoundTripStages.NOTIFIED, this.watcher.arrival(id));
			long[] values = worker.get(id);
			if (values != null) {
				for (int k = 0; k < names.length; k++) {
					sample.put(names[k], values[k]);
				}
			}
			stages.add(sample);
		}
	}

	/**
	 * Return the worker's resident memory now.
	 * @return the worker's resident memory now
	 */
	long workerRss() {
		return this.worker.rss();
	}

	private long queueDepth(String name) {
		Properties props = this.admin.getQueueProperties(name);
		Object count = (props != null) ? props.get(RabbitAdmin.QUEUE_MESSAGE_COUNT) : null;
		return (count instanceof Number number) ? number.longValue() : -1;
	}

	private long countKeys(List<String> ids) {
		long total = 0;
		for (int from = 0; from < ids.size(); from += 1000) {
			List<String> keys = ids.subList(from, Math.min(ids.size(), from + 1000))
				.stream()
				.map((id) -> ResultWatcher.PREFIX + id)
				.toList();
			Long found = this.redis.countExistingKeys(keys);
			total += (found != null) ? found : 0;
		}
		return total;
	}

	private void deleteKeys(List<String> ids) {
		for (int from = 0; from < ids.size(); from += 1000) {
			this.redis.unlink(ids.subList(from, Math.min(ids.size(), from + 1000))
				.stream()
				.map((id) -> ResultWatcher.PREFIX + id)
				.toList());
		}
	}

	@Override
	public void close() {
		try {
			if (this.worker != null) {
				this.worker.stop();
			}
		}
		finally {
			for (String name : List.of(this.queue, this.queue + ".dlq")) {
				try {
					this.admin.deleteQueue(name);
					this.admin.deleteExchange(name);
				}
				catch (RuntimeException ex) {
					Report.line("could not delete queue %s: %s", name, ex.getMessage());
				}
			}
			this.senders.close();
			this.watcher.close();
			this.context.close();
		}
	}

	/**
	 * How long a drain took.
	 *
	 * @param seconds from the first send to the last result stored (or task run)
	 * @param publishSeconds from the first send until the last send returned
	 * @param consumeSeconds from resuming the paused worker to the end, or NaN
	 * @param cpuMicrosPerTask CPU microseconds per task of the worker, the driver,
	 * RabbitMQ and Redis
	 */
	private record Drain(double seconds, double publishSeconds, double consumeSeconds,
			Map<String, Double> cpuMicrosPerTask) {
	}

}
