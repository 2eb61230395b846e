package dev.taskqueue.worker;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.RedisResultBackend;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import dev.taskqueue.worker.DeadLetterHeaders;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.data.redis.connection.RedisConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Serializers and compression between a real client, broker, worker and Redis: per-send
 * and per-task choices, results in the result serializer, a retry in the message's own
 * format, and a content type the worker does not accept dead-lettered unread.
 */
class SerializationIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private final SerialTasks tasks = new SerialTasks();

	private @Nullable Stack stack;

	@AfterEach
	void stop() {
		if (this.stack != null) {
			this.stack.close();
		}
	}

	static class SerialTasks {

		final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();

		@QueueTask("serial.echo")
		Map<String, @Nullable Object> echo(Object value, TaskContext context) {
			this.calls.add("echo");
			Map<String, @Nullable Object> seen = new LinkedHashMap<>();
			seen.put("value", value);
			seen.put("type", value.getClass().getSimpleName());
			seen.put("serializer", context.getContentType());
			seen.put("compression", context.getCompression());
			seen.put("retries", context.getRetries());
			return seen;
		}

		@QueueTask(value = "serial.packed", serializer = "msgpack")
		String packed(String text, TaskContext context) {
			this.calls.add("packed");
			return text + " via " + context.getContentType();
		}

		@QueueTask("serial.retry-once")
		String retryOnce(TaskContext context) {
			if (context.getRetries() == 0) {
				throw context.retry(Duration.ofMillis(50), new IllegalStateException("once more"));
			}
			return context.getContentType() + " " + context.getCompression();
		}

		@QueueTask("serial.add")
		int add(int x, int y) {
			this.calls.add("add");
			return x + y;
		}

	}

	@Test
	void msgpackWithCompressionChosenPerSendRunsAndTheResultIsStoredInMsgpack() {
		this.stack = Stack.builder().tasks(this.tasks).accept("json", "msgpack").resultSerializer("msgpack").build();
		this.stack.startWorker(this.stack.defaultQueue);
		List<Object> value = new ArrayList<>(
				List.of(1, "中文 😀", BigInteger.TWO.pow(64).subtract(BigInteger.ONE), List.of(2.5, Map.of("k", true))));
		TaskResult result = this.stack.client.send(TaskRequest.builder("serial.echo")
			.args(List.of(value))
			.serializer("msgpack")
			.compression("gzip")
			.build());
		Map<?, ?> seen = (Map<?, ?>) result.get(TIMEOUT);
		assertThat(seen.get("value")).isEqualTo(value);
		assertThat(seen.get("serializer")).isEqualTo("application/x-msgpack");
		assertThat(seen.get("compression")).isEqualTo("application/x-gzip");
		byte[] stored = storedValue(result.getId());
		assertThat(stored[0] & 0xf0).as("a msgpack map, not JSON text").isEqualTo(0x80);
	}

	@Test
	void bytesCrossMsgpackAsBytes() {
		this.stack = Stack.builder()
			.tasks(this.tasks)
			.accept("msgpack")
			.serializer("msgpack")
			.resultSerializer("msgpack")
			.build();
		this.stack.startWorker(this.stack.defaultQueue);
		Map<?, ?> seen = (Map<?, ?>) this.stack.client.send("serial.echo", (Object) new byte[] { 0, -1, 7 })
			.get(TIMEOUT);
		assertThat(seen.get("type")).isEqualTo("byte[]");
		assertThat((byte[]) seen.get("value")).containsExactly(0, -1, 7);
	}

	@Test
	void taskAnnotationChoosesTheSerializerAndASendOverridesIt() {
		String parked = Infrastructure.unique("serial-parked");
		this.stack = Stack.builder()
			.tasks(this.tasks)
			.accept("json", "msgpack")
			.route("serial.packed", Route.toQueue(parked))
			.build();
		RabbitTemplate raw = new RabbitTemplate(this.stack.rabbit);
		this.stack.client.send("serial.packed", "a");
		Message annotated = raw.receive(parked, TIMEOUT.toMillis());
		assertThat(annotated).isNotNull();
		assertThat(annotated.getMessageProperties().getContentType()).isEqualTo("application/x-msgpack");
		assertThat(annotated.getMessageProperties().getContentEncoding()).isEqualTo("binary");
		this.stack.client.send(TaskRequest.builder("serial.packed").args("b").serializer("json").build());
		Message overridden = raw.receive(parked, TIMEOUT.toMillis());
		assertThat(overridden).isNotNull();
		assertThat(overridden.getMessageProperties().getContentType()).isEqualTo("application/json");
		assertThat(new String(overridden.getBody(), StandardCharsets.UTF_8)).startsWith("[[\"b\"], {}, ");
		this.stack.client.send("serial.add", 1, 2);
		this.stack.startWorker(this.stack.defaultQueue);
		// A task without a serializer of its own goes in the client's default.
		await().atMost(TIMEOUT).until(() -> this.tasks.calls.contains("add"));
	}

	@Test
	void annotatedTaskRunsOnAWorkerThatAcceptsIt() {
		this.stack = Stack.builder().tasks(this.tasks).accept("json", "msgpack").build();
		this.stack.startWorker(this.stack.defaultQueue);
		assertThat(this.stack.client.send("serial.packed", "x").get(TIMEOUT)).isEqualTo("x via application/x-msgpack");
	}

	@Test
	void aRetryIsSentInTheMessagesOwnSerializerAndCompression() {
		this.stack = Stack.builder().tasks(this.tasks).accept("json", "msgpack").build();
		this.stack.startWorker(this.stack.defaultQueue);
		TaskResult result = this.stack.client
			.send(TaskRequest.builder("serial.retry-once").serializer("msgpack").compression("zlib").build());
		assertThat(result.get(TIMEOUT)).isEqualTo("application/x-msgpack application/x-gzip");
	}

	@Test
	void msgpackMessageToAWorkerThatAcceptsOnlyJsonIsDeadLetteredUnread() {
		this.stack = Stack.builder().tasks(this.tasks).build();
		String queue = this.stack.defaultQueue;
		this.stack.startWorker(queue);
		TaskResult result = this.stack.client
			.send(TaskRequest.builder("serial.add").args(1, 2).serializer("msgpack").build());
		RabbitTemplate raw = new RabbitTemplate(this.stack.rabbit);
		Message dead = raw.receive(queue + QueueDeclarer.DLQ_SUFFIX, TIMEOUT.toMillis());
		assertThat(dead).isNotNull();
		assertThat(String.valueOf(dead.getMessageProperties().getHeaders().get(DeadLetterHeaders.REASON)))
			.startsWith("content type 'application/x-msgpack' is not accepted");
		assertThat(dead.getMessageProperties().getContentType()).isEqualTo("application/x-msgpack");
		await().atMost(TIMEOUT).until(() -> result.getState() == TaskState.FAILURE);
		assertThat(((ExceptionInfo) result.getInfo()).type()).isEqualTo("ContentDisallowed");
		assertThat(this.tasks.calls).isEmpty();
	}

	private byte[] storedValue(String taskId) {
		try (RedisConnection connection = this.stack.redis.getConnection()) {
			byte[] value = connection.stringCommands()
				.get((RedisResultBackend.TASK_KEY_PREFIX + taskId).getBytes(StandardCharsets.UTF_8));
			assertThat(value).isNotNull();
			return value;
		}
	}

}
