package dev.taskqueue.protocol.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.taskqueue.support.CeleryVectors;
import dev.taskqueue.support.CeleryVectors.MessageVector;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageProperties;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Messages that are not valid Celery protocol v2 JSON task messages are refused with an
 * {@link InvalidMessageException} that says what is wrong and names the task when it can.
 * Each case starts from Celery's own {@code add.delay(2, 3)} message and breaks one
 * thing.
 */
class TaskMessageDecodingErrorTests {

	private static final String ID = "dbcdb8e7-795b-4c45-9b01-2a31322cf79c";

	private static final String EMBED = "{\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}";

	private final TaskMessageCodec codec = new TaskMessageCodec(JsonMapper.builder().build(), List.of("json"));

	private final MessageVector delay = CeleryVectors.first("delay");

	@Test
	void pickleContentTypeIsNotAccepted() {
		MessageProperties properties = properties();
		properties.setContentType("application/x-python-serialize");
		refused(properties, this.delay.bodyText()).withMessageContaining("'application/x-python-serialize'")
			.withMessageContaining("not accepted")
			.withMessageContaining("application/json")
			.satisfies((ex) -> {
				assertThat(ex.getTaskId()).isEqualTo(ID);
				assertThat(ex.getTaskName()).isEqualTo("tasks.add");
			});
	}

	@Test
	void bodyThatIsNotJsonIsRefused() {
		refused(properties(), "(lp0\nI2\naI3\na.").withMessageStartingWith("body is not valid JSON");
	}

	@Test
	void bodyThatIsAnObjectIsRefused() {
		refused(properties(), "{\"args\": [2, 3]}")
			.withMessage("body must be a JSON array [args, kwargs, embed], got an object");
	}

	@Test
	void bodyWithTwoElementsIsRefused() {
		refused(properties(), "[[2, 3], {}]")
			.withMessage("body must be a JSON array [args, kwargs, embed], got an array of 2");
	}

	@Test
	void argsThatAreNotAListAreRefused() {
		refused(properties(), "[{\"x\": 2}, {}, " + EMBED + "]")
			.withMessage("args (body[0]) must be a JSON array, got an object");
	}

	@Test
	void kwargsThatAreNotAnObjectAreRefused() {
		refused(properties(), "[[2], [3], " + EMBED + "]")
			.withMessage("kwargs (body[1]) must be a JSON object, got an array of 1");
	}

	@Test
	void embedThatIsNotAnObjectIsRefused() {
		refused(properties(), "[[2, 3], {}, \"tasks.add\"]")
			.withMessage("embed (body[2]) must be a JSON object or null, got a string");
	}

	@Test
	void callbacksThatAreNotAListAreRefused() {
		refused(properties(),
				"[[2, 3], {}, {\"callbacks\": \"tasks.add\", \"errbacks\": null, \"chain\": null, "
						+ "\"chord\": null}]")
			.withMessage("embed 'callbacks' must be an array of signatures or null, got a string");
	}

	@Test
	void chordThatIsNotASignatureIsRefused() {
		refused(properties(),
				"[[2, 3], {}, {\"callbacks\": null, \"errbacks\": null, \"chain\": null, "
						+ "\"chord\": {\"args\": []}}]")
			.withMessage("a signature in embed must be an object with a 'task' name, got an object");
	}

	@Test
	void retriesAsAStringAreRefused() {
		MessageProperties properties = properties();
		properties.setHeader("retries", "1");
		refused(properties, this.delay.bodyText()).withMessage("header 'retries' must be an integer, got a string");
	}

	@Test
	void etaThatIsNotIsoIsRefused() {
		MessageProperties properties = properties();
		properties.setHeader("eta", "tomorrow at noon");
		refused(properties, this.delay.bodyText())
			.withMessage("header 'eta' is not an ISO-8601 time: 'tomorrow at noon'");
	}

	/** Protocol v1 kept the task name and id in the body, not in headers. */
	@Test
	void protocolV1MessageWithoutTaskHeaderIsRefused() {
		MessageProperties properties = properties();
		properties.getHeaders().remove("task");
		String v1Body = "{\"task\": \"tasks.add\", \"id\": \"" + ID + "\", \"args\": [2, 3], \"kwargs\": {}}";
		refused(properties, v1Body).withMessageContaining("not a Celery protocol v2 message")
			.withMessageContaining("'task'")
			.withMessageContaining("protocol v1 is not supported")
			.satisfies((ex) -> assertThat(ex.getTaskId()).isEqualTo(ID));
	}

	@Test
	void taskNameWithControlCharactersIsRefusedAndShownEscaped() {
		MessageProperties properties = properties();
		properties.setHeader("task", "tasks.add\n\u0007");
		refused(properties, this.delay.bodyText()).withMessage("invalid task name 'tasks.add\\n\\x07'")
			.satisfies((ex) -> assertThat(ex.getTaskId()).isEqualTo(ID));
	}

	@Test
	void bodyOverTheSizeLimitIsRefusedBeforeItIsParsed() {
		// Not JSON at all: only a size check that comes first can give this reason.
		byte[] body = "(lp0\nI2\naI3\na.".getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> this.codec.decode(properties(), body, body.length - 1))
			.withMessage("message body of " + body.length + " bytes exceeds the limit of " + (body.length - 1)
					+ " bytes (taskqueue.worker.max-message-size)")
			.satisfies((ex) -> {
				assertThat(ex.getTaskId()).isEqualTo(ID);
				assertThat(ex.getTaskName()).isEqualTo("tasks.add");
			});
		assertThat(this.codec
			.decode(properties(), this.delay.bodyText().getBytes(StandardCharsets.UTF_8),
					this.delay.bodyText().getBytes(StandardCharsets.UTF_8).length)
			.task()).isEqualTo("tasks.add");
	}

	@Test
	void bodyErrorsNameTheTask() {
		refused(properties(), "[]").satisfies((ex) -> {
			assertThat(ex.getTaskId()).isEqualTo(ID);
			assertThat(ex.getTaskName()).isEqualTo("tasks.add");
		});
	}

	private MessageProperties properties() {
		return this.delay.messageProperties();
	}

	private ThrowableAssertAlternative<InvalidMessageException> refused(MessageProperties properties, String body) {
		return assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> this.codec.decode(properties, body.getBytes(StandardCharsets.UTF_8)));
	}

}
