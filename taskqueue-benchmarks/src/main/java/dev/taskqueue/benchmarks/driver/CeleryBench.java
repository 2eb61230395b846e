package dev.taskqueue.benchmarks.driver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Celery's figures on the same queue shapes: the reference app's {@code tasks.noop} on a
 * queue of its own, a prefork worker with concurrency 2 and Celery's defaults otherwise,
 * driven by the Python client ({@code celery_bench.py}) one {@code apply_async} after the
 * other, as a Celery user would. Results stored and ignored need two worker starts
 * ({@code BENCH_IGNORE_RESULT}).
 */
final class CeleryBench implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Options options;

	private final Results results;

	private final Path dir;

	private final Path logs;

	private final String queue;

	private final String worker;

	CeleryBench(Options options, Results results, String runId, Path logs) throws IOException {
		this.options = options;
		this.results = results;
		this.logs = logs;
		this.queue = "tq-bench-" + runId + "-celery";
		this.worker = "bench-" + runId + "@localhost";
		this.dir = Files.createTempDirectory("tq-bench-celery-");
		if (options.celeryApp != null) {
			Files.copy(options.celeryApp, this.dir.resolve("tasks.py"));
		}
		else {
			copyResource("celery/tasks.py", this.dir.resolve("tasks.py"));
		}
		copyResource("celery/celery_bench.py", this.dir.resolve("celery_bench.py"));
	}

	/**
	 * The Celery version the given Python can import, or {@code null}.
	 * @param python the Python executable
	 * @return the version or {@code null}
	 */
	static @Nullable String version(String python) {
		try {
			Process process = new ProcessBuilder(python, "-c", "import celery; print(celery.__version__)")
				.redirectErrorStream(true)
				.start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			return (process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0) ? out : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	static void copyResource(String name, Path target) throws IOException {
		try (InputStream in = CeleryBench.class.getClassLoader().getResourceAsStream(name)) {
			if (in == null) {
				throw new IOException("Missing resource " + name);
			}
			Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	Map<String, Object> describe() {
		Map<String, Object> info = new LinkedHashMap<>();
		info.put("queue", this.queue);
		info.put("workerCommand", String.join(" ", workerCommand()));
		info.put("producer", "celery_bench.py: one thread, noop.apply_async(queue=...) in a loop "
				+ "(Celery publishes without confirms by default)");
		return info;
	}

	private List<String> workerCommand() {
		return List.of(this.options.python, "-m", "celery", "-A", "tasks", "worker", "-P", "prefork", "-c", "2", "-Q",
				this.queue, "-n", this.worker);
	}

	void run(boolean phases, boolean drain, boolean latency) throws Exception {
		if (phases || drain || latency) {
			runWorker(false, phases, drain, latency);
		}
		if (phases || drain) {
			runWorker(true, phases, drain, false);
		}
	}

	private void runWorker(boolean ignoreResult, boolean phases, boolean drain, boolean latency) throws Exception {
		Map<String, String> env = Map.of("BENCH_IGNORE_RESULT", ignoreResult ? "1" : "0");
		String suffix = ignoreResult ? "ignored" : "results";
		try (ChildProcess process = ChildProcess.start("celery worker (" + suffix + ")", workerCommand(), env, this.dir,
				this.logs.resolve("celery-worker-" + suffix + ".log"), null)) {
			helper(env, "ping", "--worker", this.worker, "--timeout", "90");
			this.meter = CpuMeter.of("worker", process.handle(), this.options);
			Report.line("celery worker %s up (results %s)", process, ignoreResult ? "ignored" : "stored");
			if (drain && this.options.warmup > 0) {
				helper(env, "drain", "--queue", this.queue, "--worker", this.worker, "--n",
						Integer.toString(Math.min(this.options.warmup, 2000)), "--timeout",
						Long.toString(this.options.timeoutSeconds));
			}
			for (int rep = 0; rep < this.options.reps; rep++) {
				if (phases) {
					String load = Machine.loadavg();
					JsonNode out = helper(env, "drain", "--paused", "--queue", this.queue, "--worker", this.worker,
							"--n", Integer.toString(this.options.n), "--timeout",
							Long.toString(this.options.timeoutSeconds));
					double publishSeconds = out.get("publishSeconds").asDouble();
					double consumeSeconds = out.get("consumeSeconds").asDouble();
					if (!ignoreResult) {
						this.results.figure(Results.CELERY, "publish", "tasks/s")
							.add(this.options.n / publishSeconds, load,
									Map.of("seconds", publishSeconds, "n", this.options.n));
					}
					this.results.figure(Results.CELERY, "consume." + suffix, "tasks/s")
						.add(this.options.n / consumeSeconds, load, Map.of("seconds", consumeSeconds, "n",
								this.options.n, "publishSeconds", publishSeconds, "cpuMicrosPerTask", this.lastCpu));
					Report.line(
							"celery publish alone: %,.0f tasks/s (%,d in %.2f s, unconfirmed); worker alone, "
									+ "%s: %,.0f tasks/s (%.2f s); CPU us/task %s; load %s -> %s",
							this.options.n / publishSeconds, this.options.n, publishSeconds, suffix,
							this.options.n / consumeSeconds, consumeSeconds, this.lastCpu, load, Machine.loadavg());
				}
				if (drain) {
					String load = Machine.loadavg();
					JsonNode out = helper(env, "drain", "--queue", this.queue, "--worker", this.worker, "--n",
							Integer.toString(this.options.n), "--timeout", Long.toString(this.options.timeoutSeconds));
					double seconds = out.get("seconds").asDouble();
					double rate = this.options.n / seconds;
					long rss = process.rss();
					Map<String, Object> detail = new LinkedHashMap<>();
					detail.put("n", this.options.n);
					detail.put("seconds", seconds);
					detail.put("publishSeconds", out.get("publishSeconds").asDouble());
					detail.put("rssBytesMainPlusPool", rss);
					detail.put("queueDepthAfter", out.get("queueDepthAfter").asLong());
					detail.put("failures", out.get("failures").asLong());
					detail.put("cpuMicrosPerTask", this.lastCpu);
					this.results.figure(Results.CELERY, "drain." + suffix, "tasks/s").add(rate, load, detail);
					this.results.figure(Results.CELERY, "rss." + suffix, "bytes").add(rss, load, Map.of());
					Report.line(
							"celery drain.%s: %,.0f tasks/s (%,d in %.2f s; publishing took %.2f s), "
									+ "worker RSS (main + pool) %.0f MB, CPU us/task %s; load %s -> %s",
							suffix, rate, this.options.n, seconds, out.get("publishSeconds").asDouble(), rss / 1e6,
							this.lastCpu, load, Machine.loadavg());
				}
				if (latency) {
					String load = Machine.loadavg();
					JsonNode out = helper(env, "latency", "--queue", this.queue, "--n",
							Integer.toString(this.options.latencySamples), "--warmup",
							Integer.toString((rep == 0) ? this.options.latencyWarmup : 0));
					List<Double> samples = new ArrayList<>();
					out.get("samplesMillis").forEach((node) -> samples.add(node.asDouble()));
					LatencyFigures.record(this.results, Results.CELERY, samples, load);
				}
			}
		}
	}

	private @Nullable CpuMeter meter;

	private Map<String, Double> lastCpu = Map.of();

	private JsonNode helper(Map<String, String> env, String... args) throws Exception {
		Map<String, Double> before = (this.meter != null) ? this.meter.snapshot() : Map.of();
		try {
			return runHelper(env, args);
		}
		finally {
			if (this.meter != null && args[0].equals("drain")) {
				this.lastCpu = CpuMeter.perTask(before, this.meter.snapshot(), this.options.n);
			}
		}
	}

	private JsonNode runHelper(Map<String, String> env, String... args) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(this.options.python);
		command.add("celery_bench.py");
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.dir.toFile())
			.redirectError(ProcessBuilder.Redirect.appendTo(this.logs.resolve("celery-client.log").toFile()));
		builder.environment().putAll(env);
		Process process = builder.start();
		try {
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!process.waitFor(this.options.timeoutSeconds + 120, TimeUnit.SECONDS)) {
				throw new IllegalStateException("celery_bench.py " + args[0] + " did not finish");
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("celery_bench.py " + String.join(" ", args) + " failed ("
						+ process.exitValue() + "); see " + this.logs.resolve("celery-client.log"));
			}
			String last = out.lines().reduce((a, b) -> b).orElse("{}");
			return JSON.readTree(last);
		}
		finally {
			if (process.isAlive()) {
				process.destroyForcibly();
			}
		}
	}

	@Override
	public void close() {
		try (Stream<Path> files = Files.walk(this.dir)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a temp dir left behind
		}
	}

	/**
	 * Return the queues this benchmark declared (through Celery), to delete at the end.
	 * @return the queues this benchmark declared (through Celery), to delete at the end
	 */
	List<String> queues() {
		return List.of(this.queue);
	}

}
