package dev.taskqueue.worker;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.support.CeleryVectors;
import dev.taskqueue.support.CeleryVectors.MessageVector;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workflows stamped by a Celery 5.3+ client ({@code canvas.stamp(mystamp='v1')}) keep
 * their stamps through a Java worker: the steps, callbacks and errbacks it publishes
 * carry the {@code stamped_headers} and {@code stamps} headers, and its extended results
 * store them as Celery 5.6 does.
 * <p>
 * Debian's Celery 5.2.6 cannot stamp (stamping came with 5.3), so the messages are
 * Celery's own captured messages ({@code chain_3}, {@code link}) stamped the way Celery
 * 5.6 writes a stamped canvas: the first message's {@code stamped_headers} and
 * {@code stamps} headers (after {@code replaced_task_nesting}), and in every embedded
 * signature's options {@code stamped_headers} plus one option per stamp.
 */
class StampedWorkflowIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final Pattern UUID_PATTERN = Pattern
		.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	private final CanvasTasks tasks = new CanvasTasks();

	private final Map<String, String> ids = new HashMap<>();

	private final String captured = Infrastructure.unique("stamped-next");

	private Stack stack;

	private StringRedisTemplate redis;

	@AfterEach
	void stop() {
		this.stack.close();
	}

	@Test
	void chainStepsPublishedByTheWorkerKeepTheStampsAndResultsStoreThem() {
		// chain(add.s(1, 2), add.s(3), mul.s(4)).stamp(mystamp='v1'): the last step
		// goes to a queue no worker reads, to see the message the Java worker sent.
		start("tasks.mul");
		String mulId = fresh("37995427-70f4-442b-85f2-ffd0617358a2");
		ObjectNode message = stampedVector("chain_3");
		((ObjectNode) message.at("/body_json/2/chain/0")).put("task", "tasks.mul");
		publish(message);

		Message next = new RabbitTemplate(this.stack.rabbit).receive(this.captured, TIMEOUT.toMillis());

		assertThat(next).isNotNull();
		Map<String, Object> headers = next.getMessageProperties().getHeaders();
		assertThat(headers.get("id")).isEqualTo(mulId);
		assertThat(headers.get("stamped_headers")).isEqualTo(List.of("mystamp"));
		assertThat(headers.get("stamps")).isEqualTo(Map.of("mystamp", "v1"));
		assertThat(headers).doesNotContainKey("mystamp");
		// The middle step was published by the Java worker as well, and ran there: its
		// stored result carries the stamps, so they were on its message.
		String first = fresh("5ce6da98-5916-407e-83c2-40b05be27128");
		String middle = fresh("b4eec005-195a-4c05-aa3d-d21bbebc20c6");
		for (String id : List.of(first, middle)) {
			String stored = stored(id);
			assertThat(stored).contains("\"queue\": \"" + this.stack.defaultQueue
					+ "\", \"stamped_headers\": [\"mystamp\"], \"mystamp\": \"v1\", \"task_id\": \"" + id + "\"}");
		}
	}

	@Test
	void callbackAndErrbackPublishedByTheWorkerKeepTheStamps() {
		start("tasks.error_handler", "tasks.add_on");
		// add.apply_async((2, 2), link=add_on.s(10)), all stamped.
		ObjectNode link = stampedVector("link");
		((ObjectNode) link.at("/body_json/2/callbacks/0")).put("task", "tasks.add_on");
		publish(link);
		// divide.apply_async((1, 0), link_error=error_handler.s()), all stamped.
		ObjectNode failing = stampedVector("link");
		failing.set("body_json",
				CeleryVectors.mapper()
					.readTree("[[1, 0], {}, {\"callbacks\": null, \"errbacks\": [{\"task\": \"tasks.error_handler\", "
							+ "\"args\": [], \"kwargs\": {}, \"options\": {}, \"subtask_type\": null, "
							+ "\"immutable\": false}], \"chain\": null, \"chord\": null}]"));
		stampSignatures(failing.at("/body_json/2"));
		((ObjectNode) failing.get("headers")).put("task", "tasks.divide").put("id", UUID.randomUUID().toString());
		publish(failing);

		RabbitTemplate rabbit = new RabbitTemplate(this.stack.rabbit);
		for (int i = 0; i < 2; i++) {
			Message sent = rabbit.receive(this.captured, TIMEOUT.toMillis());
			assertThat(sent).isNotNull();
			Map<String, Object> headers = sent.getMessageProperties().getHeaders();
			assertThat(headers.get("task")).isIn("tasks.add_on", "tasks.error_handler");
			assertThat(headers.get("stamped_headers")).isEqualTo(List.of("mystamp"));
			assertThat(headers.get("stamps")).isEqualTo(Map.of("mystamp", "v1"));
		}
	}

	private void start(String... capturedTasks) {
		Stack.Builder builder = Stack.builder().tasks(this.tasks).deleteOnClose(this.captured);
		for (String task : capturedTasks) {
			builder.route(task, Route.toQueue(this.captured));
		}
		this.stack = builder.build();
		this.stack.declarer.declareQueue(this.captured);
		this.stack
			.startWorker(this.stack.settingsBuilder(List.of(this.stack.defaultQueue)).extendedResults(true).build());
		this.redis = new StringRedisTemplate(this.stack.redis);
	}

	/** A captured Celery message with fresh ids, stamped as Celery 5.6 stamps one. */
	private ObjectNode stampedVector(String name) {
		MessageVector vector = CeleryVectors.first(name);
		ObjectNode json = (ObjectNode) CeleryVectors.mapper().readTree(freshIds(vector.json().toString()));
		stampSignatures(json.at("/body_json/2"));
		return json;
	}

	private static void stampSignatures(JsonNode embed) {
		for (String field : List.of("callbacks", "errbacks", "chain")) {
			for (JsonNode signature : embed.path(field)) {
				ObjectNode options = (ObjectNode) signature.get("options");
				options.putArray("stamped_headers").add("mystamp");
				options.put("mystamp", "v1");
			}
		}
	}

	private void publish(ObjectNode json) {
		MessageVector vector = new MessageVector("stamped", 0, json);
		AMQP.BasicProperties properties = vector.basicPropertiesFromJson();
		Map<String, Object> headers = new LinkedHashMap<>(properties.getHeaders());
		json.get("headers").properties().forEach((header) -> {
			if (header.getValue().isString()) {
				headers.put(header.getKey(), LongStringHelper.asLongString(header.getValue().asString()));
			}
		});
		headers.put("replaced_task_nesting", 0);
		headers.put(TaskMessage.STAMPED_HEADERS, List.of(LongStringHelper.asLongString("mystamp")));
		headers.put(TaskMessage.STAMPS, Map.of("mystamp", LongStringHelper.asLongString("v1")));
		byte[] body = CeleryVectors.mapper().writeValueAsBytes(json.get("body_json"));
		this.stack.publisher.publish("", this.stack.defaultQueue, properties.builder().headers(headers).build(), body);
	}

	private String stored(String id) {
		String key = "celery-task-meta-" + id;
		await().atMost(TIMEOUT).until(() -> this.redis.opsForValue().get(key) != null);
		return this.redis.opsForValue().get(key);
	}

	private String fresh(String text) {
		return freshIds(text);
	}

	private String freshIds(String text) {
		Matcher matcher = UUID_PATTERN.matcher(text);
		StringBuilder sb = new StringBuilder();
		while (matcher.find()) {
			matcher.appendReplacement(sb,
					this.ids.computeIfAbsent(matcher.group(), (id) -> UUID.randomUUID().toString()));
		}
		matcher.appendTail(sb);
		return sb.toString();
	}

}
