package dev.taskqueue.benchmarks.driver;

import java.io.IOException;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.benchmarks.stats.Samples;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cold-start benchmark: N tasks wait in the queue, then a worker JVM is launched and
 * drains them. From the launch it measures the time to the first task done, the time
 * until the rate over the last second first reaches 80% of the steady rate, and the cold
 * drain's average rate; the steady rate is the same JVM draining N more tasks (queued
 * while it is paused) right after. Each repetition runs, one after the other, the worker
 * from the executable jar as built, from the jar extracted with Spring Boot's
 * {@code -Djarmode=tools extract}, and from the extracted jar with a class data sharing
 * archive made by a training run: Spring Boot's recipe
 * ({@code -XX:ArchiveClassesAtExit -Dspring.context.exit=onRefresh}), and one trained on
 * a drain of a few thousand tasks, stopped with {@code SIGTERM}; then the context Spring
 * AOT prepared at build time ({@code -Dspring.aot.enabled=true}, the jar's
 * {@code process-aot} output) from the extracted jar, without and with an archive from
 * Spring Boot's training run made in AOT mode too. <pre>
 * java -jar taskqueue-benchmarks.jar cold-start [--n 20000] [--reps 2]
 * </pre>
 */
public final class ColdStartBench {

	static final String USAGE = """
			usage: java -jar taskqueue-benchmarks-*.jar cold-start [options]
			  --n N              tasks drained cold, then warm (default 20000)
			  --reps R           repetitions of every variant (default 2)
			  --java-opts OPTS   JVM options of the worker (default -Xmx128m)
			  --rabbit HOST:PORT RabbitMQ (default 127.0.0.1:5672, guest/guest)
			  --redis HOST:PORT  Redis (default 127.0.0.1:6379)
			  --out FILE         JSON results (default bench-results/cold-start-<timestamp>.json)
			""";

	/**
	 * Run the context Spring AOT prepared at build time (the module's {@code process-aot}
	 * execution).
	 */
	private static final String AOT = "-Dspring.aot.enabled=true";

	private ColdStartBench() {
	}

