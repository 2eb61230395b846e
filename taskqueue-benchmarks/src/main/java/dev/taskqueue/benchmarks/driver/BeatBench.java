package dev.taskqueue.benchmarks.driver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.taskqueue.beat.PeriodicTask;
import dev.taskqueue.beat.Schedule;
import dev.taskqueue.beat.internal.DefaultPeriodicTasks;
import dev.taskqueue.beat.internal.RedBeatJson;
import dev.taskqueue.beat.internal.RedBeatKeys;
import dev.taskqueue.beat.internal.RedBeatStore;
import dev.taskqueue.benchmarks.stats.Samples;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The beat benchmark: many entries that all fire every minute, fired by a beat in a JVM
 * of its own. For every minute measured it counts the runs sent (each exactly once?),
 * their lateness from due time to publish ({@code x-taskqueue-sent-at} minus the due time
 * in the run's id) and to arrival in the consumer, and the beat JVM's CPU. The first
 * minute is a warm-up.
 * <p>
 * Half a minute after each measured fire, the raw Spring AMQP ceiling is measured in the
 * same way: as many copies of a run's message as there are entries, published on as many
 * channels as the beat has publishing threads, each channel's share in one {@code invoke}
 * that then waits for the confirms; its lateness is from the whole second it starts on to
 * arrival. <pre>
 * java -jar taskqueue-benchmarks.jar beat [--entries 10000] [--minutes 3]
 * </pre>
 */
public final class BeatBench {

	static final String USAGE = """
			usage: java -jar taskqueue-benchmarks-*.jar beat [options]
			  --entries N          entries, each firing every minute (default 10000)
			  --minutes M          minutes measured after the warm-up minute (default 3)
			  --publish-threads T  the beat's taskqueue.beat.publish-threads (default 4)
			  --java-opts OPTS     JVM options of the beat (default -Xmx256m)
			  --beat-prop K=V      a Spring Boot property of the beat (repeatable)
			  --rabbit HOST:PORT   RabbitMQ (default 127.0.0.1:5672, guest/guest)
			  --redis HOST:PORT    Redis (default 127.0.0.1:6379)
			  --out FILE           JSON results (default bench-results/beat-<timestamp>.json)
			""";

	/** Marks the raw baseline's messages, with the second their burst started on. */
	private static final String RAW_HEADER = "x-bench-raw-start";

	private BeatBench() {
	}

	/**
	 * Run the benchmark.
	 * @param args the options
	 * @return the exit status
	 * @throws Exception if it cannot run
	 */
	public static int run(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>(
				Map.of("--entries", "10000", "--minutes", "3", "--publish-threads", "4", "--java-opts", "-Xmx256m",
						"--rabbit", "127.0.0.1:5672", "--redis", "127.0.0.1:6379"));
		List<String> beatProperties = new ArrayList<>();
		for (int i = 0; i < args.length; i++) {
			if (!options.containsKey(args[i]) && !"--out".equals(args[i]) && !"--beat-prop".equals(args[i])
					|| i + 1 >= args.length) {
				System.err.println(USAGE);
				return 2;
			}
			if ("--beat-prop".equals(args[i])) {
				beatProperties.add("--" + args[++i]);
			}
			else {
				options.put(args[i], args[++i]);
			}
		}
		int entries = Integer.parseInt(options.get("--entries"));
		int minutes = Integer.parseInt(options.get("--minutes"));
		String[] rabbitAddress = options.get("--rabbit").split(":");
		String[] redisAddress = options.get("--redis").split(":");
		String id = UUID.randomUUID().toString().substring(0, 8);
		String prefix = "bench-beat-" + id + ":";
		String queue = "bench-beat-" + id;
		String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
		Path out = Path.of(options.getOrDefault("--out", "bench-results/beat-" + stamp + ".json"));
		Files.createDirectories(out.toAbsolutePath().getParent());
		CachingConnectionFactory rabbit = new CachingConnectionFactory(rabbitAddress[0],
				Integer.parseInt(rabbitAddress[1]));
		LettuceConnectionFactory redisFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redisAddress[0], Integer.parseInt(redisAddress[1])));
		redisFactory.afterPropertiesSet();
		redisFactory.start();
		StringRedisTemplate redis = new StringRedisTemplate(redisFactory);
		redis.afterPropertiesSet();
		RabbitAdmin admin = new RabbitAdmin(rabbit);
		CachingConnectionFactory rawRabbit = new CachingConnectionFactory(rabbitAddress[0],
				Integer.parseInt(rabbitAddress[1]));
		rawRabbit.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.SIMPLE);
		rawRabbit.setChannelCacheSize(Integer.parseInt(options.get("--publish-threads")) + 1);
		admin.declareQueue(new Queue(queue));
		ChildProcess beat = null;
		SimpleMessageListenerContainer consumer = null;
		try {
			RedBeatStore store = new RedBeatStore(redis, new RedBeatKeys(prefix, null, false),
					new RedBeatJson(JsonMapper.builder().build()));
			DefaultPeriodicTasks tasks = new DefaultPeriodicTasks(store, null, ZoneId.of("UTC"), Clock.systemUTC());
			long writing = System.nanoTime();
			for (int i = 0; i < entries; i++) {
				tasks.add(PeriodicTask.builder("bench-" + i, "bench.beat")
					.schedule(Schedule.cron("0 * * * * *"))
					.queue(queue)
					.option("ignore_result", true)
					.build());
			}
			System.out.printf("beat bench: %d entries written in %d ms%n", entries,
					Duration.ofNanos(System.nanoTime() - writing).toMillis());
			Map<Long, ConcurrentLinkedQueue<Long>> lateness = new ConcurrentHashMap<>();
			Map<Long, ConcurrentLinkedQueue<Long>> arrival = new ConcurrentHashMap<>();
			ConcurrentLinkedQueue<Long> rawArrival = new ConcurrentLinkedQueue<>();
			AtomicReference<Message> sample = new AtomicReference<>();
			Set<String> seen = ConcurrentHashMap.newKeySet();
			AtomicLong duplicates = new AtomicLong();
			consumer = new SimpleMessageListenerContainer(rabbit);
			consumer.setQueueNames(queue);
			consumer.setConcurrentConsumers(2);
			consumer.setPrefetchCount(500);
			consumer.setAcknowledgeMode(AcknowledgeMode.AUTO);
			consumer.setMessageListener((Message message) -> {
				long arrived = System.currentTimeMillis();
				Object rawStart = message.getMessageProperties().getHeader(RAW_HEADER);
				if (rawStart != null) {
					rawArrival.add(arrived - ((Number) rawStart).longValue());
					return;
				}
				sample.compareAndSet(null, message);
				String runId = String.valueOf((Object) message.getMessageProperties().getHeader("id"));
				Object sentAt = message.getMessageProperties().getHeader("x-taskqueue-sent-at");
				long due = Long.parseLong(runId.substring(runId.lastIndexOf(':') + 1));
				if (!seen.add(runId)) {
					duplicates.incrementAndGet();
				}
				lateness.computeIfAbsent(due, (key) -> new ConcurrentLinkedQueue<>())
					.add(((Number) sentAt).longValue() - due * 1000);
				arrival.computeIfAbsent(due, (key) -> new ConcurrentLinkedQueue<>()).add(arrived - due * 1000);
			});
			consumer.start();
			List<String> command = JavaCommand.of(options.get("--java-opts"), "beat-node",
					List.of("--spring.rabbitmq.host=" + rabbitAddress[0], "--spring.rabbitmq.port=" + rabbitAddress[1],
							"--spring.data.redis.host=" + redisAddress[0],
							"--spring.data.redis.port=" + redisAddress[1], "--taskqueue.worker.enabled=false",
							"--taskqueue.default-queue=" + queue, "--taskqueue.beat.enabled=true",
							"--taskqueue.beat.key-prefix=" + prefix,
							"--taskqueue.beat.publish-threads=" + options.get("--publish-threads")));
			command = new ArrayList<>(command);
			command.addAll(beatProperties);
			Path log = out.toAbsolutePath().getParent().resolve("beat-" + stamp + ".log");
			beat = ChildProcess.start("beat", command, Map.of(), Path.of("."), log, null);
			long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
			while (!String.valueOf(redis.opsForValue().get(prefix + ":lock")).startsWith("java:")) {
				if (!beat.isAlive() || System.nanoTime() > deadline) {
					throw new IllegalStateException("The beat did not take the lock:\n" + beat.tail());
				}
				Thread.sleep(100);
			}
			// The first minute's runs warm the JVM up; the measured minutes follow it.
			long warmup = nextMinute(Instant.now().plusSeconds(5));
			sleepUntil(warmup + 40);
			Options meterOptions = Options
				.parse(new String[] { "--rabbit", options.get("--rabbit"), "--redis", options.get("--redis") });
			CpuMeter meter = CpuMeter.of("beat", beat.handle(), meterOptions);
			Map<String, Double> cpuBefore = meter.snapshot();
			long from = warmup + 60;
			long to = from + (minutes - 1) * 60L;
			int channels = Integer.parseInt(options.get("--publish-threads"));
			for (long minute = from; minute <= to; minute += 60) {
				sleepUntil(minute + 30);
				Message message = sample.get();
				if (message == null) {
					throw new IllegalStateException("No run arrived to copy for the raw baseline");
				}
				rawBurst(rawRabbit, queue, message, entries, channels, minute + 30);
			}
			sleepUntil(to + 40);
			long waiting = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (rawArrival.size() < (long) entries * minutes && System.nanoTime() < waiting) {
				Thread.sleep(100);
			}
			Map<String, Double> cpuAfter = meter.snapshot();
			double window = (to + 40) - (warmup + 40);
			Map<Long, Integer> counts = new TreeMap<>();
			List<Long> measured = new ArrayList<>();
			List<Long> arrived = new ArrayList<>();
			for (long minute = from; minute <= to; minute += 60) {
				ConcurrentLinkedQueue<Long> values = lateness.getOrDefault(minute, new ConcurrentLinkedQueue<>());
				counts.put(minute, values.size());
				measured.addAll(values);
				arrived.addAll(arrival.getOrDefault(minute, new ConcurrentLinkedQueue<>()));
			}
			Samples samples = Samples.of(measured);
			Samples arrivals = Samples.of(arrived);
			Samples raw = Samples.of(new ArrayList<>(rawArrival));
			double cpu = cpuAfter.get("beat") - cpuBefore.get("beat");
			Map<String, Double> cpuPerMinute = new LinkedHashMap<>();
			cpuAfter.forEach((process, seconds) -> cpuPerMinute.put(process,
					Math.round((seconds - cpuBefore.getOrDefault(process, 0.0)) / window * 60 * 100) / 100.0));
			Map<String, Object> results = new LinkedHashMap<>();
			results.put("entries", entries);
			results.put("minutesMeasured", minutes);
			results.put("runsPerMinute", counts.values());
			results.put("duplicates", duplicates.get());
			results.put("latenessMs", Map.of("p50", samples.median(), "p99", samples.percentile(99), "max",
					samples.max(), "min", samples.min()));
			results.put("arrivalLatenessMs", Map.of("p50", arrivals.median(), "p99", arrivals.percentile(99), "max",
					arrivals.max(), "min", arrivals.min()));
			results.put("rawArrivalMs", Map.of("p50", raw.median(), "p99", raw.percentile(99), "max", raw.max(), "min",
					raw.min(), "messages", rawArrival.size()));
			results.put("arrivalP99ToRaw", Math.round(arrivals.percentile(99) / raw.percentile(99) * 100) / 100.0);
			results.put("loadAverage", Machine.loadavg());
			results.put("beatCpuSecondsPerMinute", Math.round(cpu / window * 60 * 100) / 100.0);
			results.put("beatCpuPercentOfOneCore", Math.round(cpu / window * 1000) / 10.0);
			results.put("cpuSecondsPerMinuteByProcess", cpuPerMinute);
			results.put("cores", Runtime.getRuntime().availableProcessors());
			Files.writeString(out,
					JsonMapper.builder()
						.enable(SerializationFeature.INDENT_OUTPUT)
						.build()
						.writeValueAsString(results));
			System.out.printf(
					"beat bench: %d entries every minute, %d minutes measured%n"
							+ "  runs per minute  %s (expected %d each), duplicates %d%n"
							+ "  lateness due -> published  p50 %.0f ms, p99 %.0f ms, max %.0f ms%n"
							+ "  lateness due -> arrived    p50 %.0f ms, p99 %.0f ms, max %.0f ms%n"
							+ "  raw Spring AMQP, same burst: start -> arrived  p50 %.0f ms, p99 %.0f ms, max %.0f ms%n"
							+ "  beat CPU  %.2f s per minute (%.1f%% of one core); CPU s per minute by process %s%n"
							+ "  results in %s%n",
					entries, minutes, counts.values(), entries, duplicates.get(), samples.median(),
					samples.percentile(99), samples.max(), arrivals.median(), arrivals.percentile(99), arrivals.max(),
					raw.median(), raw.percentile(99), raw.max(), cpu / window * 60, cpu / window * 100, cpuPerMinute,
					out);
			return (duplicates.get() == 0 && counts.values().stream().allMatch((count) -> count == entries)) ? 0 : 1;
		}
		finally {
			if (beat != null) {
				beat.stop();
			}
			if (consumer != null) {
				consumer.stop();
			}
			List<String> keys = new ArrayList<>();
			try (Cursor<String> cursor = redis.scan(ScanOptions.scanOptions().match(prefix + "*").build())) {
				cursor.forEachRemaining(keys::add);
			}
			for (int i = 0; i < keys.size(); i += 1000) {
				redis.delete(keys.subList(i, Math.min(keys.size(), i + 1000)));
			}
			admin.deleteQueue(queue);
			rabbit.destroy();
			rawRabbit.destroy();
			redisFactory.destroy();
		}
	}

	/**
	 * Publish copies of a run's message on channels of their own, in parallel, starting
	 * on a whole second: the least a beat's fire of that many runs can take here.
	 */
	private static void rawBurst(CachingConnectionFactory factory, String queue, Message sample, int n, int channels,
			long startSecond) throws InterruptedException {
		RabbitTemplate template = new RabbitTemplate(factory);
		List<Thread> threads = new ArrayList<>();
		long start = startSecond * 1000;
		for (int c = 0; c < channels; c++) {
			int share = n / channels + ((c < n % channels) ? 1 : 0);
			int channel = c;
			Thread thread = new Thread(() -> template.invoke((ops) -> {
				for (int i = 0; i < share; i++) {
					MessageProperties properties = new MessageProperties();
					properties.getHeaders().putAll(sample.getMessageProperties().getHeaders());
					properties.setContentType(sample.getMessageProperties().getContentType());
					properties.setContentEncoding(sample.getMessageProperties().getContentEncoding());
					properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
					properties.setHeader("id", "raw-" + startSecond + "-" + channel + "-" + i);
					properties.setHeader(RAW_HEADER, start);
					ops.send("", queue, new Message(sample.getBody(), properties));
				}
				ops.waitForConfirmsOrDie(60_000);
				return null;
			}), "raw-burst-" + c);
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join();
		}
	}

	private static long nextMinute(Instant after) {
		return (after.getEpochSecond() / 60 + 1) * 60;
	}

	private static void sleepUntil(long epochSecond) throws InterruptedException {
		long millis = epochSecond * 1000 - System.currentTimeMillis();
		if (millis > 0) {
			Thread.sleep(millis);
		}
	}

}
