package dev.taskqueue.benchmarks.driver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskResult;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The large-chord benchmark: a chord of N {@code add} tasks whose body sums their
 * results, run by a taskqueue worker JVM, then by a Celery prefork worker (concurrency 2,
 * as the worker JVM's two consumers on this machine). For each: the time from sending to
 * the body's result, whether the body ran exactly once (it counts its runs in a Redis
 * key, read again after a pause) and got the right sum, and Redis's {@code used_memory}
 * before, at its peak while the chord ran (sampled every 100 ms) and after it (the header
 * results are still stored then; they are deleted afterwards). Redis is shared with
 * whatever else runs here: the peak is an upper bound. <pre>
 * java -jar taskqueue-benchmarks.jar chord [--n 10000] [--reps 1]
 * </pre>
 */
public final class ChordBench {

	static final String USAGE = """
			usage: java -jar taskqueue-benchmarks-*.jar chord [options]
			  --n N              header tasks (default 10000)
			  --reps R           chords of each kind, one after the other (default 1)
			  --no-celery        leave Celery out
			  --java-opts OPTS   JVM options of the worker (default -Xmx128m)
			  --python PATH      the Python that has Celery (default /usr/bin/python3)
			  --rabbit HOST:PORT RabbitMQ (default 127.0.0.1:5672, guest/guest)
			  --redis HOST:PORT  Redis (default 127.0.0.1:6379)
			  --out FILE         JSON results (default bench-results/chord-<timestamp>.json)
			""";

	private ChordBench() {
	}

	/**
	 * Run the benchmark.
	 * @param args the options
	 * @return the exit status: 0 if every chord's body ran once with the right sum
	 * @throws Exception if it cannot run
	 */
	public static int run(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		options.put("--n", "10000");
		options.put("--reps", "1");
		options.put("--java-opts", "-Xmx128m");
		options.put("--python", "/usr/bin/python3");
		options.put("--rabbit", "127.0.0.1:5672");
		options.put("--redis", "127.0.0.1:6379");
		if (!WorkerProcess.parse(args, options, List.of("--no-celery"))) {
			System.err.println(USAGE);
			return 2;
		}
		int n = Integer.parseInt(options.get("--n"));
		int reps = Integer.parseInt(options.get("--reps"));
		String rabbit = options.get("--rabbit");
		String redisAddress = options.get("--redis");
		String python = options.get("--python");
		boolean celery = !options.containsKey("--no-celery") && CeleryBench.version(python) != null;
		String id = UUID.randomUUID().toString().substring(0, 8);
		String queue = "tq-bench-chord-" + id;
		String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
		Path out = Path.of(options.getOrDefault("--out", "bench-results/chord-" + stamp + ".json")).toAbsolutePath();
		Path logs = out.getParent();
		Files.createDirectories(logs);
		long expectedSum = 2L * n * (n - 1) / 2;
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("n", n);
		results.put("cores", Runtime.getRuntime().availableProcessors());
		List<Map<String, Object>> mine = new ArrayList<>();
		List<Map<String, Object>> theirs = new ArrayList<>();
		boolean ok = true;
		try (ConfigurableApplicationContext context = WorkerProcess.driver(rabbit, redisAddress)) {
			TaskClient client = context.getBean(TaskClient.class);
			RedisConnectionFactory redisFactory = context.getBean(RedisConnectionFactory.class);
			StringRedisTemplate redis = new StringRedisTemplate(redisFactory);
			RabbitAdmin admin = new RabbitAdmin(context.getBean(ConnectionFactory.class));
			admin.declareQueue(new Queue(queue, true, false, false));
			try (ChildProcess worker = WorkerProcess.start(options.get("--java-opts"), queue, logs, rabbit,
					redisAddress)) {
				// A small chord first: the JIT and the connections, as a running worker
				// has them.
				runJava(client, redis, redisFactory, queue, 100, id + "-warmup");
				for (int rep = 0; rep < reps; rep++) {
					Map<String, Object> figures = runJava(client, redis, redisFactory, queue, n, id + "-" + rep);
					ok &= figures.get("bodyRuns").equals(1L) && figures.get("sum").equals(expectedSum);
					mine.add(figures);
					System.out.printf("chord bench: taskqueue %s%n", figures);
				}
			}
			finally {
				admin.deleteQueue(queue);
			}
			if (celery) {
				String celeryQueue = queue + "-celery";
				Path dir = Files.createTempDirectory("tq-bench-chord-");
				CeleryBench.copyResource("celery/tasks.py", dir.resolve("tasks.py"));
				CeleryBench.copyResource("celery/celery_bench.py", dir.resolve("celery_bench.py"));
				String node = "bench-chord-" + id + "@localhost";
				List<String> command = List.of(python, "-m", "celery", "-A", "tasks", "worker", "-P", "prefork", "-c",
						"2", "-Q", celeryQueue, "-n", node, "--without-mingle", "--without-gossip");
				try (ChildProcess worker = ChildProcess.start("celery worker", command, Map.of(), dir,
						logs.resolve(celeryQueue + "-worker.log"), null)) {
					helper(python, dir, "ping", "--worker", node, "--timeout", "120");
					runCelery(python, dir, redis, redisFactory, celeryQueue, 100, id + "-cwarmup");
					for (int rep = 0; rep < reps; rep++) {
						Map<String, Object> figures = runCelery(python, dir, redis, redisFactory, celeryQueue, n,
								id + "-c" + rep);
						theirs.add(figures);
						System.out.printf("chord bench: Celery %s%n", figures);
					}
				}
				finally {
					admin.deleteQueue(celeryQueue);
				}
			}
		}
		results.put("taskqueue", mine);
		results.put("celery", theirs);
		Files.writeString(out,
				JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(results));
		System.out.printf("  results in %s%n", out);
		return ok ? 0 : 1;
	}