	/**
	 * Run the benchmark.
	 * @param args the options
	 * @return the exit status
	 * @throws Exception if it cannot run
	 */
	public static int run(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		options.put("--n", "20000");
		options.put("--reps", "2");
		options.put("--java-opts", "-Xmx128m");
		options.put("--rabbit", "127.0.0.1:5672");
		options.put("--redis", "127.0.0.1:6379");
		if (!WorkerProcess.parse(args, options, List.of())) {
			System.err.println(USAGE);
			return 2;
		}
		int n = Integer.parseInt(options.get("--n"));
		int reps = Integer.parseInt(options.get("--reps"));
		String javaOpts = options.get("--java-opts");
		String rabbit = options.get("--rabbit");
		String redis = options.get("--redis");
		String id = UUID.randomUUID().toString().substring(0, 8);
		String queue = "tq-bench-cold-" + id;
		String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
		Path out = Path.of(options.getOrDefault("--out", "bench-results/cold-start-" + stamp + ".json"))
			.toAbsolutePath();
		Path logs = out.getParent();
		Files.createDirectories(logs);
		Path jar = Path.of(System.getProperty("java.class.path"));
		if (!jar.toString().endsWith(".jar")) {
			System.err.println("cold-start bench: run it from the executable jar (java -jar ...)");
			return 2;
		}
		Path work = Files.createTempDirectory("tq-bench-cold-");
		Path extracted = extract(jar, work.resolve("extracted"), logs);
		Path portFile = logs.resolve(queue + ".port");
		List<String> base = WorkerProcess.command(javaOpts, queue, portFile, rabbit, redis, List.of());
		Path refreshArchive = work.resolve("on-refresh.jsa");
		Path trainedArchive = work.resolve("trained.jsa");
		Path aotArchive = work.resolve("aot-on-refresh.jsa");
		Map<String, List<String>> variants = new LinkedHashMap<>();
		variants.put("executable jar", base);
		variants.put("extracted jar", withJar(base, extracted, List.of()));
		variants.put("extracted + CDS (onRefresh training)",
				withJar(base, extracted, List.of("-XX:SharedArchiveFile=" + refreshArchive)));
		variants.put("extracted + CDS (trained on a drain)",
				withJar(base, extracted, List.of("-XX:SharedArchiveFile=" + trainedArchive)));
		variants.put("extracted + AOT", withJar(base, extracted, List.of(AOT)));
		variants.put("extracted + AOT + CDS (onRefresh training)",
				withJar(base, extracted, List.of(AOT, "-XX:SharedArchiveFile=" + aotArchive)));
		Map<String, List<Run>> runs = new LinkedHashMap<>();
		List<String> loads = new ArrayList<>();
		try (ConfigurableApplicationContext context = WorkerProcess.driver(rabbit, redis)) {
			TaskClient client = context.getBean(TaskClient.class);
			RabbitAdmin admin = new RabbitAdmin(context.getBean(ConnectionFactory.class));
			admin.declareQueue(new Queue(queue, true, false, false));
			try {
				train(withJar(base, extracted,
						List.of("-XX:ArchiveClassesAtExit=" + refreshArchive, "-Dspring.context.exit=onRefresh")),
						logs.resolve(queue + "-training-refresh.log"));
				train(withJar(base, extracted,
						List.of(AOT, "-XX:ArchiveClassesAtExit=" + aotArchive, "-Dspring.context.exit=onRefresh")),
						logs.resolve(queue + "-training-aot-refresh.log"));
				fill(client, queue, 2000);
				try (ChildProcess training = ChildProcess.start("training worker",
						withJar(base, extracted, List.of("-XX:ArchiveClassesAtExit=" + trainedArchive)), Map.of(),
						Path.of("."), logs.resolve(queue + "-training-drain.log"), portFile)) {
					training.awaitReady(Duration.ofSeconds(180));
					awaitCount(training, 2000, Duration.ofMinutes(5));
					// The archive is written as the JVM exits: on a busy machine that
					// takes
					// longer than an ordinary stop's grace period.
					training.stop(300);
				}
				if (size(trainedArchive) <= 0) {
					System.err
						.println("cold-start bench: the drain training run wrote no archive; skipping its variant");
					variants.remove("extracted + CDS (trained on a drain)");
				}
				System.out.printf("cold-start bench: archives %s (%d KB), %s (%d KB), %s (%d KB)%n",
						refreshArchive.getFileName(), size(refreshArchive) / 1024, trainedArchive.getFileName(),
						size(trainedArchive) / 1024, aotArchive.getFileName(), size(aotArchive) / 1024);
				for (int rep = 0; rep < reps; rep++) {
					for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
						loads.add(Machine.loadavg());
						Run run = coldRun(client, admin, queue, n, variant.getValue(), portFile,
								logs.resolve(queue + "-cold.log"));
						runs.computeIfAbsent(variant.getKey(), (key) -> new ArrayList<>()).add(run);
						System.out.printf("cold-start bench: %-44s %s; load %s%n", variant.getKey(), run,
								Machine.loadavg());
					}
				}
			}
			finally {
				admin.deleteQueue(queue);
			}
		}
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("n", n);
		results.put("reps", reps);
		results.put("cores", Runtime.getRuntime().availableProcessors());
		results.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		results.put("workerJavaOpts", javaOpts);
		results.put("loadAverages", loads);
		Map<String, Object> figures = new LinkedHashMap<>();
		System.out.printf("cold-start bench: %,d tasks, medians of %d%n", n, reps);
		runs.forEach((variant, list) -> {
			Map<String, Object> medians = new LinkedHashMap<>();
			medians.put("launchToContextReadyMs", median(list, Run::readyMillis));
			medians.put("launchToFirstTaskMs", median(list, Run::firstTaskMillis));
			medians.put("launchTo80PercentOfSteadyMs", median(list, Run::to80Millis));
			medians.put("coldRatePerSecond", median(list, Run::coldRate));
			medians.put("steadyRatePerSecond", median(list, Run::steadyRate));
			medians.put("coldToSteady",
					Math.round(median(list, (run) -> run.coldRate() / run.steadyRate()) * 100) / 100.0);
			medians.put("runs", list.stream().map(Run::toString).toList());
			figures.put(variant, medians);
			System.out.printf(
					"  %-44s ready %5.0f ms, first task %5.0f ms, 80%% of steady %6.0f ms, cold %,6.0f/s,"
							+ " steady %,6.0f/s (%.2f)%n",
					variant, medians.get("launchToContextReadyMs"), medians.get("launchToFirstTaskMs"),
					medians.get("launchTo80PercentOfSteadyMs"), medians.get("coldRatePerSecond"),
					medians.get("steadyRatePerSecond"), medians.get("coldToSteady"));
		});
		results.put("figures", figures);
		Files.writeString(out,
				JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(results));
		System.out.printf("  results in %s%n", out);
		return 0;
	}

	private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> value) {
		return Samples.of(runs.stream().mapToDouble(value).toArray()).median();
	}

	private static long size(Path file) throws IOException {
		return Files.exists(file) ? Files.size(file) : -1;
	}

	/** Spring Boot's {@code java -Djarmode=tools -jar app.jar extract}. */
	private static Path extract(Path jar, Path destination, Path logs) throws Exception {
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", destination.toString());
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(logs.resolve("cold-start-extract.log").toFile())
			.start();
		if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
			throw new IllegalStateException(
					String.join(" ", command) + " failed; see " + logs.resolve("cold-start-extract.log") + ": "
							+ Files.readString(logs.resolve("cold-start-extract.log"), StandardCharsets.UTF_8));
		}
		return destination.resolve(jar.getFileName());
	}

	/** The same worker command, run from another jar with more JVM options. */
	private static List<String> withJar(List<String> command, Path jar, List<String> javaOpts) {
		List<String> result = new ArrayList<>(command);
		int at = result.indexOf("-jar");
		result.set(at + 1, jar.toString());
		result.addAll(at, javaOpts);
		return result;
	}

	private static void train(List<String> command, Path log) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException("The training run failed; see " + log);
		}
	}

	private static void fill(TaskClient client, String queue, int n) {
		for (int from = 0; from < n; from += 5000) {
			List<TaskRequest> requests = new ArrayList<>();
			for (int i = from; i < Math.min(n, from + 5000); i++) {
				requests.add(TaskRequest.builder(TaskqueueBench.NOOP).queue(queue).ignoreResult(true).build());
			}
			client.sendAll(requests);
		}
	}

	private static Map<String, Long> awaitCount(ChildProcess worker, long count, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		Map<String, Long> stats;
		while ((stats = worker.stats(false)).get("count") < count) {
			if (System.nanoTime() > deadline || !worker.isAlive()) {
				throw new IllegalStateException("The worker ran " + stats.get("count") + " of " + count + " tasks");
			}
			Thread.sleep(20);
		}
		return stats;
	}

	private static Run coldRun(TaskClient client, RabbitAdmin admin, String queue, int n, List<String> command,
			Path portFile, Path log) throws Exception {
		admin.purgeQueue(queue, false);
		fill(client, queue, n);
		long launch = System.currentTimeMillis();
		try (ChildProcess worker = ChildProcess.start("cold worker", command, Map.of(), Path.of("."), log, portFile)) {
			worker.awaitReady(Duration.ofSeconds(180));
			long ready = System.currentTimeMillis();
			List<long[]> points = new ArrayList<>();
			long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
			Map<String, Long> stats;
			while ((stats = worker.stats(false)).get("count") < n) {
				points.add(new long[] { System.currentTimeMillis(), stats.get("count") });
				if (System.nanoTime() > deadline || !worker.isAlive()) {
					throw new IllegalStateException("The cold worker ran " + stats.get("count") + " of " + n);
				}
				Thread.sleep(50);
			}
			points.add(new long[] { stats.get("lastMillis"), stats.get("count") });
			long first = stats.get("firstMillis");
			double coldRate = n * 1000.0 / Math.max(1, stats.get("lastMillis") - first);
			// The warm rate: the same JVM on N more tasks, queued while it is paused.
			worker.pause();
			fill(client, queue, n);
			long resumed = System.currentTimeMillis();
			worker.resume();
			Map<String, Long> warm = awaitCount(worker, 2L * n, Duration.ofMinutes(10));
			double steadyRate = n * 1000.0 / Math.max(1, warm.get("lastMillis") - resumed);
			long to80 = -1;
			for (int i = 0, j = 0; i < points.size(); i++) {
				while (points.get(i)[0] - points.get(j)[0] > 1000) {
					j++;
				}
				long window = points.get(i)[0] - points.get(j)[0];
				if (window >= 500 && (points.get(i)[1] - points.get(j)[1]) * 1000.0 / window >= 0.8 * steadyRate) {
					to80 = points.get(i)[0] - launch;
					break;
				}
			}
			return new Run(ready - launch, first - launch, to80, Math.round(coldRate), Math.round(steadyRate));
		}
	}

	/**
	 * One cold run, in milliseconds from the launch (-1 for never) and tasks per second.
	 */
	private record Run(long readyMillis, long firstTaskMillis, long to80Millis, double coldRate, double steadyRate) {

		@Override
		public String toString() {
			return String.format("ready %d ms, first task %d ms, 80%% of steady %d ms, cold %.0f/s, steady %.0f/s",
					this.readyMillis, this.firstTaskMillis, this.to80Millis, this.coldRate, this.steadyRate);
		}

	}

}
