package dev.taskqueue.benchmarks.driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.benchmarks.stages.AmqpTimestamps;
import dev.taskqueue.benchmarks.stages.WallClock;
import dev.taskqueue.benchmarks.worker.RawConsumer;
import dev.taskqueue.protocol.internal.EncodedMessage;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The raw baseline: the same messages (a no-op task's headers and body, byte for byte the
 * size taskqueue sends) published with a plain {@link RabbitTemplate} — each send waiting
 * for its confirm, from as many threads as taskqueue's drain uses — and consumed by a
 * plain Spring AMQP listener container with manual acks in a JVM of its own, with the
 * worker's concurrency and prefetch; once acking on arrival, once acking after storing
 * and publishing a result-sized record in Redis (see {@link RawConsumer}). Its round
 * trips are sequential sends, each waiting for its confirm and then for the record's
 * notification, as {@code send(..).get()} does. What is left between this and taskqueue
 * is taskqueue's own cost.
 */
final class RawBench implements AutoCloseable {

	private final Options options;

	private final Results results;

	private final String queue;

	private final CachingConnectionFactory connectionFactory;

	private final RabbitTemplate template;

	private final RabbitAdmin admin;

	private final Message message;

	private final Senders senders;

	private final ChildProcess consumer;

	private final RedisClient redisClient;

	private final StatefulRedisPubSubConnection<String, String> notifications;

	private final BlockingQueue<Long> notified = new LinkedBlockingQueue<>();

	/**
	 * With {@code --raw-subscribe-per-task}: a connection subscribed to each record's own
	 * channel, and the notifications it received.
	 */
	private final @Nullable StatefulRedisPubSubConnection<String, String> ownChannels;

	private final BlockingQueue<Long> notifiedOwn = new LinkedBlockingQueue<>();

	/** Channels whose notification arrived, unsubscribed together every 100 ms. */
	private final List<String> finishedChannels = new ArrayList<>();

	private long lastUnsubscribe;

	/** The publish and confirm times, with {@code --stages}. */
	private final @Nullable AmqpTimestamps amqp;

	/**
	 * When the latest notification arrived (wall-clock micros), with {@code --stages}.
	 */
	private volatile long notifiedMicros;

	private Map<String, Double> lastCpu = Map.of();

	private final Path logs;

	private final AtomicInteger latencyRuns = new AtomicInteger();

