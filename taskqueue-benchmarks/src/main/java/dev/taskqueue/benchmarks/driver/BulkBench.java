package dev.taskqueue.benchmarks.driver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.benchmarks.stats.Samples;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bulk-send benchmark: N tasks published from one calling thread, confirmed by the
 * broker, in tasks per second. Each repetition runs, one after the other on the same
 * machine: taskqueue's {@code TaskClient.sendAll}; the raw Spring AMQP baseline (a
 * {@link RabbitTemplate} publishing the same task-sized message N times in one
 * {@code invoke}, then {@code waitForConfirmsOrDie}); taskqueue's {@code send} one at a
 * time (for scale); and Celery's {@code group(...).apply_async()} of the same size, as
 * Celery publishes by default (no confirms) and with kombu's {@code confirm_publish}.
 * Nothing consumes: each queue is purged after each measure. <pre>
 * java -jar taskqueue-benchmarks.jar bulk [--n 10000] [--reps 3] [--no-celery] [--quorum]
 * </pre>
 */
public final class BulkBench {

	static final String USAGE = """
			usage: java -jar taskqueue-benchmarks-*.jar bulk [options]
			  --n N            tasks per bulk (default 10000)
			  --reps R         repetitions, after one warm-up (default 3)
			  --single N       tasks sent one send at a time, for scale (default 2000; 0 skips)
			  --no-celery      leave Celery out
			  --quorum         quorum queues for taskqueue and raw Spring AMQP (Celery's stays classic)
			  --python PATH    the Python that has Celery (default /usr/bin/python3)
			  --rabbit HOST:PORT  RabbitMQ (default 127.0.0.1:5672, guest/guest)
			  --redis HOST:PORT   Redis (default 127.0.0.1:6379)
			  --out FILE       JSON results (default bench-results/bulk-<timestamp>.json)
			""";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private BulkBench() {
	}

