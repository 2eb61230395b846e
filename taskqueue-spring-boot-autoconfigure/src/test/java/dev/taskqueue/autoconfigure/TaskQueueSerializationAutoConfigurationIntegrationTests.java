package dev.taskqueue.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.protocol.TaskSerializer;
import dev.taskqueue.protocol.internal.JsonTaskSerializer;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.result.internal.RedisResultBackend;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Serializer and compression settings: {@code taskqueue.serializer},
 * {@code taskqueue.result.serializer}, {@code taskqueue.accept-content},
 * {@code taskqueue.compression}, {@code taskqueue.tasks.<name>.serializer},
 * {@code @QueueTask(serializer)} and an application's own {@link TaskSerializer} bean.
 * Contexts run against the real local broker and Redis; each test's worker has a queue of
 * its own.
 */
class TaskQueueSerializationAutoConfigurationIntegrationTests {

	private static final String RABBIT_HOST = System.getProperty("taskqueue.test.rabbit.host", "127.0.0.1");

	private static final String REDIS_HOST = System.getProperty("taskqueue.test.redis.host", "127.0.0.1");

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private static final String ACCEPTED = "json (application/json), msgpack (application/x-msgpack)";

	private final String queue = "tq-autoconf-serial-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=" + RABBIT_HOST, "spring.data.redis.host=" + REDIS_HOST,
				"taskqueue.default-queue=" + this.queue, "taskqueue.worker.queues=" + this.queue,
				"taskqueue.worker.concurrency=1", "taskqueue.result.expires=5m");

	@AfterEach
	void deleteQueues() {
		TestQueues.delete(this.queue);
	}

	@Test
	void unknownAcceptContentEntryFailsStartupNamingItsIndex() {
		this.contextRunner.withPropertyValues("taskqueue.accept-content=json,msgpak").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.messages(context.getStartupFailure()))
				.contains("taskqueue.accept-content[1]=msgpak is not supported")
				.contains(ACCEPTED);
		});
	}

	@Test
	void unknownPerTaskSerializerFailsStartupNamingTheEntry() {
		this.contextRunner.withPropertyValues("taskqueue.tasks.[serial.echo].serializer=xml").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.messages(context.getStartupFailure()))
				.contains("taskqueue.tasks[serial.echo].serializer=xml is not supported")
				.contains(ACCEPTED);
		});
	}

	@Test
	void unknownCompressionFailsStartupNamingTheAcceptedMethods() {
		this.contextRunner.withPropertyValues("taskqueue.compression=bzip2").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalyses.of(context.getStartupFailure(), null);
			assertThat(analysis.getDescription()).contains("taskqueue.compression").contains("\"bzip2\"");
			assertThat(analysis.getAction()).contains("GZIP").contains("ZLIB");
		});
	}

	@Test
	void unknownAnnotatedSerializerFailsStartupNamingTheTask() {
		this.contextRunner.withUserConfiguration(BogusTasks.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.messages(context.getStartupFailure()))
				.contains("@QueueTask(serializer = \"bogus\") of task 'serial.bogus' is not supported")
				.contains(ACCEPTED);
		});
	}

	@Test
	void msgpackEverywhereWithCompressionRunsTasksAndStoresMsgpackResults() {
		this.contextRunner.withUserConfiguration(EchoTasks.class)
			.withPropertyValues("taskqueue.serializer=msgpack", "taskqueue.result.serializer=msgpack",
					"taskqueue.accept-content=json,msgpack", "taskqueue.compression=gzip")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TaskMessageCodec codec = context.getBean(TaskMessageCodec.class);
				assertThat(codec.defaultSerializer().name()).isEqualTo("msgpack");
				assertThat(codec.acceptedContentTypes()).containsExactly("application/json", "application/x-msgpack");
				TaskResult result = context.getBean(TaskClient.class).send("serial.echo", "hi");
				assertThat(result.get(TIMEOUT)).isEqualTo(Map.of("value", "hi", "serializer", "application/x-msgpack",
						"compression", "application/x-gzip"));
				assertThat(stored(context.getBean(RedisConnectionFactory.class), result.getId())[0] & 0xf0)
					.isEqualTo(0x80);
			});
	}

	@Test
	void perTaskSerializerPropertyWinsOverTheAnnotationAndASendWinsOverBoth() {
		this.contextRunner.withUserConfiguration(EchoTasks.class)
			.withPropertyValues("taskqueue.accept-content=json,msgpack",
					"taskqueue.tasks.[serial.packed].serializer=json",
					"taskqueue.tasks.[serial.echo].serializer=msgpack")
			.run((context) -> {
				TaskClient client = context.getBean(TaskClient.class);
				assertThat(serializerSeen(client.send("serial.echo", "a"))).isEqualTo("application/x-msgpack");
				assertThat(client.send("serial.packed", "b").get(TIMEOUT)).isEqualTo("application/json");
				assertThat(serializerSeen(
						client.send(TaskRequest.builder("serial.echo").args("c").serializer("json").build())))
					.isEqualTo("application/json");
			});
	}

	@Test
	void annotatedSerializerIsUsedWithoutConfiguration() {
		this.contextRunner.withUserConfiguration(EchoTasks.class)
			.withPropertyValues("taskqueue.accept-content=json,msgpack")
			.run((context) -> assertThat(context.getBean(TaskClient.class).send("serial.packed", "b").get(TIMEOUT))
				.isEqualTo("application/x-msgpack"));
	}

	@Test
	void applicationsOwnSerializerBeanCanBeNamedForTasksResultsAndAcceptContent() {
		this.contextRunner.withUserConfiguration(EchoTasks.class, Base64JsonConfiguration.class)
			.withPropertyValues("taskqueue.serializer=b64json", "taskqueue.result.serializer=b64json",
					"taskqueue.accept-content=b64json")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TaskResult result = context.getBean(TaskClient.class).send("serial.echo", "own");
				Map<?, ?> seen = (Map<?, ?>) result.get(TIMEOUT);
				assertThat(seen.get("value")).isEqualTo("own");
				assertThat(seen.get("serializer")).isEqualTo("application/x-b64json");
				String stored = new String(stored(context.getBean(RedisConnectionFactory.class), result.getId()),
						StandardCharsets.US_ASCII);
				assertThat(new String(Base64.getDecoder().decode(stored), StandardCharsets.UTF_8))
					.startsWith("{\"status\": \"SUCCESS\", \"result\": {\"value\": \"own\"");
			});
	}

	private static @Nullable Object serializerSeen(TaskResult result) {
		return ((Map<?, ?>) result.get(TIMEOUT)).get("serializer");
	}

	private static byte[] stored(RedisConnectionFactory factory, String taskId) {
		try (RedisConnection connection = factory.getConnection()) {
			byte[] value = connection.stringCommands()
				.get((RedisResultBackend.TASK_KEY_PREFIX + taskId).getBytes(StandardCharsets.UTF_8));
			assertThat(value).isNotNull();
			return value;
		}
	}

	static class EchoTasks {

		@QueueTask("serial.echo")
		Map<String, @Nullable Object> echo(String value, TaskContext context) {
			Map<String, @Nullable Object> seen = new LinkedHashMap<>();
			seen.put("value", value);
			seen.put("serializer", context.getContentType());
			if (context.getCompression() != null) {
				seen.put("compression", context.getCompression());
			}
			return seen;
		}

		@QueueTask(value = "serial.packed", serializer = "msgpack")
		@Nullable String packed(String value, TaskContext context) {
			return context.getContentType();
		}

	}

	static class BogusTasks {

		@QueueTask(value = "serial.bogus", serializer = "bogus")
		void bogus() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Base64JsonConfiguration {

		@Bean
		TaskSerializer base64JsonSerializer() {
			return new Base64JsonSerializer();
		}

	}

	/** An application's own serializer: JSON inside Base64. */
	static final class Base64JsonSerializer implements TaskSerializer {

		private final JsonTaskSerializer json = new JsonTaskSerializer(JsonMapper.builder().build());

		@Override
		public String name() {
			return "b64json";
		}

		@Override
		public String contentType() {
			return "application/x-b64json";
		}

		@Override
		public String contentEncoding() {
			return "utf-8";
		}

		@Override
		public byte[] encode(@Nullable Object value) {
			return Base64.getEncoder().encode(this.json.encode(value));
		}

		@Override
		public @Nullable Object decode(byte[] data) {
			return this.json.decode(Base64.getDecoder().decode(data));
		}

	}

}
