package dev.taskqueue.benchmarks.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.jspecify.annotations.Nullable;

/**
 * Runs the whole benchmark and prints its table; see {@link Options#USAGE}.
 * <p>
 * Order: taskqueue (warm-up, then per repetition publish alone, drain with results
 * stored, drain with results ignored), the raw Spring AMQP baseline's, then the round
 * trips of both, in alternating parts so that both see the same load, then Celery. Every
 * process it starts is stopped by PID at the end, also on failure, and every queue and
 * result key it made is deleted.
 */
public final class BenchDriver {

	private BenchDriver() {
	}

	/**
	 * Run the benchmark.
	 * @param args the command line
	 * @return the exit code
	 */
	public static int run(String[] args) {
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (IllegalArgumentException ex) {
			if (!ex.getMessage().isEmpty()) {
				System.err.println("bench: " + ex.getMessage());
			}
			System.err.print(Options.USAGE);
			return 2;
		}
		try {
			return new Run(options).execute();
		}
		catch (Exception ex) {
			System.err.println("bench: failed: " + ex);
			ex.printStackTrace();
			return 1;
		}
	}

	private static final class Run {

		/** Round trips of one system before the other's turn. */
		private static final int LATENCY_PART = 100;

		private final Options options;

		private final Results results = new Results();

		private final String runId;

		private final Path out;

		private final Path logs;

		Run(Options options) {
			this.options = options;
			String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
			this.runId = stamp + "-" + UUID.randomUUID().toString().substring(0, 4);
			this.out = (options.out != null) ? options.out : Path.of("bench-results", stamp + ".json");
			this.logs = (options.logs != null) ? options.logs
					: this.out.toAbsolutePath().resolveSibling(stamp + "-logs");
		}

		int execute() throws Exception {
			Files.createDirectories(this.logs);
			Map<String, Object> info = this.results.info;
			info.put("runId", this.runId);
			info.put("n", this.options.n);
			info.put("reps", this.options.reps);
			info.put("senderThreads", this.options.senders);
			info.put("warmupTasks", this.options.warmup);
			info.put("latencySamples", this.options.latencySamples);
			info.put("latencyWarmup", this.options.latencyWarmup);
			info.put("parts", List.copyOf(this.options.only));
			info.put("machine", Machine.describe());
			info.put("services", services());
			info.put("workerJavaOpts", this.options.workerJavaOpts);
			info.put("workerProps", this.options.workerProps);
			info.put("props", this.options.props);
			if (this.options.rabbitAddresses != null) {
				info.put("rabbitAddresses", this.options.rabbitAddresses);
			}
			if (this.options.queueVersion > 0) {
				info.put("queueVersionPolicy", Map.of("pattern", QueueVersionPolicy.pattern(this.runId),
						"queue-version", this.options.queueVersion));
			}
			String celeryVersion = null;
			if (this.options.celery && this.options.runs("celery")) {
				celeryVersion = CeleryBench.version(this.options.python);
				if (celeryVersion == null) {
					this.results.notes.add("Celery skipped: " + this.options.python + " cannot import celery");
				}
			}
			if (celeryVersion != null) {
				info.put("celeryVersion", celeryVersion);
			}
			Report.line("run %s: N=%,d, %d repetitions, %d sender threads, load %s; logs in %s", this.runId,
					this.options.n, this.options.reps, this.options.senders, Machine.loadavg(), this.logs);
			List<String> leftovers = new ArrayList<>();
			QueueVersionPolicy policy = (this.options.queueVersion > 0)
					? QueueVersionPolicy.apply(this.runId, this.options.queueVersion) : null;
			try {
				runTaskqueueAndRaw();
				if (celeryVersion != null) {
					runCelery(leftovers);
				}
			}
			finally {
				deleteQueues(leftovers);
				if (policy != null) {
					policy.close();
				}
				info.put("loadavgAtEnd", Machine.loadavg());
				this.results.write(this.out);
				Report.line("results written to %s", this.out);
			}
			this.results.notes
				.add("load averages (1/5/15 min) at start " + ((Map<?, ?>) info.get("machine")).get("loadavgAtStart")
						+ ", at end " + info.get("loadavgAtEnd") + "; per figure in the JSON");
			this.results.notes.add("machine: " + ((Map<?, ?>) info.get("machine")).get("cpus") + " CPUs, "
					+ ((Map<?, ?>) info.get("machine")).get("memTotal")
					+ "; RabbitMQ, Redis, producer and worker share it");
			this.results.print(System.out);
			System.out.println("JSON: " + this.out);
			return 0;
		}

		/**
		 * taskqueue's parts, then the raw baseline's, then (both open) the round trips of
		 * both, interleaved.
		 */
		private void runTaskqueueAndRaw() throws Exception {
			boolean taskqueue = this.options.runs("publish") || this.options.runs("drain")
					|| this.options.runs("latency") || this.options.runs("events");
			TaskqueueBench ours = null;
			RawBench raw = null;
			try {
				if (taskqueue) {
					ours = new TaskqueueBench(this.options, this.results, this.runId, this.logs);
					runTaskqueue(ours);
				}
				if (this.options.runs("raw")) {
					raw = new RawBench(this.options, this.results, this.runId, this.logs);
					runRaw(raw);
				}
				if (this.options.runs("latency")) {
					for (int rep = 1; rep <= this.options.reps; rep++) {
						measureLatency(ours, raw);
					}
				}
			}
			finally {
				try {
					if (raw != null) {
						raw.close();
					}
				}
				finally {
					if (ours != null) {
						ours.close();
					}
				}
			}
		}

