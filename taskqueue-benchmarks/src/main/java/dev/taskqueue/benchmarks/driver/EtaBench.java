package dev.taskqueue.benchmarks.driver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.taskqueue.benchmarks.stats.Samples;
import dev.taskqueue.broker.internal.DelayQueues;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The waiting-work benchmark: N tasks whose etas are spread evenly over M minutes,
 * starting a lead time after the first send, sent with {@code TaskClient.sendAll} in
 * bulks to a taskqueue worker JVM, which parks them in the broker's delay queues. Every
 * few seconds it samples the worker's resident memory, RabbitMQ's ({@code beam.smp}'s)
 * and the messages parked in the delay queues; each task appends its lateness (start
 * minus eta, by the clock every process here shares) to a Redis list, read at the end.
 * Then the same with Celery: its {@code tasks.eta_probe}, sent one {@code apply_async} at
 * a time, to a prefork worker, which holds every ETA task in its memory until due. <pre>
 * java -jar taskqueue-benchmarks.jar eta [--n 1000000] [--minutes 10] [--celery-n 100000]
 * </pre>
 */
public final class EtaBench {

	static final String USAGE = """
			usage: java -jar taskqueue-benchmarks-*.jar eta [options]
			  --n N              taskqueue tasks (default 1000000)
			  --minutes M        their etas are spread evenly over M minutes (default 10)
			  --lead S           the first eta is S seconds after the first send (default 60)
			  --bulk B           tasks per sendAll (default 10000)
			  --sample S         seconds between memory samples (default 5)
			  --celery-n N       Celery's tasks, over the same span (default 100000; 0 skips)
			  --shuffle          send the taskqueue tasks in random order, not in eta order
			  --java-opts OPTS   JVM options of the worker (default -Xmx128m)
			  --python PATH      the Python that has Celery (default /usr/bin/python3)
			  --rabbit HOST:PORT RabbitMQ (default 127.0.0.1:5672, guest/guest)
			  --redis HOST:PORT  Redis (default 127.0.0.1:6379)
			  --out FILE         JSON results (default bench-results/eta-<timestamp>.json)
			""";

	private static final String BUCKET_PREFIX = DelayQueues.bucketName(0).replaceFirst("0$", "");

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private EtaBench() {
	}

	/**
	 * Run the benchmark.
	 * @param args the options
	 * @return the exit status: 0 if every task ran
	 * @throws Exception if it cannot run
	 */
	public static int run(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		options.put("--n", "1000000");
		options.put("--minutes", "10");
		options.put("--lead", "60");
		options.put("--bulk", "10000");
		options.put("--sample", "5");
		options.put("--celery-n", "100000");
		options.put("--shuffle", "false");
		options.put("--java-opts", "-Xmx128m");
		options.put("--python", "/usr/bin/python3");
		options.put("--rabbit", "127.0.0.1:5672");
		options.put("--redis", "127.0.0.1:6379");
		if (!WorkerProcess.parse(args, options, List.of("--shuffle"))) {
			System.err.println(USAGE);
			return 2;
		}
		int n = Integer.parseInt(options.get("--n"));
		long spanMillis = (long) (Double.parseDouble(options.get("--minutes")) * 60_000);
		long leadMillis = Long.parseLong(options.get("--lead")) * 1000;
		int bulk = Integer.parseInt(options.get("--bulk"));
		int sampleSeconds = Integer.parseInt(options.get("--sample"));
		int celeryN = Integer.parseInt(options.get("--celery-n"));
		long[] slots = slots(n, Boolean.parseBoolean(options.get("--shuffle")));
		String rabbit = options.get("--rabbit");
		String redisAddress = options.get("--redis");
		String python = options.get("--python");
		String id = UUID.randomUUID().toString().substring(0, 8);
		String queue = "tq-bench-eta-" + id;
		String celeryQueue = queue + "-celery";
		String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
		Path out = Path.of(options.getOrDefault("--out", "bench-results/eta-" + stamp + ".json")).toAbsolutePath();
		Path logs = out.getParent();
		Files.createDirectories(logs);
		int rabbitPort = Integer.parseInt(rabbit.split(":")[1]);
		ProcessHandle broker = CpuMeter.find("beam.smp", rabbitPort).orElse(null);
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("cores", Runtime.getRuntime().availableProcessors());
		results.put("loadAverageAtStart", Machine.loadavg());
		int status = 0;
		try (ConfigurableApplicationContext context = WorkerProcess.driver(rabbit, redisAddress)) {
			TaskClient client = context.getBean(TaskClient.class);
			StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
			RabbitAdmin admin = new RabbitAdmin(context.getBean(ConnectionFactory.class));
			admin.declareQueue(new Queue(queue, true, false, false));
			String key = "tq-bench-eta-" + id + ":lateness";
			ChildProcess worker = WorkerProcess.start(options.get("--java-opts"), queue, logs, rabbit, redisAddress);
			long firstEta = System.currentTimeMillis() + leadMillis;
			try {
				Sampler sampler = new Sampler(worker.handle(), broker, admin, redis, key, sampleSeconds);
				long first = firstEta;
				long sendStart = System.nanoTime();
				long sentLate = 0;
				for (int from = 0; from < n; from += bulk) {
					List<TaskRequest> requests = new ArrayList<>(bulk);
					int to = Math.min(n, from + bulk);
					for (int i = from; i < to; i++) {
						long eta = first + slots[i] * spanMillis / n;
						requests.add(TaskRequest.builder("bench.eta")
							.args(eta, key)
							.queue(queue)
							.eta(Instant.ofEpochMilli(eta))
							.ignoreResult(true)
							.build());
					}
					client.sendAll(requests);
					long now = System.currentTimeMillis();
					for (int i = from; i < to; i++) {
						if (first + slots[i] * spanMillis / n <= now) {
							sentLate++;
						}
					}
				}
				double sendSeconds = (System.nanoTime() - sendStart) / 1e9;
				System.out.printf("eta bench: %,d tasks sent in %.1f s (%,.0f/s), %,d after their eta; load %s%n", n,
						sendSeconds, n / sendSeconds, sentLate, Machine.loadavg());
				String breakdown = rabbitMemoryBreakdown();
				boolean complete = awaitList(redis, key, n, first + spanMillis + Duration.ofMinutes(5).toMillis(),
						worker::isAlive);
				List<Sample> samples = sampler.stop();
				Map<String, Object> mine = figures(n, sendSeconds, sentLate, redis, key, samples);
				mine.put("parkedPerSecondBeforeFirstEta", intake(samples, leadMillis));
				mine.put("parkedPerSecondAfterSendingBeforeFirstEta",
						intakeAfterSending(samples, sendSeconds, leadMillis));
				mine.put("rabbitmqMemoryBreakdownAfterSending", breakdown);
				mine.put("workerCommand", String.join(" ", WorkerProcess.command(options.get("--java-opts"), queue,
						logs.resolve(queue + ".port"), rabbit, redisAddress, List.of())));
				results.put("taskqueue", mine);
				print("taskqueue", mine);
				if (!complete) {
					status = 1;
				}
			}
			finally {
				worker.stop();
				redis.delete(key);
				admin.deleteQueue(queue);
				admin.deleteQueue(queue + QueueDeclarer.DLQ_SUFFIX);
				deleteBuckets(admin, firstEta, spanMillis);
			}
			if (celeryN > 0 && CeleryBench.version(python) != null) {
				Map<String, Object> celery = celery(python, celeryN, spanMillis, leadMillis, sampleSeconds, celeryQueue,
						id, logs, broker, admin, redis);
				results.put("celery", celery);
				print("celery", celery);
				admin.deleteQueue(celeryQueue);
			}
		}
		results.put("loadAverageAtEnd", Machine.loadavg());
		Files.writeString(out, JSON.writeValueAsString(results));
		System.out.printf("  results in %s%n", out);
		return status;
	}

	private static Map<String, Object> celery(String python, int n, long spanMillis, long leadMillis, int sampleSeconds,
			String queue, String id, Path logs, @Nullable ProcessHandle broker, RabbitAdmin admin,
			StringRedisTemplate redis) throws Exception {
		Path dir = Files.createTempDirectory("tq-bench-eta-");
		CeleryBench.copyResource("celery/tasks.py", dir.resolve("tasks.py"));
		CeleryBench.copyResource("celery/celery_bench.py", dir.resolve("celery_bench.py"));
		String node = "bench-eta-" + id + "@localhost";
		String key = "tq-bench-eta-" + id + ":celery-lateness";
		List<String> command = List.of(python, "-m", "celery", "-A", "tasks", "worker", "-P", "prefork", "-c", "2",
				"-Q", queue, "-n", node, "--without-mingle", "--without-gossip");
		try (ChildProcess worker = ChildProcess.start("celery worker", command, Map.of(), dir,
				logs.resolve(queue + "-worker.log"), null)) {
			helper(python, dir, "ping", "--worker", node, "--timeout", "120");
			Sampler sampler = new Sampler(worker.handle(), broker, admin, redis, key, sampleSeconds);
			long first = System.currentTimeMillis() + leadMillis;
			JsonNode sent = helper(python, dir, "eta", "--queue", queue, "--n", Integer.toString(n), "--key", key,
					"--start-ms", Long.toString(first), "--span-ms", Long.toString(spanMillis));
			double sendSeconds = sent.get("seconds").asDouble();
			System.out.printf("eta bench: Celery %,d tasks sent in %.1f s, %,d after their eta; load %s%n", n,
					sendSeconds, sent.get("late").asLong(), Machine.loadavg());
			awaitList(redis, key, n, first + spanMillis + Duration.ofMinutes(5).toMillis(), worker::isAlive);
			List<Sample> samples = sampler.stop();
			Map<String, Object> figures = figures(n, sendSeconds, sent.get("late").asLong(), redis, key, samples);
			figures.put("workerCommand", String.join(" ", command));
			figures.put("rssNote", "main process + pool, summed");
			return figures;
		}
		finally {
			redis.delete(key);
		}
	}

	/**
	 * The eta slot of each task in the order sent: in eta order, or shuffled (a fixed
	 * seed, so runs compare).
	 */
	private static long[] slots(int n, boolean shuffle) {
		long[] slots = new long[n];
		for (int i = 0; i < n; i++) {
			slots[i] = i;
		}
		if (shuffle) {
			java.util.Random random = new java.util.Random(42);
			for (int i = n - 1; i > 0; i--) {
				int j = random.nextInt(i + 1);
				long slot = slots[i];
				slots[i] = slots[j];
				slots[j] = slot;
			}
		}
		return slots;
	}

	/**
	 * Delete the empty due-second buckets of the run's etas: they would delete
	 * themselves, but only once unused for their {@code x-expires}. A bucket that still
	 * holds messages (the run did not finish) is left.
	 */
	private static void deleteBuckets(RabbitAdmin admin, long firstEta, long spanMillis) {
		int deleted = 0;
		for (long second = firstEta / 1000 - 1; second <= (firstEta + spanMillis) / 1000 + 1; second++) {
			try {
				if (admin.getQueueInfo(DelayQueues.bucketName(second)) != null) {
					admin.deleteQueue(DelayQueues.bucketName(second), true, true);
					deleted++;
				}
			}
			catch (RuntimeException ex) {
				System.err.println("eta bench: bucket " + second + " not deleted: " + ex.getMessage());
			}
		}
		System.out.printf("eta bench: deleted %d empty bucket queues%n", deleted);
	}

	private static JsonNode helper(String python, Path dir, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of(python, "celery_bench.py"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).directory(dir.toFile())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		if (!process.waitFor(1, TimeUnit.HOURS) || process.exitValue() != 0) {
			throw new IllegalStateException("celery_bench.py " + args[0] + " failed: " + output);
		}
		return JsonMapper.builder().build().readTree(output.lines().reduce((a, b) -> b).orElse("{}"));
	}

	/**
	 * Wait until the list holds every task's lateness, the worker died or the deadline
	 * passed.
	 */
	private static boolean awaitList(StringRedisTemplate redis, String key, int n, long deadlineMillis,
			java.util.function.BooleanSupplier alive) throws InterruptedException {
		while (true) {
			Long size = redis.opsForList().size(key);
			if (size != null && size >= n) {
				return true;
			}
			if (!alive.getAsBoolean()) {
				System.out.printf("eta bench: the worker died with %d of %d tasks run%n", size, n);
				return false;
			}
			if (System.currentTimeMillis() > deadlineMillis) {
				System.out.printf("eta bench: %d of %d tasks ran by the deadline%n", size, n);
				return false;
			}
			Thread.sleep(1000);
		}
	}

	private static Map<String, Object> figures(int n, double sendSeconds, long sentLate, StringRedisTemplate redis,
			String key, List<Sample> samples) {
		List<Long> lateness = new ArrayList<>(n);
		Long listed = redis.opsForList().size(key);
		long size = (listed != null) ? listed : 0;
		for (long from = 0; from < size; from += 10_000) {
			List<String> chunk = redis.opsForList().range(key, from, Math.min(size, from + 10_000) - 1);
			if (chunk != null) {
				chunk.forEach((value) -> lateness.add(Long.parseLong(value)));
			}
		}
		Samples late = Samples.of(lateness);
		long onTime = lateness.stream().filter((millis) -> millis <= 1000).count();
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("tasks", n);
		figures.put("ran", lateness.size());
		figures.put("sendSeconds", Math.round(sendSeconds * 10) / 10.0);
		figures.put("sentAfterEta", sentLate);
		if (!lateness.isEmpty()) {
			figures.put("latenessMs",
					Map.of("p50", late.median(), "p99", late.percentile(99), "max", late.max(), "min", late.min()));
			figures.put("startedWithin1s", Math.round(onTime * 1000.0 / lateness.size()) / 10.0 + "%");
		}
		figures.put("workerRssMbMax", samples.stream().mapToLong(Sample::workerRss).max().orElse(-1) / 1_000_000);
		figures.put("rabbitmqRssMbMax", samples.stream().mapToLong(Sample::brokerRss).max().orElse(-1) / 1_000_000);
		figures.put("parkedMax", samples.stream().mapToLong(Sample::parked).max().orElse(-1));
		figures.put("bucketQueuesMax", samples.stream().mapToLong(Sample::buckets).max().orElse(-1));
		figures.put("samples", samples.stream()
			.map((sample) -> List.of(sample.second(), sample.workerRss() / 1_000_000, sample.brokerRss() / 1_000_000,
					sample.parked(), sample.buckets(), sample.done(), sample.load()))
			.toList());
		figures.put("samplesColumns",
				"second, worker RSS MB, RabbitMQ RSS MB, parked in delay queues, bucket queues, done, load");
		return figures;
	}

	/**
	 * The rate at which the worker parked tasks before the first eta came due: the most
	 * messages in the delay queues in a sample taken before then, over that sample's
	 * time. Nothing leaves the delay queues before the first eta, so it is the intake.
	 */
	private static long intake(List<Sample> samples, long leadMillis) {
		double best = 0;
		for (Sample sample : samples) {
			if (sample.second() > 0 && sample.second() * 1000 < leadMillis) {
				best = Math.max(best, (double) sample.parked() / sample.second());
			}
		}
		return Math.round(best);
	}

	/**
	 * The rate at which the worker parked tasks once the client had sent them all (no
	 * longer competing with the client for the broker) and before the first eta came due:
	 * the growth of the delay queues between the first and the last sample of that
	 * window, or -1 when it holds fewer than two samples.
	 */
	private static long intakeAfterSending(List<Sample> samples, double sendSeconds, long leadMillis) {
		Sample first = null;
		Sample last = null;
		for (Sample sample : samples) {
			if (sample.second() >= sendSeconds && sample.second() * 1000 < leadMillis) {
				if (first == null || sample.second() < first.second()) {
					first = sample;
				}
				if (last == null || sample.second() > last.second()) {
					last = sample;
				}
			}
		}
		if (first == null || last == null || last.second() <= first.second()) {
			return -1;
		}
		return Math.round((double) (last.parked() - first.parked()) / (last.second() - first.second()));
	}

	private static void print(String name, Map<String, Object> figures) {
		System.out.printf(
				"  %-9s ran %s of %s; lateness %s; within 1 s %s; worker RSS max %s MB; RabbitMQ RSS max %s"
						+ " MB; parked max %s (%s/s before the first eta, %s/s once all were sent); bucket queues max"
						+ " %s%n",
				name, figures.get("ran"), figures.get("tasks"), figures.get("latenessMs"),
				figures.get("startedWithin1s"), figures.get("workerRssMbMax"), figures.get("rabbitmqRssMbMax"),
				figures.get("parkedMax"), figures.getOrDefault("parkedPerSecondBeforeFirstEta", "-"),
				figures.getOrDefault("parkedPerSecondAfterSendingBeforeFirstEta", "-"), figures.get("bucketQueuesMax"));
	}

	/** RabbitMQ's own account of its memory, when rabbitmq-diagnostics can reach it. */
	private static String rabbitMemoryBreakdown() {
		try {
			Process process = new ProcessBuilder("rabbitmq-diagnostics", "-q", "memory_breakdown", "--unit", "mb")
				.redirectErrorStream(true)
				.start();
			String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			return process.waitFor(60, TimeUnit.SECONDS) ? text : "(timed out)";
		}
		catch (Exception ex) {
			return "(" + ex.getMessage() + ")";
		}
	}

	/**
	 * One sample: seconds since sampling started, the worker's RSS (with its pool), the
	 * broker's RSS, messages in the delay queues, tasks done, load average.
	 */
	private record Sample(long second, long workerRss, long brokerRss, long parked, long buckets, long done,
			String load) {

	}

	/** Samples memory every few seconds on a thread of its own. */
	private static final class Sampler {

		private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

		private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();

		Sampler(ProcessHandle worker, @Nullable ProcessHandle broker, RabbitAdmin admin, StringRedisTemplate redis,
				String key, int seconds) {
			long start = System.nanoTime();
			LongSupplier levels = () -> {
				long total = 0;
				for (int level = 0; level < DelayQueues.LEVELS; level++) {
					Properties info = admin.getQueueProperties(DelayQueues.levelName(level));
					if (info != null && info.get(RabbitAdmin.QUEUE_MESSAGE_COUNT) instanceof Number count) {
						total += count.longValue();
					}
				}
				return total;
			};
			this.executor.scheduleAtFixedRate(() -> {
				try {
					Long done = redis.opsForList().size(key);
					long[] delayQueues = delayQueues();
					long parked = (delayQueues != null) ? delayQueues[0] : levels.getAsLong();
					this.samples.add(new Sample((System.nanoTime() - start) / 1_000_000_000, Machine.rssTree(worker),
							(broker != null) ? Machine.rss(broker.pid()) : -1, parked,
							(delayQueues != null) ? delayQueues[1] : -1, (done != null) ? done : 0, Machine.loadavg()));
				}
				catch (RuntimeException ex) {
					System.err.println("eta bench: a sample failed: " + ex);
				}
			}, 0, seconds, TimeUnit.SECONDS);
		}

		/**
		 * Messages in every delay queue (cascade levels and due-second buckets) and the
		 * number of buckets, from {@code rabbitmqctl} (one call instead of a passive
		 * declaration per queue), or {@code null} when it cannot tell.
		 */
		private static long @Nullable [] delayQueues() {
			try {
				Process process = new ProcessBuilder("rabbitmqctl", "-q", "list_queues", "name", "messages",
						"--no-table-headers")
					.redirectErrorStream(true)
					.start();
				String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
					return null;
				}
				long messages = 0;
				long buckets = 0;
				for (String line : text.split("\\R")) {
					String[] columns = line.trim().split("\\s+");
					if (columns.length == 2 && columns[0].startsWith("taskqueue.delay.")) {
						messages += Long.parseLong(columns[1]);
						if (columns[0].startsWith(BUCKET_PREFIX)) {
							buckets++;
						}
					}
				}
				return new long[] { messages, buckets };
			}
			catch (Exception ex) {
				return null;
			}
		}

		List<Sample> stop() throws InterruptedException {
			this.executor.shutdown();
			this.executor.awaitTermination(30, TimeUnit.SECONDS);
			return new ArrayList<>(this.samples);
		}

	}

}
