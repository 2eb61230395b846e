package dev.taskqueue.benchmarks.driver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.taskqueue.protocol.EncodedMessage;
import dev.taskqueue.protocol.ProcessIdentity;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageCodec;
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
 * The raw baseline: the same messages (a no-op task's headers and body, byte for byte the size
 * taskqueue sends) published with a plain {@link RabbitTemplate} — each send waiting for its
 * confirm, from as many threads as taskqueue's drain uses — and consumed by a plain Spring AMQP
 * listener container with manual acks in a JVM of its own, with the worker's concurrency and
 * prefetch. What is left between this and taskqueue is taskqueue's own cost.
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

	private Map<String, Double> lastCpu = Map.of();

	RawBench(Options options, Results results, String runId, Path logs) throws Exception {
		this.options = options;
		this.results = results;
		this.queue = "tq-bench-" + runId + "-raw";
		this.connectionFactory = new CachingConnectionFactory(options.rabbitHost, options.rabbitPort);
		this.connectionFactory.setUsername("guest");
		this.connectionFactory.setPassword("guest");
		this.connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.SIMPLE);
		// A cached channel per sender thread, so no send opens and closes one.
		this.connectionFactory.setChannelCacheSize(Math.max(25, options.senders));
		this.template = new RabbitTemplate(this.connectionFactory);
		this.admin = new RabbitAdmin(this.connectionFactory);
		this.admin.declareQueue(new Queue(this.queue, true, false, false));
		this.message = taskSizedMessage();
		this.senders = new Senders(options.senders);
		List<String> args = List.of(logs.resolve("raw.port").toString(), options.rabbitHost,
				Integer.toString(options.rabbitPort), this.queue, Integer.toString(options.rawConcurrency),
				Integer.toString(options.rawPrefetch));
		this.consumer = ChildProcess.start("raw consumer", JavaCommand.of("", "raw-consumer", args), Map.of(),
				Path.of("."), logs.resolve("raw.log"), logs.resolve("raw.port"));
		this.consumer.awaitReady(Duration.ofSeconds(60));
	}

	/** A no-op task message exactly as the client encodes one. */
	private static Message taskSizedMessage() {
		TaskMessageCodec codec = new TaskMessageCodec(JsonMapper.builder().build(), List.of("json"));
		String origin = ProcessIdentity.origin();
		EncodedMessage encoded = codec.encode(TaskMessage.builder(UUID.randomUUID().toString(), TaskqueueBench.NOOP)
			.origin(origin)
			.replyTo(UUID.nameUUIDFromBytes(origin.getBytes(StandardCharsets.UTF_8)).toString())
			.build());
		MessageProperties properties = new DefaultMessagePropertiesConverter()
			.toMessageProperties(encoded.properties(), null, StandardCharsets.UTF_8.name());
		// The converter keeps the delivery mode as the received one: persistent must be said again,
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

	void warmUp() throws Exception {
		if (this.options.warmup > 0) {
			drain(this.options.warmup, false);
		}
	}

	/** With the consumer paused, publish N; then resume it and time it alone on the full queue. */
	void measurePhases() throws Exception {
		String load = Machine.loadavg();
		double[] seconds = drain(this.options.n, true);
		double publishRate = this.options.n / seconds[1];
		double consumeRate = this.options.n / seconds[2];
		this.results.figure(Results.RAW, "publish", "messages/s")
			.add(publishRate, load, Map.of("seconds", seconds[1], "n", this.options.n));
		this.results.figure(Results.RAW, "consume", "messages/s")
			.add(consumeRate, load, Map.of("seconds", seconds[2], "n", this.options.n, "cpuMicrosPerTask", this.lastCpu));
		Report.line("raw publish alone: %,.0f messages/s (%,d in %.2f s); consumer alone: %,.0f messages/s "
				+ "(%.2f s); CPU us/message %s; load %s -> %s", publishRate, this.options.n, seconds[1], consumeRate,
				seconds[2], this.lastCpu, load, Machine.loadavg());
	}

	void measureDrain() throws Exception {
		String load = Machine.loadavg();
		double[] seconds = drain(this.options.n, false);
		double rate = this.options.n / seconds[0];
		long rss = this.consumer.rss();
		this.results.figure(Results.RAW, "drain", "messages/s")
			.add(rate, load, Map.of("seconds", seconds[0], "publishSeconds", seconds[1], "n", this.options.n,
					"consumerRssBytes", rss, "cpuMicrosPerTask", this.lastCpu));
		Report.line("raw drain: %,.0f messages/s (%,d in %.2f s; publishing took %.2f s), consumer RSS %.0f MB, "
				+ "CPU us/message %s; load %s -> %s", rate, this.options.n, seconds[0], seconds[1], rss / 1e6,
				this.lastCpu, load, Machine.loadavg());
	}

	/** @return seconds from the first send to the last ack, of the sends, and from resuming to the last ack */
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
				throw new IllegalStateException("Raw consumer acked only " + (stats.get("count") - before) + " of "
						+ count + " messages");
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
		}
	}

}
