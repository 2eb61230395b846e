package dev.taskqueue.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.taskqueue.broker.QueueDeclarer;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Messages a worker cannot accept are never run, never requeued in a loop, and never lost: they
 * go to {@code <queue>.dlq} with the reason, and a FAILURE result says why when the id is known.
 */
class RejectedMessageIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final Tasks tasks = new Tasks();

	private Stack stack;

	private RabbitTemplate raw;

	private String queue;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(this.tasks).build();
		this.queue = this.stack.defaultQueue;
		this.stack.startWorker(this.queue);
		this.raw = new RabbitTemplate(this.stack.rabbit);
		this.raw.setReceiveTimeout(TIMEOUT.toMillis());
	}

	@AfterEach
	void stop() {
		this.stack.close();
	}

	@Test
	void unknownTaskIsDeadLetteredWithAFailureResult() {
		TaskResult result = this.stack.client.send("test.no-such-task", 1);
		Message dead = this.raw.receive(this.queue + QueueDeclarer.DLQ_SUFFIX, TIMEOUT.toMillis());
		assertThat(dead).isNotNull();
		assertThat(reason(dead)).isEqualTo("Task 'test.no-such-task' is not registered on worker test-worker@localhost");
		assertThat(dead.getMessageProperties().getHeaders()).containsEntry("id", result.getId())
			.containsEntry(TaskMessageListener.ORIGINAL_QUEUE_HEADER, this.queue)
			.containsEntry(TaskMessageListener.WORKER_HEADER, "test-worker@localhost");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("NotRegistered");
			assertThat(ex.getExceptionModule()).isEqualTo("celery.exceptions");
		});
		assertNotRequeued();
	}

	@Test
	void disallowedContentTypeIsNeverDeserialized() {
		String id = UUID.randomUUID().toString();
		MessageProperties props = celeryProperties(id, "test.add");
		props.setContentType("application/x-python-serialize");
		this.raw.send("", this.queue, new Message("\u0080\u0004K\u0001.".getBytes(StandardCharsets.ISO_8859_1), props));
		Message dead = this.raw.receive(this.queue + QueueDeclarer.DLQ_SUFFIX, TIMEOUT.toMillis());
		assertThat(dead).isNotNull();
		assertThat(reason(dead)).startsWith("content type 'application/x-python-serialize' is not accepted");
		await().atMost(TIMEOUT).until(() -> this.stack.client.result(id).getState() == TaskState.FAILURE);
		TaskResult result = this.stack.client.result(id);
		assertThat(result.getState()).isEqualTo(TaskState.FAILURE);
		assertThat(((dev.taskqueue.result.ExceptionInfo) result.getInfo()).type()).isEqualTo("ContentDisallowed");
		assertThat(this.tasks.calls).isEmpty();
		assertNotRequeued();
	}

	@Test
	void malformedBodyIsDeadLetteredWithAFailureResult() {
		String id = UUID.randomUUID().toString();
		this.raw.send("", this.queue, new Message("[[1, 2], {}".getBytes(StandardCharsets.UTF_8), celeryProperties(id, "test.add")));
		Message dead = this.raw.receive(this.queue + QueueDeclarer.DLQ_SUFFIX, TIMEOUT.toMillis());
		assertThat(dead).isNotNull();
		assertThat(reason(dead)).startsWith("body is not valid JSON");
		assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("[[1, 2], {}");
		await().atMost(TIMEOUT).until(() -> this.stack.client.result(id).getState() == TaskState.FAILURE);
		assertThat(this.tasks.calls).isEmpty();
		assertNotRequeued();
	}

	@Test
	void bodyOfTheWrongShapeIsDeadLettered() {
		String id = UUID.randomUUID().toString();
		this.raw.send("", this.queue, new Message("{\"args\": [1, 2]}".getBytes(StandardCharsets.UTF_8), celeryProperties(id, "test.add")));
		Message dead = this.raw.receive(this.queue + QueueDeclarer.DLQ_SUFFIX, TIMEOUT.toMillis());
		assertThat(dead).isNotNull();
		assertThat(reason(dead)).isEqualTo("body must be a JSON array [args, kwargs, embed], got an object");
		assertNotRequeued();
	}

	@Test
	void messageWithoutTaskHeadersIsDeadLetteredWithoutAResult() {
		MessageProperties props = new MessageProperties();
		props.setContentType("application/json");
		this.raw.send("", this.queue, new Message("{\"task\": \"test.add\"}".getBytes(StandardCharsets.UTF_8), props));
		Message dead = this.raw.receive(this.queue + QueueDeclarer.DLQ_SUFFIX, TIMEOUT.toMillis());
		assertThat(dead).isNotNull();
		assertThat(reason(dead)).startsWith("not a Celery protocol v2 message");
		assertNotRequeued();
	}

	@Test
	void workerKeepsServingAfterRejectingMessages() {
		this.stack.client.send("test.no-such-task");
		assertThat(this.raw.receive(this.queue + QueueDeclarer.DLQ_SUFFIX, TIMEOUT.toMillis())).isNotNull();
		assertThat(this.stack.client.send("test.add", 1, 2).get(TIMEOUT)).isEqualTo(3);
	}

	private void assertNotRequeued() {
		await().atMost(TIMEOUT).untilAsserted(() -> {
			var info = this.stack.admin().getQueueInfo(this.queue);
			assertThat(info.getMessageCount()).isZero();
		});
		// Nothing more arrives in the dead-letter queue: the message was handled exactly once.
		assertThat(this.raw.receive(this.queue + QueueDeclarer.DLQ_SUFFIX, 500)).isNull();
	}

	private static String reason(Message message) {
		return String.valueOf(message.getMessageProperties().getHeaders().get(TaskMessageListener.REASON_HEADER));
	}

	private static MessageProperties celeryProperties(String id, String task) {
		MessageProperties props = new MessageProperties();
		props.setContentType("application/json");
		props.setContentEncoding("utf-8");
		props.setCorrelationId(id);
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("lang", "py");
		headers.put("task", task);
		headers.put("id", id);
		headers.put("root_id", id);
		headers.put("retries", 0);
		headers.forEach(props::setHeader);
		return props;
	}

}
