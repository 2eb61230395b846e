package dev.taskqueue.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.LogCapture;
import dev.taskqueue.support.Stack;
import dev.taskqueue.worker.internal.RepublishDeadLetterRecoverer;
import dev.taskqueue.worker.DeadLetterHeaders;
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
 * Messages a worker cannot accept are never run, never requeued in a loop, and never
 * lost: they go to {@code <queue>.dlq} with the reason, and a FAILURE result says why
 * when the id is known.
 */
class RejectedMessageIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final Tasks tasks = new Tasks();

	private Stack stack;

	private RabbitTemplate raw;

	private String queue;

	private LogCapture log;

	@BeforeEach
	void start() {
		this.log = LogCapture.of(RepublishDeadLetterRecoverer.class);
		this.stack = Stack.builder().tasks(this.tasks).build();
		this.queue = this.stack.defaultQueue;
		this.stack.startWorker(this.queue);
		this.raw = new RabbitTemplate(this.stack.rabbit);
		this.raw.setReceiveTimeout(TIMEOUT.toMillis());
	}

	@AfterEach
	void stop() {
		this.log.close();
		this.stack.close();
	}

	@Test
	void unknownTaskIsDeadLetteredWithAFailureResult() {
		TaskResult result = this.stack.client.send("test.no-such-task", 1);
		Message dead = this.raw.receive(this.queue + QueueDeclarer.DLQ_SUFFIX, TIMEOUT.toMillis());
		assertThat(dead).isNotNull();
		assertThat(reason(dead))
			.isEqualTo("Task 'test.no-such-task' is not registered on worker test-worker@localhost");
		assertThat(dead.getMessageProperties().getHeaders()).containsEntry("id", result.getId())
			.containsEntry(DeadLetterHeaders.ORIGINAL_QUEUE, this.queue)
			.containsEntry(DeadLetterHeaders.WORKER, "test-worker@localhost");
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
		this.raw.send("", this.queue,
				new Message("[[1, 2], {}".getBytes(StandardCharsets.UTF_8), celeryProperties(id, "test.add")));
		Message dead = this.raw.receive(this.queue + QueueDeclarer.DLQ_SUFFIX, TIMEOUT.toMillis());
		assertThat(dead).isNotNull();
		assertThat(reason(dead)).startsWith("body is not valid JSON");
		assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("[[1, 2], {}");
		assertFailureStored(id, "InvalidTaskError");
		assertLoggedAndStillServing(id);
		assertThat(this.tasks.calls).isEmpty();
		assertNotRequeued();
	}

	@Test
	void bodyOfTheWrongShapeIsDeadLettered() {
		String id = UUID.randomUUID().toString();
		this.raw.send("", this.queue,
				new Message("{\"args\": [1, 2]}".getBytes(StandardCharsets.UTF_8), celeryProperties(id, "test.add")));
		Message dead = this.raw.receive(this.queue + QueueDeclarer.DLQ_SUFFIX, TIMEOUT.toMillis());
		assertThat(dead).isNotNull();
		assertThat(reason(dead)).isEqualTo("body must be a JSON array [args, kwargs, embed], got an object");
		assertFailureStored(id, "InvalidTaskError");
		assertLoggedAndStillServing(id);
		assertThat(this.tasks.calls).isEmpty();
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

	@Test
	void wrongTypesInsideEmbedAreDeadLetteredWithAFailureResult() {
		String id = UUID.randomUUID().toString();
		send(id, "test.add", "[[1, 2], {}, {\"callbacks\": \"test.add\", \"errbacks\": null, \"chain\": null, "
				+ "\"chord\": null}]");
		assertRejected(id, "embed 'callbacks' must be an array of signatures or null, got a string",
				"InvalidTaskError");
		send(UUID.randomUUID().toString(), "test.add", "[[1, 2], {}, {\"callbacks\": [42]}]");
		assertThat(reason(deadLetter()))
			.isEqualTo("a signature in embed must be an object with a 'task' name, got a number");
		assertThat(this.tasks.calls).isEmpty();
	}

	@Test
	void bodyLargerThanTheMaximumIsDeadLetteredUnread() {
		String id = UUID.randomUUID().toString();
		// Valid JSON a parser would have to read through: 20 MB of args.
		StringBuilder body = new StringBuilder(21 * 1024 * 1024).append("[[\"");
		body.append("x".repeat(20 * 1024 * 1024)).append("\"], {}, null]");
		send(id, "test.concat", body.toString());
		Message dead = deadLetter();
		assertThat(reason(dead)).isEqualTo("message body of " + body.length() + " bytes exceeds the limit of "
				+ (10 * 1024 * 1024) + " bytes (taskqueue.worker.max-message-size)");
		assertThat(dead.getBody()).hasSize(body.length());
		assertFailureStored(id, "InvalidTaskError");
		assertLoggedAndStillServing(id);
		assertNotRequeued();
	}

	@Test
	void headerOfTheWrongAmqpTypeIsDeadLetteredWithAFailureResult() {
		String id = UUID.randomUUID().toString();
		MessageProperties props = celeryProperties(id, "test.add");
		props.setHeader("retries", "1");
		this.raw.send("", this.queue, new Message("[[1, 2], {}, null]".getBytes(StandardCharsets.UTF_8), props));
		assertRejected(id, "header 'retries' must be an integer, got a string", "InvalidTaskError");
		props = celeryProperties(UUID.randomUUID().toString(), "test.add");
		props.setHeader("timelimit", "10");
		this.raw.send("", this.queue, new Message("[[1, 2], {}, null]".getBytes(StandardCharsets.UTF_8), props));
		assertThat(reason(deadLetter()))
			.isEqualTo("header 'timelimit' must be a list of two numbers or nulls, got a string");
		assertThat(this.tasks.calls).isEmpty();
	}

	@Test
	void taskNameWithControlCharactersIsDeadLetteredWithAFailureResult() {
		String id = UUID.randomUUID().toString();
		send(id, "test.add\r\nX-Injected: 1", "[[1, 2], {}, null]");
		assertRejected(id, "invalid task name 'test.add\\r\\nX-Injected: 1'", "InvalidTaskError");
		assertThat(this.tasks.calls).isEmpty();
	}

	@Test
	void pickleIsDeadLetteredWithAnErrorLogLine() {
		String id = UUID.randomUUID().toString();
		MessageProperties props = celeryProperties(id, "test.add");
		props.setContentType("application/x-python-serialize");
		// A pickle that would run os.system if it were ever unpickled.
		this.raw.send("", this.queue,
				new Message("cos\nsystem\n(S'touch /tmp/pwned'\ntR.".getBytes(StandardCharsets.UTF_8), props));
		assertRejected(id, "content type 'application/x-python-serialize' is not accepted", "ContentDisallowed");
		assertThat(this.tasks.calls).isEmpty();
	}

	@Test
	void unknownTaskIsLoggedWithItsIdAndTheWorkerKeepsServing() {
		String id = UUID.randomUUID().toString();
		send(id, "test.no-such-task", "[[1, 2], {}, null]");
		assertRejected(id, "Task 'test.no-such-task' is not registered", "NotRegistered");
	}

	private void send(String id, String task, String body) {
		this.raw.send("", this.queue, new Message(body.getBytes(StandardCharsets.UTF_8), celeryProperties(id, task)));
	}

	private Message deadLetter() {
		Message dead = this.raw.receive(this.queue + QueueDeclarer.DLQ_SUFFIX, TIMEOUT.toMillis());
		assertThat(dead).as("a message in " + this.queue + QueueDeclarer.DLQ_SUFFIX).isNotNull();
		return dead;
	}

	/**
	 * Everything a rejected message must give: one dead letter with the reason, a FAILURE
	 * result, an error log line naming the id, a worker that still serves, and no
	 * redelivery.
	 */
	private void assertRejected(String id, String reasonPrefix, String exceptionType) {
		Message dead = deadLetter();
		assertThat(reason(dead)).startsWith(reasonPrefix);
		assertThat(dead.getMessageProperties().getHeaders()).containsEntry(DeadLetterHeaders.ORIGINAL_QUEUE,
				this.queue);
		assertFailureStored(id, exceptionType);
		assertLoggedAndStillServing(id);
		assertNotRequeued();
	}

	private void assertFailureStored(String id, String exceptionType) {
		await().atMost(TIMEOUT).until(() -> this.stack.client.result(id).getState() == TaskState.FAILURE);
		assertThat(((dev.taskqueue.result.ExceptionInfo) this.stack.client.result(id).getInfo()).type())
			.isEqualTo(exceptionType);
	}

	private void assertLoggedAndStillServing(String id) {
		assertThat(this.log.messages(Level.ERROR))
			.anySatisfy((line) -> assertThat(line).contains(id).contains("Rejected message"));
		// test.concat records no call, so tests can still assert that nothing else ran.
		assertThat(this.stack.client.send("test.concat", "still ", "serving").get(TIMEOUT)).isEqualTo("still serving");
	}

	private void assertNotRequeued() {
		await().atMost(TIMEOUT).untilAsserted(() -> {
			var info = this.stack.admin().getQueueInfo(this.queue);
			assertThat(info.getMessageCount()).isZero();
		});
		// Nothing more arrives in the dead-letter queue: the message was handled exactly
		// once.
		assertThat(this.raw.receive(this.queue + QueueDeclarer.DLQ_SUFFIX, 500)).isNull();
	}

	private static String reason(Message message) {
		return String.valueOf(message.getMessageProperties().getHeaders().get(DeadLetterHeaders.REASON));
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