	private static Map<String, Object> runJava(TaskClient client, StringRedisTemplate redis,
			RedisConnectionFactory factory, String queue, int n, String run) throws Exception {
		String key = "tq-bench-chord-" + run + ":body-runs";
		List<Signature> header = new ArrayList<>(n);
		List<String> ids = new ArrayList<>(n + 1);
		for (int i = 0; i < n; i++) {
			String taskId = UUID.randomUUID().toString();
			ids.add(taskId);
			header.add(Signature.of("bench.add", i, i).withTaskId(taskId));
		}
		String load = Machine.loadavg();
		try (MemoryPeak peak = new MemoryPeak(factory)) {
			long start = System.nanoTime();
			TaskResult body = client.chord(header, Signature.of("bench.chord-body", key)).queue(queue).send();
			double sendSeconds = (System.nanoTime() - start) / 1e9;
			Object value = body.get(Duration.ofMinutes(30));
			double seconds = (System.nanoTime() - start) / 1e9;
			ids.add(body.getId());
			return figures(redis, key, ids, peak, seconds, sendSeconds, ((Number) value).longValue(), load);
		}
	}

	private static Map<String, Object> runCelery(String python, Path dir, StringRedisTemplate redis,
			RedisConnectionFactory factory, String queue, int n, String run) throws Exception {
		String key = "tq-bench-chord-" + run + ":body-runs";
		String load = Machine.loadavg();
		try (MemoryPeak peak = new MemoryPeak(factory)) {
			JsonNode result = helper(python, dir, "chord", "--queue", queue, "--n", Integer.toString(n), "--key", key,
					"--timeout", "1800");
			List<String> ids = new ArrayList<>();
			result.get("ids").forEach((node) -> ids.add(node.asString()));
			return figures(redis, key, ids, peak, result.get("seconds").asDouble(),
					result.get("sendSeconds").asDouble(), result.get("value").asLong(), load);
		}
	}

	private static Map<String, Object> figures(StringRedisTemplate redis, String key, List<String> resultIds,
			MemoryPeak peak, double seconds, double sendSeconds, long sum, String load) throws InterruptedException {
		long after = peak.usedMemory();
		// A second run of the body would come within moments of the first.
		Thread.sleep(3000);
		String runs = redis.opsForValue().get(key);
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("seconds", Math.round(seconds * 100) / 100.0);
		figures.put("sendSeconds", Math.round(sendSeconds * 100) / 100.0);
		figures.put("bodyRuns", (runs != null) ? Long.parseLong(runs) : 0L);
		figures.put("sum", sum);
		figures.put("redisUsedMemoryMbBefore", mb(peak.before()));
		figures.put("redisUsedMemoryMbPeak", mb(peak.max()));
		figures.put("redisUsedMemoryMbAfterWithResults", mb(after));
		figures.put("redisPeakIncreaseMb", mb(peak.max() - peak.before()));
		figures.put("loadAverage", load + " -> " + Machine.loadavg());
		redis.delete(key);
		for (int from = 0; from < resultIds.size(); from += 1000) {
			redis.unlink(resultIds.subList(from, Math.min(resultIds.size(), from + 1000))
				.stream()
				.map((id) -> ResultWatcher.PREFIX + id)
				.toList());
		}
		return figures;
	}

	private static double mb(long bytes) {
		return Math.round(bytes / 1e5) / 10.0;
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

	/** Redis's {@code used_memory}, sampled every 100 ms on a thread of its own. */
	private static final class MemoryPeak implements AutoCloseable {

		private final RedisConnectionFactory factory;

		private final long before;

		private final AtomicLong max = new AtomicLong();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final Thread thread;

		MemoryPeak(RedisConnectionFactory factory) {
			this.factory = factory;
			this.before = usedMemory();
			this.max.set(this.before);
			this.thread = new Thread(() -> {
				while (this.running.get()) {
					this.max.accumulateAndGet(usedMemory(), Math::max);
					try {
						Thread.sleep(100);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}, "redis-memory");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		long usedMemory() {
			try (RedisConnection connection = this.factory.getConnection()) {
				Properties info = connection.serverCommands().info("memory");
				return Long.parseLong(String.valueOf(info.getProperty("used_memory", "0")).trim());
			}
		}

		long before() {
			return this.before;
		}

		long max() {
			return this.max.get();
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			this.thread.join(1000);
		}

	}

}
