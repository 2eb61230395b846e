package dev.taskqueue.benchmarks.driver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * taskqueue's figures: publish rate, drains with results stored and ignored, round-trip latency,
 * and the worker's memory, against a worker JVM started with the starter's defaults.
 */
final class TaskqueueBench implements AutoCloseable {

	static final String NOOP = "bench.noop";

	private final Options options;

	private final Results results;

	private final String queue;

	private final String publishQueue;

	private final ConfigurableApplicationContext context;

	private final TaskClient client;

	private final StringRedisTemplate redis;

	private final AmqpAdmin admin;

	private final ResultWatcher watcher;

	private final Senders senders;

	private final Path logs;

	private ChildProcess worker;

	TaskqueueBench(Options options, Results results, String runId, Path logs) throws Exception {
		this.options = options;
		this.results = results;
		this.logs = logs;
		this.queue = "tq-bench-" + runId;
		this.publishQueue = this.queue + "-publish";
		Properties props = new Properties();
		props.put("spring.rabbitmq.host", options.rabbitHost);
		props.put("spring.rabbitmq.port", Integer.toString(options.rabbitPort));
		props.put("spring.data.redis.host", options.redisHost);
		props.put("spring.data.redis.port", Integer.toString(options.redisPort));
		props.put("taskqueue.worker.enabled", "false");
		props.put("spring.main.banner-mode", "off");
		props.put("logging.level.root", "WARN");
		this.context = new SpringApplicationBuilder(DriverApplication.class).web(WebApplicationType.NONE)
			.properties(props)
			.logStartupInfo(false)
			.run();
		this.client = this.context.getBean(TaskClient.class);
		this.redis = new StringRedisTemplate(this.context.getBean(RedisConnectionFactory.class));
		this.admin = new RabbitAdmin(this.context.getBean(ConnectionFactory.class));
		this.watcher = new ResultWatcher(options.redisHost, options.redisPort);
		this.senders = new Senders(options.senders);
		this.worker = startWorker();
	}

	String queue() {
		return this.queue;
	}

	/** @return the worker's settings as the driver passed them, for the report */
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

	/** Warm the worker's and the driver's JIT up with both paths before anything is measured. */
	void warmUp() throws Exception {
		int count = this.options.warmup;
		if (count > 0) {
			drainStored(count);
			drainIgnored(Math.max(1, count / 4));
		}
		roundTrips(Math.max(this.options.latencyWarmup, 1), null);
	}

	/** Publish N tasks to a queue no one consumes: the publish rate on its own. */
	void publishAlone() throws Exception {
		String load = Machine.loadavg();
		Senders.Timing timing = this.senders.send(this.options.n, (i) -> this.client
			.send(TaskRequest.builder(NOOP).queue(this.publishQueue).build()));
		double rate = this.options.n / timing.seconds();
		this.admin.purgeQueue(this.publishQueue, false);
		this.results.figure(Results.TASKQUEUE, "publish", "tasks/s")
			.add(rate, load, Map.of("seconds", timing.seconds(), "n", this.options.n));
		Report.line("taskqueue publish alone: %,.0f tasks/s (%,d in %.2f s, %d threads) load %s", rate,
				this.options.n, timing.seconds(), this.senders.threads(), Machine.loadavg());
	}

	/** N tasks, results stored: from the first send to the last result stored. */
	void measureDrainStored() throws Exception {
		String load = Machine.loadavg();
		Drain drain = drainStored(this.options.n);
		recordDrain("drain.results", "rss.results", "heap.results", drain, load);
	}

	/** N tasks with ignore_result: from the first send to the last task run. */
	void measureDrainIgnored() throws Exception {
		String load = Machine.loadavg();
		Drain drain = drainIgnored(this.options.n);
		recordDrain("drain.ignored", "rss.ignored", "heap.ignored", drain, load);
	}