	/**
	 * Run the benchmark.
	 * @param args the options
	 * @return the exit status
	 * @throws Exception if it cannot run
	 */
	public static int run(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>(Map.of("--n", "10000", "--reps", "3", "--single", "2000",
				"--python", "/usr/bin/python3", "--rabbit", "127.0.0.1:5672", "--redis", "127.0.0.1:6379"));
		boolean celery = true;
		boolean quorum = false;
		for (int i = 0; i < args.length; i++) {
			if ("--no-celery".equals(args[i])) {
				celery = false;
			}
			else if ("--quorum".equals(args[i])) {
				quorum = true;
			}
			else if ((options.containsKey(args[i]) || "--out".equals(args[i])) && i + 1 < args.length) {
				options.put(args[i], args[++i]);
			}
			else {
				System.err.println(USAGE);
				return 2;
			}
		}
		int n = Integer.parseInt(options.get("--n"));
		int reps = Integer.parseInt(options.get("--reps"));
		int single = Integer.parseInt(options.get("--single"));
		String python = options.get("--python");
		String[] rabbitAddress = options.get("--rabbit").split(":");
		String[] redisAddress = options.get("--redis").split(":");
		String id = UUID.randomUUID().toString().substring(0, 8);
		String queue = "tq-bench-bulk-" + id;
		String rawQueue = queue + "-raw";
		String celeryQueue = queue + "-celery";
		String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
		Path out = Path.of(options.getOrDefault("--out", "bench-results/bulk-" + stamp + ".json"));
		Files.createDirectories(out.toAbsolutePath().getParent());
		if (celery && CeleryBench.version(python) == null) {
			System.out.println("bulk bench: " + python + " cannot import celery; Celery is left out");
			celery = false;
		}
		Path celeryDir = null;
		if (celery) {
			celeryDir = Files.createTempDirectory("tq-bench-bulk-");
			CeleryBench.copyResource("celery/tasks.py", celeryDir.resolve("tasks.py"));
			CeleryBench.copyResource("celery/celery_bench.py", celeryDir.resolve("celery_bench.py"));
		}
		Properties props = new Properties();
		props.put("spring.rabbitmq.host", rabbitAddress[0]);
		props.put("spring.rabbitmq.port", rabbitAddress[1]);
		props.put("spring.data.redis.host", redisAddress[0]);
		props.put("spring.data.redis.port", redisAddress[1]);
		props.put("taskqueue.worker.enabled", "false");
		props.put("taskqueue.default-queue", queue);
		if (quorum) {
			props.put("taskqueue.default-queue-type", "quorum");
		}
		props.put("spring.main.banner-mode", "off");
		props.put("logging.level.root", "WARN");
		CachingConnectionFactory rawFactory = new CachingConnectionFactory(rabbitAddress[0],
				Integer.parseInt(rabbitAddress[1]));
		rawFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.SIMPLE);
		RabbitTemplate template = new RabbitTemplate(rawFactory);
		template.setMandatory(true);
		RabbitAdmin admin = new RabbitAdmin(rawFactory);
		Message message = RawBench.taskSizedMessage();
		Map<String, List<Double>> rates = new LinkedHashMap<>();
		List<String> loads = new ArrayList<>();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DriverApplication.class)
			.web(WebApplicationType.NONE)
			.properties(props)
			.logStartupInfo(false)
			.run()) {
			TaskClient client = context.getBean(TaskClient.class);
			Map<String, Object> arguments = quorum ? Map.of("x-queue-type", "quorum") : Map.of();
			admin.declareQueue(new Queue(queue, true, false, false, arguments));
			admin.declareQueue(new Queue(rawQueue, true, false, false, arguments));
			admin.declareQueue(new Queue(celeryQueue, true, false, false));
			// Warm-up: the JIT, the channels and the queues.
			client.sendAll(requests(n));
			raw(template, rawQueue, message, n);
			admin.purgeQueue(queue, false);
			admin.purgeQueue(rawQueue, false);
			for (int rep = 0; rep <= reps; rep++) {
				boolean warmup = rep == 0;
				if (!warmup) {
					loads.add(Machine.loadavg());
				}
				List<TaskRequest> requests = requests(n);
				long start = System.nanoTime();
				client.sendAll(requests);
				record(rates, "taskqueue sendAll", warmup, n, start);
				checkDepth(admin, queue, n);
				start = System.nanoTime();
				raw(template, rawQueue, message, n);
				record(rates, "raw Spring AMQP (one invoke, waitForConfirms)", warmup, n, start);
				checkDepth(admin, rawQueue, n);
				if (single > 0) {
					List<TaskRequest> one = requests(single);
					start = System.nanoTime();
					for (TaskRequest request : one) {
						client.send(request);
					}
					record(rates, "taskqueue send, one at a time (n=" + single + ")", warmup, single, start);
					admin.purgeQueue(queue, false);
				}
				if (celery && !warmup) {
					celery(python, celeryDir, celeryQueue, n, false, rates);
					celery(python, celeryDir, celeryQueue, n, true, rates);
				}
			}
		}
		finally {
			admin.deleteQueue(queue);
			admin.deleteQueue(rawQueue);
			admin.deleteQueue(celeryQueue);
			rawFactory.destroy();
		}
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("n", n);
		results.put("rabbit", options.get("--rabbit"));
		results.put("queueType", quorum ? "quorum" : "classic");
		results.put("reps", reps);
		results.put("loadavg", loads);
		results.put("cores", Runtime.getRuntime().availableProcessors());
		Map<String, Object> figures = new LinkedHashMap<>();
		System.out.printf(
				"bulk bench: %d tasks per bulk from one thread, %d repetitions, %s queues on %s, load average %s%n", n,
				reps, quorum ? "quorum" : "classic", options.get("--rabbit"), loads);
		List<Double> mine = rates.get("taskqueue sendAll");
		List<Double> raw = rates.get("raw Spring AMQP (one invoke, waitForConfirms)");
		rates.forEach((mode, values) -> {
			Samples samples = Samples.of(values);
			figures.put(mode, Map.of("tasksPerSecond", values, "median", Math.round(samples.median())));
			System.out.printf("  %-58s median %,8.0f tasks/s  %s%n", mode, samples.median(),
					values.stream().map((value) -> String.format("%,.0f", value)).toList());
		});
		List<Double> ratios = new ArrayList<>();
		for (int i = 0; i < mine.size(); i++) {
			ratios.add(Math.round(mine.get(i) / raw.get(i) * 100) / 100.0);
		}
		results.put("tasksPerSecond", figures);
		results.put("sendAllToRawRatioPerRep", ratios);
		System.out.printf("  taskqueue sendAll / raw Spring AMQP, per repetition: %s%n  results in %s%n", ratios, out);
		Files.writeString(out,
				JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(results));
		return 0;
	}

	private static List<TaskRequest> requests(int n) {
		List<TaskRequest> requests = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			requests.add(TaskRequest.builder(TaskqueueBench.NOOP).ignoreResult(true).build());
		}
		return requests;
	}

	private static void raw(RabbitTemplate template, String queue, Message message, int n) {
		template.invoke((ops) -> {
			for (int i = 0; i < n; i++) {
				ops.send("", queue, message);
			}
			ops.waitForConfirmsOrDie(60_000);
			return null;
		});
	}

	private static void record(Map<String, List<Double>> rates, String mode, boolean warmup, int n, long start) {
		double seconds = (System.nanoTime() - start) / 1e9;
		if (!warmup) {
			rates.computeIfAbsent(mode, (key) -> new ArrayList<>()).add(n / seconds);
		}
	}

	private static void checkDepth(RabbitAdmin admin, String queue, int n) {
		Properties info = admin.getQueueProperties(queue);
		Object depth = (info != null) ? info.get(RabbitAdmin.QUEUE_MESSAGE_COUNT) : null;
		if (!(depth instanceof Number count) || count.intValue() != n) {
			throw new IllegalStateException("Queue " + queue + " holds " + depth + " messages, not " + n);
		}
		admin.purgeQueue(queue, false);
	}

	private static void celery(String python, Path dir, String queue, int n, boolean confirms,
			Map<String, List<Double>> rates) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(python, "celery_bench.py", "bulk", "--queue", queue, "--n",
				Integer.toString(n))
			.directory(dir.toFile())
			.redirectError(ProcessBuilder.Redirect.DISCARD);
		builder.environment().put("BENCH_IGNORE_RESULT", "1");
		builder.environment().put("BENCH_CONFIRM_PUBLISH", confirms ? "1" : "0");
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException("celery_bench.py bulk failed: " + output);
		}
		JsonNode result = JSON.readTree(output.lines().reduce((a, b) -> b).orElse("{}"));
		rates
			.computeIfAbsent("Celery group(...).apply_async()" + (confirms ? ", confirm_publish" : ", no confirms"),
					(key) -> new ArrayList<>())
			.add(n / result.get("seconds").asDouble());
	}

}
