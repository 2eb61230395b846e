package dev.taskqueue.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.support.Stack;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.internal.QueueTaskBeanPostProcessor;
import dev.taskqueue.worker.DeadLetterHeaders;
import dev.taskqueue.worker.internal.TaskMethod;
import dev.taskqueue.worker.internal.TaskRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A message chooses a registered task by name and nothing else: not a bean, not a class,
 * not a method, and its argument values never pick the classes Jackson creates.
 */
class MessagesCannotChooseClassesIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final Probe probe = new Probe();

	private Stack stack;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(this.probe).build();
		this.stack.startWorker(this.stack.defaultQueue);
	}

	@AfterEach
	void stop() {
		this.stack.close();
	}

	@Test
	void namesOfClassesBeansAndMethodsThatAreNotRegisteredTasksAreRefused() {
		RabbitTemplate raw = new RabbitTemplate(this.stack.rabbit);
		for (String name : List.of(Probe.class.getName() + ".typeOf", "java.lang.Runtime.exec", "java.lang.System.exit",
				"bean0", "probe", "typeOf")) {
			TaskResult result = this.stack.client.send(name, "id");
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
				.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("NotRegistered"));
			Message dead = raw.receive(this.stack.defaultQueue + QueueDeclarer.DLQ_SUFFIX, TIMEOUT.toMillis());
			assertThat(dead).isNotNull();
			assertThat(dead.getMessageProperties().getHeaders().get(DeadLetterHeaders.REASON))
				.isEqualTo("Task '" + name + "' is not registered on worker test-worker@localhost");
		}
		assertThat(this.probe.calls).isEmpty();
	}

	@Test
	void argumentsThatNameClassesStayPlainJson() {
		Map<String, Object> classKey = Map.of("@class", "java.io.File", "path", "/etc/passwd");
		List<Object> wrapperArray = List.of("java.net.URL", "http://example.com");
		Map<String, Object> typeKey = Map.of("@type", "java.lang.ProcessBuilder", "command", List.of("id"));
		assertThat(this.stack.client.send("probe.type-of", classKey).get(TIMEOUT)).isEqualTo("java.util.LinkedHashMap");
		assertThat(this.stack.client.send("probe.type-of", wrapperArray).get(TIMEOUT)).isEqualTo("java.util.ArrayList");
		assertThat(this.stack.client.send("probe.type-of", typeKey).get(TIMEOUT)).isEqualTo("java.util.LinkedHashMap");
		assertThat(this.stack.client.send("probe.map-value", classKey).get(TIMEOUT)).isEqualTo("/etc/passwd");
	}

	@Test
	void aMapperWithDefaultTypingIsUsedWithoutIt() throws Throwable {
		JsonMapper unsafe = JsonMapper.builder()
			.activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build(),
					DefaultTyping.NON_FINAL)
			.build();
		TaskMessageCodec codec = new TaskMessageCodec(unsafe, List.of("json"));
		MessageProperties props = new MessageProperties();
		props.setContentType("application/json");
		props.setHeader("id", UUID.randomUUID().toString());
		props.setHeader("task", "probe.type-of");
		TaskMessage message = codec.decode(props,
				"[[[\"java.io.File\", \"/etc/passwd\"]], {}, null]".getBytes(StandardCharsets.UTF_8));
		TaskRegistry registry = new TaskRegistry();
		new QueueTaskBeanPostProcessor(registry, codec.mapper()).postProcessAfterInitialization(new Probe(), "probe");
		TaskMethod method = registry.get("probe.type-of");
		Object[] values = method.bind(message.args(), message.kwargs(), codec.mapper(), null, (id) -> null);
		assertThat(values[0]).isInstanceOf(List.class);
		assertThat(method.invoke(values)).isEqualTo("java.util.ArrayList");
	}

	static class Probe {

		final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();

		@QueueTask("probe.type-of")
		String typeOf(Object value) {
			this.calls.add("typeOf");
			return value.getClass().getName();
		}

		@QueueTask("probe.map-value")
		String mapValue(Map<String, String> value) {
			this.calls.add("mapValue");
			return value.get("path");
		}

	}

}