	private void recordDrain(String metric, String rssMetric, String heapMetric, Drain drain, String load)
			throws Exception {
		long rss = this.worker.rss();
		Map<String, Long> afterGc = this.worker.stats(true);
		long queued = queueDepth(this.queue);
		double rate = this.options.n / drain.seconds;
		Map<String, Object> detail = new LinkedHashMap<>();
		detail.put("n", this.options.n);
		detail.put("seconds", drain.seconds);
		detail.put("publishSeconds", drain.publishSeconds);
		detail.put("publishRateDuringDrain", this.options.n / drain.publishSeconds);
		detail.put("rssBytes", rss);
		detail.put("heapUsedAfterGc", afterGc.get("heapUsed"));
		detail.put("heapCommittedAfterGc", afterGc.get("heapCommitted"));
		detail.put("queueDepthAfter", queued);
		detail.put("failures", drain.failures);
		this.results.figure(Results.TASKQUEUE, metric, "tasks/s").add(rate, load, detail);
		this.results.figure(Results.TASKQUEUE, rssMetric, "bytes").add(rss, load, Map.of());
		this.results.figure(Results.TASKQUEUE, heapMetric, "bytes")
			.add(afterGc.getOrDefault("heapUsed", -1L), load, Map.of());
		Report.line("taskqueue %s: %,.0f tasks/s (%,d in %.2f s; publishing took %.2f s), worker RSS %.0f MB, "
				+ "heap after GC %.0f MB, queue depth after %d, failures %d; load %s -> %s", metric, rate,
				this.options.n, drain.seconds, drain.publishSeconds, rss / 1e6,
				afterGc.getOrDefault("heapUsed", -1L) / 1e6, queued, drain.failures, load, Machine.loadavg());
		if (queued != 0 || drain.failures != 0) {
			throw new IllegalStateException("Drain was not clean: " + queued + " messages left, " + drain.failures
					+ " results not SUCCESS");
		}
	}

	private Drain drainStored(int count) throws Exception {
		List<String> ids = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			ids.add(UUID.randomUUID().toString());
		}
		ResultWatcher.Expectation expectation = this.watcher.expect(ids);
		Senders.Timing timing = this.senders.send(count,
				(i) -> this.client.send(TaskRequest.builder(NOOP).queue(this.queue).taskId(ids.get(i)).build()));
		long end = expectation.await(Duration.ofSeconds(this.options.timeoutSeconds));
		// "Stored" must be real: every key is there.
		long stored = countKeys(ids);
		if (stored != count) {
			throw new IllegalStateException("Only " + stored + " of " + count + " result keys exist");
		}
		deleteKeys(ids);
		return new Drain((end - timing.startNanos()) / 1e9, timing.seconds(), expectation.failures());
	}

	private Drain drainIgnored(int count) throws Exception {
		long before = this.worker.stats(false).get("count");
		Senders.Timing timing = this.senders.send(count, (i) -> this.client
			.send(TaskRequest.builder(NOOP).queue(this.queue).ignoreResult(true).build()));
		long deadline = System.nanoTime() + Duration.ofSeconds(this.options.timeoutSeconds).toNanos();
		Map<String, Long> stats;
		while ((stats = this.worker.stats(false)).get("count") < before + count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Worker ran only " + (stats.get("count") - before) + " of " + count
						+ " tasks in " + this.options.timeoutSeconds + " s");
			}
			Thread.sleep(10);
		}
		// The worker's clock of its last task: the same wall clock as the driver's, to the millisecond.
		double seconds = (stats.get("lastMillis") - timing.startMillis()) / 1e3;
		return new Drain(seconds, timing.seconds(), 0);
	}

	/** Sequential send().get() round trips. */
	void measureLatency() throws Exception {
		String load = Machine.loadavg();
		List<Double> samples = new ArrayList<>(this.options.latencySamples);
		roundTrips(this.options.latencySamples, samples);
		LatencyFigures.record(this.results, Results.TASKQUEUE, samples, load);
	}

	private void roundTrips(int count, @Nullable List<Double> samples) throws Exception {
		List<String> ids = new ArrayList<>(count);
		Duration timeout = Duration.ofSeconds(10);
		for (int i = 0; i < count; i++) {
			long start = System.nanoTime();
			var result = this.client.send(TaskRequest.builder(NOOP).queue(this.queue).build());
			result.get(timeout);
			long elapsed = System.nanoTime() - start;
			if (samples != null) {
				samples.add(elapsed / 1e6);
			}
			ids.add(result.getId());
		}
		deleteKeys(ids);
	}

	/** @return the worker's resident memory now */
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
			for (String name : List.of(this.queue, this.queue + ".dlq", this.publishQueue)) {
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

	private record Drain(double seconds, double publishSeconds, int failures) {
	}

}