		private void runTaskqueue(TaskqueueBench bench) throws Exception {
			this.results.info.put("taskqueue", bench.describe());
			Report.line("taskqueue worker up; warming up with %,d tasks", this.options.warmup);
			bench.warmUp();
			for (int rep = 1; rep <= this.options.reps; rep++) {
				Report.line("taskqueue repetition %d of %d", rep, this.options.reps);
				if (this.options.runs("publish")) {
					bench.measurePhases(false);
					bench.measurePhases(true);
				}
				if (this.options.runs("drain")) {
					bench.measureDrainStored();
					bench.measureDrainIgnored();
				}
				if (this.options.runs("events")) {
					bench.measureDrainWithAndWithoutEvents();
				}
			}
		}

		private void runRaw(RawBench bench) throws Exception {
			this.results.info.put("raw", bench.describe());
			bench.warmUp();
			for (int rep = 1; rep <= this.options.reps; rep++) {
				Report.line("raw repetition %d of %d", rep, this.options.reps);
				if (this.options.runs("publish")) {
					bench.measurePhases();
				}
				if (this.options.runs("drain")) {
					bench.measureDrain();
					bench.measureDrainStored();
				}
			}
		}

		/**
		 * One repetition of the round trips: taskqueue's and the raw baseline's in
		 * alternating parts of {@value #LATENCY_PART} round trips, so both see the same
		 * load.
		 */
		private void measureLatency(@Nullable TaskqueueBench ours, @Nullable RawBench raw) throws Exception {
			int settled = Machine.settle(0.25, 30);
			Report.line("round trips after %d s of settling, %s in alternating parts of %d", settled,
					(ours != null && raw != null) ? "taskqueue and raw" : (ours != null) ? "taskqueue" : "raw",
					LATENCY_PART);
			String load = Machine.loadavg();
			LatencyRun oursRun = (ours != null) ? ours.startLatency() : null;
			LatencyRun rawRun = null;
			try {
				rawRun = (raw != null) ? raw.startLatency() : null;
				for (int done = 0; done < this.options.latencySamples; done += LATENCY_PART) {
					int part = Math.min(LATENCY_PART, this.options.latencySamples - done);
					if (oursRun != null) {
						oursRun.measure(part);
					}
					if (rawRun != null) {
						rawRun.measure(part);
					}
				}
				if (oursRun != null) {
					oursRun.finish(load);
				}
				if (rawRun != null) {
					rawRun.finish(load);
				}
			}
			finally {
				if (raw != null) {
					raw.stopLatency();
				}
			}
		}

		private void runCelery(List<String> leftovers) throws Exception {
			try (CeleryBench bench = new CeleryBench(this.options, this.results, this.runId, this.logs)) {
				leftovers.addAll(bench.queues());
				this.results.info.put("celery", bench.describe());
				bench.run(this.options.runs("publish"), this.options.runs("drain"), this.options.runs("latency"));
			}
		}

		private Map<String, Object> services() {
			Map<String, Object> services = new LinkedHashMap<>();
			try (Connection connection = rabbit().newConnection("bench-info")) {
				services.put("rabbitmq", String.valueOf(connection.getServerProperties().get("version")));
			}
			catch (IOException | TimeoutException | RuntimeException ex) {
				services.put("rabbitmq", "unreachable: " + ex.getMessage());
			}
			RedisClient client = RedisClient.create(RedisURI.create(this.options.redisHost, this.options.redisPort));
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				String info = connection.sync().info("server");
				services.put("redis",
						info.lines()
							.filter((line) -> line.startsWith("redis_version:"))
							.map((line) -> line.substring("redis_version:".length()))
							.findFirst()
							.orElse("?"));
			}
			catch (RuntimeException ex) {
				services.put("redis", "unreachable: " + ex.getMessage());
			}
			finally {
				client.shutdown();
			}
			return services;
		}

		private ConnectionFactory rabbit() {
			ConnectionFactory factory = new ConnectionFactory();
			factory.setHost(this.options.rabbitHost);
			factory.setPort(this.options.rabbitPort);
			factory.setUsername("guest");
			factory.setPassword("guest");
			return factory;
		}

		private void deleteQueues(List<String> queues) {
			if (queues.isEmpty()) {
				return;
			}
			try (Connection connection = rabbit().newConnection("bench-cleanup")) {
				for (String queue : queues) {
					try (Channel channel = connection.createChannel()) {
						channel.queueDelete(queue);
						channel.exchangeDelete(queue);
					}
				}
			}
			catch (IOException | TimeoutException | RuntimeException ex) {
				Report.line("could not delete queues %s: %s", queues, ex.getMessage());
			}
		}

	}

}