	RawBench(Options options, Results results, String runId, Path logs) throws Exception {
		this.options = options;
		this.results = results;
		this.logs = logs;
		this.queue = "tq-bench-" + runId + "-raw";
		this.connectionFactory = new CachingConnectionFactory(options.rabbitHost, options.rabbitPort);
		this.connectionFactory.setUsername("guest");
		this.connectionFactory.setPassword("guest");
		this.connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.SIMPLE);
		// A cached channel per sender thread, so no send opens and closes one.
		this.connectionFactory.setChannelCacheSize(Math.max(25, options.senders));
		this.amqp = options.stages ? new AmqpTimestamps() : null;
		if (this.amqp != null) {
			this.connectionFactory.getRabbitConnectionFactory().setMetricsCollector(this.amqp);
		}
		this.template = new RabbitTemplate(this.connectionFactory);
		this.admin = new RabbitAdmin(this.connectionFactory);
		this.admin.declareQueue(new Queue(this.queue, true, false, false));
		this.message = taskSizedMessage();
		this.senders = new Senders(options.senders);
		this.redisClient = RedisClient.create(RedisURI.create(options.redisHost, options.redisPort));
		this.notifications = this.redisClient.connectPubSub();
		this.notifications.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String pattern, String channel, String message) {
				if (RawBench.this.amqp != null) {
					RawBench.this.notifiedMicros = WallClock.micros();
				}
				RawBench.this.notified.add(System.nanoTime());
			}
		});
		this.notifications.sync().psubscribe(keyPattern());
		if (options.rawSubscribePerTask) {
			this.ownChannels = this.redisClient.connectPubSub();
			this.ownChannels.addListener(new RedisPubSubAdapter<>() {
				@Override
				public void message(String channel, String message) {
					RawBench.this.notifiedOwn.add(System.nanoTime());
				}
			});
		}
		else {
			this.ownChannels = null;
		}
		List<String> args = List.of(logs.resolve("raw.port").toString(), options.rabbitHost,
				Integer.toString(options.rabbitPort), this.queue, Integer.toString(options.rawConcurrency),
				Integer.toString(options.rawPrefetch), options.redisHost, Integer.toString(options.redisPort));
		this.consumer = ChildProcess.start("raw consumer", JavaCommand.of("", "raw-consumer", args), Map.of(),
				Path.of("."), logs.resolve("raw.log"), logs.resolve("raw.port"));
		this.consumer.awaitReady(Duration.ofSeconds(60));
	}

	/** A no-op task message exactly as the client encodes one. */
	static Message taskSizedMessage() {
		TaskMessageCodec codec = new TaskMessageCodec(JsonMapper.builder().build(), List.of("json"));
		String origin = ProcessIdentity.origin();
		EncodedMessage encoded = codec.encode(TaskMessage.builder(UUID.randomUUID().toString(), TaskqueueBench.NOOP)
			.origin(origin)
			.replyTo(UUID.nameUUIDFromBytes(origin.getBytes(StandardCharsets.UTF_8)).toString())
			.build());
		MessageProperties properties = new DefaultMessagePropertiesConverter().toMessageProperties(encoded.properties(),
				null, StandardCharsets.UTF_8.name());
		// The converter keeps the delivery mode as the received one: persistent must be
		// said again,
		// or the broker confirms a transient message without writing it.
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		return new Message(encoded.body(), properties);
	}

	Map<String, Object> describe() {
		Map<String, Object> info = new LinkedHashMap<>();
		info.put("queue", this.queue);
		info.put("bodyBytes", this.message.getBody().length);
		info.put("headers", this.message.getMessageProperties().getHeaders().size());
		info.put("consumerConcurrency", this.options.rawConcurrency);
		info.put("consumerPrefetch", this.options.rawPrefetch);
		info.put("senderThreads", this.senders.threads());
		return info;
	}

	private void send(String queue) {
		this.template.invoke((ops) -> {
			ops.send("", queue, this.message);
			ops.waitForConfirmsOrDie(10_000);
			return null;
		});
	}

	private String keyPattern() {
		return RawConsumer.KEY_PREFIX + this.queue + "-*";
	}

	void warmUp() throws Exception {
		if (this.options.warmup > 0) {
			drain(this.options.warmup, false);
			this.consumer.action("store");
			drain(Math.max(1, this.options.warmup / 4), false);
			this.consumer.action("ignore");
			deleteRecords();
		}
	}

	/**
	 * With the consumer paused, publish N; then resume it and time it alone on the full
	 * queue.
	 */
	void measurePhases() throws Exception {
		String load = Machine.loadavg();
		double[] seconds = drain(this.options.n, true);
		double publishRate = this.options.n / seconds[1];
		double consumeRate = this.options.n / seconds[2];
		this.results.figure(Results.RAW, "publish", "messages/s")
			.add(publishRate, load, Map.of("seconds", seconds[1], "n", this.options.n));
		this.results.figure(Results.RAW, "consume", "messages/s")
			.add(consumeRate, load,
					Map.of("seconds", seconds[2], "n", this.options.n, "cpuMicrosPerTask", this.lastCpu));
		Report.line(
				"raw publish alone: %,.0f messages/s (%,d in %.2f s); consumer alone: %,.0f messages/s "
						+ "(%.2f s); CPU us/message %s; load %s -> %s",
				publishRate, this.options.n, seconds[1], consumeRate, seconds[2], this.lastCpu, load,
				Machine.loadavg());
	}

	/** Acking on arrival. */
	void measureDrain() throws Exception {
		recordDrain("drain", drain(this.options.n, false));
	}

	/** Acking once a result-sized record is stored and published. */
	void measureDrainStored() throws Exception {
		this.consumer.action("store");
		try {
			recordDrain("drain.results", drain(this.options.n, false));
		}
		finally {
			this.consumer.action("ignore");
			deleteRecords();
		}
	}

	private void recordDrain(String metric, double[] seconds) {
		String load = Machine.loadavg();
		double rate = this.options.n / seconds[0];
		long rss = this.consumer.rss();
		this.results.figure(Results.RAW, metric, "messages/s")
			.add(rate, load, Map.of("seconds", seconds[0], "publishSeconds", seconds[1], "n", this.options.n,
					"consumerRssBytes", rss, "cpuMicrosPerTask", this.lastCpu));
		Report.line(
				"raw %s: %,.0f messages/s (%,d in %.2f s; publishing took %.2f s), consumer RSS %.0f MB, "
						+ "CPU us/message %s; load -> %s",
				metric, rate, this.options.n, seconds[0], seconds[1], rss / 1e6, this.lastCpu, Machine.loadavg());
	}

	/**
	 * Sequential round trips: publish, wait for the confirm, then for the notification of
	 * the record the consumer stored before acking. Switches the consumer to storing
	 * records, warms up, then measures round trips in as many parts as the caller likes;
	 * {@link #stopLatency()} switches it back.
	 * @return the run
	 */
	LatencyRun startLatency() throws Exception {
		this.consumer.action("store");
		roundTrips(Math.max(this.options.latencyWarmup, 1), null, null, null, null);
		List<Double> subscribed = new ArrayList<>(this.options.latencySamples);
		if (this.ownChannels != null) {
			ownChannelRoundTrips(this.ownChannels, Math.max(this.options.latencyWarmup, 1), null);
		}
		List<Double> samples = new ArrayList<>(this.options.latencySamples);
		List<Double> confirms = new ArrayList<>(this.options.latencySamples);
		List<Double> woken = new ArrayList<>(this.options.latencySamples);
		RoundTripStages stages = (this.amqp != null) ? RoundTripStages.raw() : null;
		return new LatencyRun() {

			@Override
			public void measure(int count) throws Exception {
				roundTrips(count, samples, confirms, woken, stages);
				if (RawBench.this.ownChannels != null) {
					ownChannelRoundTrips(RawBench.this.ownChannels, count, subscribed);
				}
			}

			@Override
			public void finish(String load) throws IOException {
				LatencyFigures.record(RawBench.this.results, Results.RAW, samples, load);
				LatencyFigures.recordPublish(RawBench.this.results, Results.RAW, "the publish until confirmed",
						confirms, load);
				LatencyFigures.recordWoken(RawBench.this.results, Results.RAW, woken, load);
				if (!subscribed.isEmpty()) {
					LatencyFigures.recordSubscribed(RawBench.this.results, Results.RAW, subscribed, load);
				}
				if (stages != null) {
					stages.record(RawBench.this.results, load, RawBench.this.logs
						.resolve("stages-raw-" + RawBench.this.latencyRuns.incrementAndGet() + ".csv"));
				}
			}

		};
	}

	/** Switch the consumer back to acking on arrival after round trips. */
	void stopLatency() throws Exception {
		this.consumer.action("ignore");
		deleteRecords();
	}

	private void roundTrips(int count, @Nullable List<Double> samples, @Nullable List<Double> confirms,
			@Nullable List<Double> woken, @Nullable RoundTripStages stages) throws Exception {
		this.notified.clear();
		AmqpTimestamps amqp = this.amqp;
		for (int i = 0; i < count; i++) {
			long startMicros = (stages != null) ? WallClock.micros() : 0;
			long start = System.nanoTime();
			send(this.queue);
			long confirmed = System.nanoTime();
			long sentMicros = (stages != null) ? WallClock.micros() : 0;
			Long seen = this.notified.poll(10, TimeUnit.SECONDS);
			// When the caller has the notification in hand: what a send-and-get ends
			// with (the figure above ends as the listener's thread receives it).
			long inHand = System.nanoTime();
			if (seen == null) {
				throw new IllegalStateException("No record was stored for raw round trip " + (i + 1) + " in 10 s");
			}
			if (samples != null && confirms != null) {
				samples.add((Math.max(seen, confirmed) - start) / 1e6);
				confirms.add((confirmed - start) / 1e6);
			}
			if (woken != null) {
				woken.add((inHand - start) / 1e6);
			}
			if (stages != null && amqp != null) {
				long notifiedMicros = this.notifiedMicros;
				Map<String, Long> sample = new LinkedHashMap<>();
				sample.put(RoundTripStages.SEND, startMicros);
				long published = amqp.lastPublish();
				long confirm = amqp.lastConfirm();
				sample.put(RoundTripStages.PUBLISHED, (published >= startMicros) ? published : 0);
				sample.put(RoundTripStages.CONFIRMED, (confirm >= startMicros) ? confirm : 0);
				sample.put(RoundTripStages.SENT, sentMicros);
				sample.put(RoundTripStages.NOTIFIED, notifiedMicros);
				// As the round trip figure: the later of the confirm and the
				// notification.
				sample.put(RoundTripStages.DONE, Math.max(notifiedMicros, sentMicros));
				stages.add(sample);
			}
		}
	}

	/**
	 * Sequential round trips as a client listening ahead makes them: a record key of the
	 * message's own, its channel subscribed as the message is published (without waiting
	 * for Redis's reply), the finished channels unsubscribed together every 100 ms.
	 */
	private void ownChannelRoundTrips(StatefulRedisPubSubConnection<String, String> connection, int count,
			@Nullable List<Double> samples) throws Exception {
		MessageProperties properties = this.message.getMessageProperties();
		String correlationId = properties.getCorrelationId();
		this.notifiedOwn.clear();
		try {
			for (int i = 0; i < count; i++) {
				String own = RawConsumer.OWN_CHANNEL + UUID.randomUUID();
				String channel = RawConsumer.KEY_PREFIX + own;
				properties.setCorrelationId(own);
				long start = System.nanoTime();
				this.template.invoke((ops) -> {
					// Written before the publish, without waiting for Redis's reply: the
					// subscription is almost always in place before the record is stored.
					connection.async().subscribe(channel);
					ops.send("", this.queue, this.message);
					ops.waitForConfirmsOrDie(10_000);
					return null;
				});
				long confirmed = System.nanoTime();
				Long seen = this.notifiedOwn.poll(200, TimeUnit.MILLISECONDS);
				if (seen == null) {
					try (StatefulRedisConnection<String, String> reader = this.redisClient.connect()) {
						if (reader.sync().exists(channel) == 1) {
							// Stored before the subscription was in place: counted when
							// read.
							seen = System.nanoTime();
						}
					}
				}
				if (seen == null) {
					seen = this.notifiedOwn.poll(10, TimeUnit.SECONDS);
				}
				if (seen == null) {
					throw new IllegalStateException("No record was stored for raw round trip " + (i + 1) + " in 10 s");
				}
				if (samples != null) {
					samples.add((Math.max(seen, confirmed) - start) / 1e6);
				}
				this.finishedChannels.add(channel);
				if (confirmed - this.lastUnsubscribe > TimeUnit.MILLISECONDS.toNanos(100)) {
					connection.async().unsubscribe(this.finishedChannels.toArray(String[]::new));
					this.finishedChannels.clear();
					this.lastUnsubscribe = confirmed;
				}
			}
		}
		finally {
			properties.setCorrelationId(correlationId);
		}
	}

	private void deleteRecords() {
		RedisCommands<String, String> redis = this.redisClient.connect().sync();
		try {
			for (String pattern : List.of(keyPattern(), RawConsumer.KEY_PREFIX + RawConsumer.OWN_CHANNEL + "*")) {
				ScanCursor cursor = ScanCursor.INITIAL;
				do {
					KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
					if (!page.getKeys().isEmpty()) {
						redis.unlink(page.getKeys().toArray(String[]::new));
					}
					cursor = page;
				}
				while (!cursor.isFinished());
			}
		}
		finally {
			redis.getStatefulConnection().close();
		}
	}

	/**
	 * Return seconds from the first send to the last ack, of the sends, and from resuming
	 * to the last ack.
	 * @return seconds from the first send to the last ack, of the sends, and from
	 * resuming to the last ack
	 */
	private double[] drain(int count, boolean paused) throws Exception {
		long before = this.consumer.stats(false).get("count");
		if (paused) {
			this.consumer.pause();
		}
		CpuMeter meter = CpuMeter.of("consumer", this.consumer.handle(), this.options);
		Map<String, Double> cpuBefore = meter.snapshot();
		Senders.Timing timing = this.senders.send(count, (i) -> send(this.queue));
		long resumeMillis = System.currentTimeMillis();
		if (paused) {
			this.consumer.resume();
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(this.options.timeoutSeconds).toNanos();
		Map<String, Long> stats;
		while ((stats = this.consumer.stats(false)).get("count") < before + count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"Raw consumer acked only " + (stats.get("count") - before) + " of " + count + " messages");
			}
			Thread.sleep(10);
		}
		long last = stats.get("lastMillis");
		this.lastCpu = CpuMeter.perTask(cpuBefore, meter.snapshot(), count);
		return new double[] { (last - timing.startMillis()) / 1e3, timing.seconds(),
				paused ? (last - resumeMillis) / 1e3 : Double.NaN };
	}

	@Override
	public void close() {
		try {
			this.consumer.stop();
		}
		finally {
			for (String name : List.of(this.queue)) {
				try {
					this.admin.deleteQueue(name);
				}
				catch (RuntimeException ex) {
					Report.line("could not delete queue %s: %s", name, ex.getMessage());
				}
			}
			this.senders.close();
			this.connectionFactory.destroy();
			this.notifications.close();
			if (this.ownChannels != null) {
				this.ownChannels.close();
			}
			this.redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

}
