package dev.taskqueue.benchmarks.driver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.benchmarks.stats.Samples;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
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
 * {@code invoke}, then {@code waitForConfirmsOrDie}); the same raw pipeline spread
 * round-robin over several channels, on one connection or on two, still from the one
 * calling thread, which tells whether the single-channel figure is the broker's ceiling
 * or only one channel's; taskqueue's {@code send} one at a time (for scale); and Celery's
 * {@code group(...).apply_async()} of the same size, as Celery publishes by default (no
 * confirms) and with kombu's {@code confirm_publish}. Nothing consumes: each queue is
 * purged after each measure. <pre>
 * java -jar taskqueue-benchmarks.jar bulk [--n 10000] [--reps 3] [--no-celery] [--quorum]
 * </pre>
 */
public final class BulkBench {

	static final String USAGE = """
			usage: java -jar taskqueue-benchmarks-*.jar bulk [options]
			  --n N            tasks per bulk (default 10000)
			  --reps R         repetitions, after one warm-up (default 3)
			  --single N       tasks sent one send at a time, for scale (default 2000; 0 skips)
			  --channels K,..  channel counts for the spread raw variants (default 1,2,4;
			                   0 leaves them out); each on one connection, 2 and more also on two
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
		Map<String, String> options = new LinkedHashMap<>(
				Map.of("--n", "10000", "--reps", "3", "--single", "2000", "--python", "/usr/bin/python3", "--rabbit",
						"127.0.0.1:5672", "--redis", "127.0.0.1:6379", "--channels", "1,2,4"));
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
		List<Integer> channelCounts = new ArrayList<>();
		for (String each : options.get("--channels").split(",")) {
			int count = Integer.parseInt(each.trim());
			if (count > 0) {
				channelCounts.add(count);
			}
		}
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
		AMQP.BasicProperties nativeProperties = new DefaultMessagePropertiesConverter()
			.fromMessageProperties(message.getMessageProperties(), StandardCharsets.UTF_8.name());
		Map<String, List<Double>> rates = new LinkedHashMap<>();
		List<String> loads = new ArrayList<>();
		List<SpreadPublisher> spreads = new ArrayList<>();
		Map<String, List<Map<String, Double>>> cpu = new LinkedHashMap<>();
		Map<String, String> sizes = new LinkedHashMap<>();
		CpuMeter meter = CpuMeter.ofDriverAndBroker(Integer.parseInt(rabbitAddress[1]));
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
			for (int channels : channelCounts) {
				spreads.add(new SpreadPublisher(rawFactory.getRabbitConnectionFactory(), 1, channels));
				if (channels >= 2) {
					spreads.add(new SpreadPublisher(rawFactory.getRabbitConnectionFactory(), 2, channels));
				}
			}
			for (SpreadPublisher spread : spreads) {
				spread.publish(rawQueue, nativeProperties, message.getBody(), n);
			}
			// What the broker stores per task, sendAll's beside the raw one's.
			sizes.put("taskqueue sendAll", describe(template.receive(queue)));
			sizes.put("raw", describe(template.receive(rawQueue)));
			sizes.put("raw spread delivery mode", String.valueOf(nativeProperties.getDeliveryMode()));
			admin.purgeQueue(queue, false);
			admin.purgeQueue(rawQueue, false);
			for (int rep = 0; rep <= reps; rep++) {
				boolean warmup = rep == 0;
				if (!warmup) {
					loads.add(Machine.loadavg());
				}
				List<TaskRequest> requests = requests(n);
				Map<String, Double> cpuBefore = meter.snapshot();
				long start = System.nanoTime();
				client.sendAll(requests);
				record(rates, cpu, meter, cpuBefore, "taskqueue sendAll", warmup, n, start);
				checkDepth(admin, queue, n);
				cpuBefore = meter.snapshot();
				start = System.nanoTime();
				raw(template, rawQueue, message, n);
				record(rates, cpu, meter, cpuBefore, "raw Spring AMQP (one invoke, waitForConfirms)", warmup, n, start);
				checkDepth(admin, rawQueue, n);
				// Rotated each repetition, so that none is always measured first or last.
				List<SpreadPublisher> rotated = new ArrayList<>(spreads);
				Collections.rotate(rotated, rep);
				for (SpreadPublisher spread : rotated) {
					cpuBefore = meter.snapshot();
					start = System.nanoTime();
					spread.publish(rawQueue, nativeProperties, message.getBody(), n);
					record(rates, cpu, meter, cpuBefore, spread.describe(), warmup, n, start);
					checkDepth(admin, rawQueue, n);
				}
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
			for (SpreadPublisher spread : spreads) {
				spread.close();
			}
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
			Map<String, Object> figure = new LinkedHashMap<>();
			figure.put("tasksPerSecond", values);
			figure.put("median", Math.round(samples.median()));
			String cpuLine = "";
			List<Map<String, Double>> used = cpu.get(mode);
			if (used != null) {
				figure.put("cpuMicrosPerTask", used);
				Map<String, Double> medians = new LinkedHashMap<>();
				used.get(0)
					.keySet()
					.forEach((process) -> medians.put(process,
							Samples.of(used.stream().map((each) -> each.get(process)).toList()).median()));
				figure.put("cpuMicrosPerTaskMedian", medians);
				cpuLine = "  CPU us/task " + medians;
			}
			figures.put(mode, figure);
			System.out.printf("  %-58s median %,8.0f tasks/s  %s%s%n", mode, samples.median(),
					values.stream().map((value) -> String.format("%,.0f", value)).toList(), cpuLine);
		});
		List<Double> ratios = new ArrayList<>();
		for (int i = 0; i < mine.size(); i++) {
			ratios.add(Math.round(mine.get(i) / raw.get(i) * 100) / 100.0);
		}
		results.put("messages", sizes);
		System.out.printf("  messages: %s%n", sizes);
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

	/**
	 * The raw pipeline spread over several confirm channels, on one or more connections
	 * of its own: one thread publishes the messages round-robin, then waits for every
	 * channel's confirms.
	 */
	private static final class SpreadPublisher implements AutoCloseable {

		private final List<com.rabbitmq.client.Connection> connections = new ArrayList<>();

		private final List<Channel> channels = new ArrayList<>();

		SpreadPublisher(ConnectionFactory factory, int connections, int channels) throws Exception {
			for (int i = 0; i < connections; i++) {
				this.connections.add(factory.newConnection("tq-bench-bulk-spread"));
			}
			for (int i = 0; i < channels; i++) {
				Channel channel = this.connections.get(i % connections).createChannel();
				channel.confirmSelect();
				this.channels.add(channel);
			}
		}

		void publish(String queue, AMQP.BasicProperties properties, byte[] body, int n) throws Exception {
			int count = this.channels.size();
			for (int i = 0; i < n; i++) {
				// Mandatory, as the template publishes.
				this.channels.get(i % count).basicPublish("", queue, true, properties, body);
			}
			for (Channel channel : this.channels) {
				channel.waitForConfirmsOrDie(60_000);
			}
		}

		String describe() {
			int connections = this.connections.size();
			return "raw, " + this.channels.size() + " channel" + ((this.channels.size() > 1) ? "s" : "") + " on "
					+ connections + " connection" + ((connections > 1) ? "s" : "") + " (round-robin)";
		}

		@Override
		public void close() {
			for (com.rabbitmq.client.Connection connection : this.connections) {
				try {
					connection.close();
				}
				catch (Exception ex) {
					// Done with it either way.
				}
			}
		}

	}

	private static void record(Map<String, List<Double>> rates, String mode, boolean warmup, int n, long start) {
		double seconds = (System.nanoTime() - start) / 1e9;
		if (!warmup) {
			rates.computeIfAbsent(mode, (key) -> new ArrayList<>()).add(n / seconds);
		}
	}

	/**
	 * Record a measure's rate and the CPU microseconds per task that the driver and the
	 * broker spent on it: on a machine whose CPUs both share, their sum bounds the rate.
	 */
	private static void record(Map<String, List<Double>> rates, Map<String, List<Map<String, Double>>> cpu,
			CpuMeter meter, Map<String, Double> cpuBefore, String mode, boolean warmup, int n, long start) {
		record(rates, mode, warmup, n, start);
		if (!warmup) {
			cpu.computeIfAbsent(mode, (key) -> new ArrayList<>()).add(CpuMeter.perTask(cpuBefore, meter.snapshot(), n));
		}
	}

	private static String describe(@Nullable Message message) {
		if (message == null) {
			return "none";
		}
		MessageProperties properties = message.getMessageProperties();
		int headerBytes = 0;
		for (Map.Entry<String, @Nullable Object> header : properties.getHeaders().entrySet()) {
			headerBytes += header.getKey().length() + String.valueOf(header.getValue()).length();
		}
		return "delivery mode " + properties.getReceivedDeliveryMode() + ", body " + message.getBody().length + " B, "
				+ properties.getHeaders().size() + " headers (~" + headerBytes + " B as text: "
				+ properties.getHeaders().keySet() + ")";
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
