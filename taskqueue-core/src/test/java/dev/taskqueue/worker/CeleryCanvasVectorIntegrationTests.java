package dev.taskqueue.worker;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.taskqueue.client.internal.Route;
import dev.taskqueue.support.CeleryVectors.MessageVector;
import dev.taskqueue.support.CeleryVectors;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chain, group and chord messages Celery 5.2.6's client published ({@code chain_3},
 * {@code group_3}, {@code chord}), fed to a Java worker with fresh ids: it carries them
 * out as Celery's worker did, storing the same result records ({@code results-*.json})
 * and publishing the same chord body message ({@code worker_chord_body.json}).
 */
class CeleryCanvasVectorIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final Pattern UUID_PATTERN = Pattern
		.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	private static final Pattern DATE_DONE = Pattern.compile("\"date_done\": \"[^\"]+\"");

	private final CanvasTasks tasks = new CanvasTasks();

	/** Vector id to fresh id. */
	private final Map<String, String> ids = new HashMap<>();

	private Stack stack;

	private StringRedisTemplate redis;

	@AfterEach
	void stop() {
		this.stack.close();
	}

	private void start(Stack.Builder builder) {
		this.stack = builder.tasks(this.tasks).build();
		// Celery's own result records (result_extended off), to compare them byte for
		// byte.
		WorkerSettings settings = WorkerSettings.builder("celery-like@localhost", List.of(this.stack.defaultQueue))
			.concurrency(2)
			.prefetch(4)
			.extendedResults(false)
			.redeliveryBackoff(Duration.ofMillis(200))
			.build();
		this.stack.startWorker(settings);
		this.redis = new StringRedisTemplate(this.stack.redis);
	}

	@Test
	void chainOfThreeFromCeleryRunsEachStepWithThePreviousResult() {
		start(Stack.builder());
		publish("chain_3");
		JsonNode expected = CeleryVectors.load("results-chain.json");
		List<String> order = List.of(fresh("5ce6da98-5916-407e-83c2-40b05be27128"),
				fresh("b4eec005-195a-4c05-aa3d-d21bbebc20c6"), fresh("37995427-70f4-442b-85f2-ffd0617358a2"));
		assertThat(this.stack.client.result(order.get(2)).get(TIMEOUT)).isEqualTo(10);
		for (Map.Entry<String, JsonNode> key : expected.get("redis").properties()) {
			assertThat(stored(fresh(key.getKey())))
				.isEqualTo(withoutDate(freshIds(key.getValue().get("value").asString())));
		}
	}

	@Test
	void groupOfThreeFromCeleryStoresMemberResultsWithTheGroupId() {
		start(Stack.builder());
		publish("group_3");
		JsonNode expected = CeleryVectors.load("results-group.json");
		for (JsonNode member : expected.get("member_ids")) {
			this.stack.client.result(fresh(member.asString())).get(TIMEOUT);
		}
		for (Map.Entry<String, JsonNode> key : expected.get("redis").properties()) {
			if (key.getKey().startsWith("celery-task-meta-")) {
				assertThat(stored(fresh(key.getKey())))
					.isEqualTo(withoutDate(freshIds(key.getValue().get("value").asString())));
			}
		}
	}

	@Test
	void chordFromCeleryRunsTheBodyOnceWithTheOrderedResults() {
		start(Stack.builder());
		String groupId = fresh("64f4dbd2-3b40-4dc5-9cec-215fcad73b43");
		// Celery's client wrote the chord size when it sent the chord.
		this.stack.backend.setChordSize(groupId, 3);
		publish("chord");
		JsonNode expected = CeleryVectors.load("results-chord.json");
		String bodyId = fresh(expected.get("body_task_id").asString());
		assertThat(this.stack.client.result(bodyId).get(TIMEOUT)).isEqualTo(6);
		assertThat(this.tasks.sums).containsExactly(List.of(0, 2, 4));
		for (Map.Entry<String, JsonNode> key : expected.get("redis_final").properties()) {
			String value = withoutDate(freshIds(key.getValue().get("value").asString()));
			String stored = stored(fresh(key.getKey()));
			if (key.getKey().endsWith(expected.get("body_task_id").asString())) {
				// The body's parent is the header task that completed the chord: any of
				// the three here.
				String finisher = this.stack.client.result(bodyId).getRecord().parentId();
				assertThat(expected.get("header_ids").valueStream().map((id) -> fresh(id.asString())))
					.contains(finisher);
				value = value.replace(fresh("e4ed914d-532d-47fc-b731-608f6c83fdf2"), finisher);
			}
			assertThat(stored).isEqualTo(value);
		}
		await().atMost(TIMEOUT).until(() -> this.redis.keys("celery-taskset-meta-" + groupId + "*").isEmpty());
	}

	@Test
	void chordBodyMessageIsTheOneCelerysWorkerPublishes() {
		String bodyQueue = Infrastructure.unique("tsum");
		start(Stack.builder().route("tasks.tsum", Route.toQueue(bodyQueue)));
		this.stack.declarer.declareQueue(bodyQueue);
		this.stack.backend.setChordSize(fresh("64f4dbd2-3b40-4dc5-9cec-215fcad73b43"), 3);
		publish("chord");
		RabbitTemplate rabbit = new RabbitTemplate(this.stack.rabbit);
		Message body = rabbit.receive(bodyQueue, TIMEOUT.toMillis());
		assertThat(body).isNotNull();
		MessageVector celery = CeleryVectors.messages("worker_chord_body").get(0);
		Map<String, Object> headers = body.getMessageProperties().getHeaders();
		String finisher = (String) headers.get("parent_id");
		assertThat(celery.json().get("body_json").get(0).get(0)).hasSize(3);
		assertThat(new String(body.getBody())).isEqualTo(celery.bodyText());
		assertThat(headers.get("id")).isEqualTo(fresh(celery.header("id")));
		assertThat(headers.get("root_id")).isEqualTo(finisher);
		assertThat(headers.get("group")).isNull();
		assertThat(headers.get("argsrepr")).isEqualTo(celery.header("argsrepr"));
		assertThat(body.getMessageProperties().getReplyTo())
			.isEqualTo(fresh(celery.properties().get("reply_to").asString()));
		assertThat(List.of(fresh("853d640f-b82e-4bc0-b0af-1c05e76a38b0"), fresh("6ef128a4-87c8-4efc-ba73-4be1a0d1af99"),
				fresh("e4ed914d-532d-47fc-b731-608f6c83fdf2")))
			.contains(finisher);
	}

	private void publish(String name) {
		for (MessageVector vector : CeleryVectors.messages(name)) {
			MessageVector renamed = new MessageVector(vector.file(), vector.index(),
					CeleryVectors.mapper().readTree(freshIds(vector.json().toString())));
			this.stack.publisher.publish("", this.stack.defaultQueue, renamed.basicPropertiesFromJson(),
					renamed.body());
		}
	}

	private String stored(String key) {
		await().atMost(TIMEOUT).until(() -> this.redis.opsForValue().get(key) != null);
		return withoutDate(this.redis.opsForValue().get(key));
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

	private static String withoutDate(String json) {
		return DATE_DONE.matcher(json).replaceAll("\"date_done\": \"<date>\"");
	}

}
