package dev.taskqueue.protocol.internal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.rabbitmq.client.LongString;
import dev.taskqueue.support.CeleryVectors;
import dev.taskqueue.support.CeleryVectors.MessageVector;
import dev.taskqueue.support.RawContentHeader;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every message that Celery 5.2.6 published in the reference capture (client and worker)
 * decodes to the values Celery wrote.
 */
class CeleryVectorDecodingTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final TaskMessageCodec codec = new TaskMessageCodec(this.mapper, List.of("json"));

	static Stream<MessageVector> messages() {
		return CeleryVectors.allMessages();
	}

	static Stream<MessageVector> clientMessages() {
		return CeleryVectors.allMessages().filter(MessageVector::hasRawContentHeader);
	}

	@Test
	void everyMessageVectorFileIsCovered() {
		Set<String> messageFiles = new TreeSet<>();
		for (String name : CeleryVectors.fileNames()) {
			if (CeleryVectors.load(name).has("messages")) {
				messageFiles.add(name.replace(".json", ""));
			}
		}
		Set<String> covered = new TreeSet<>(CeleryVectors.CLIENT_CASES);
		covered.addAll(CeleryVectors.WORKER_CASES);
		assertThat(covered).isEqualTo(messageFiles);
	}

	@Test
	void everyMessageOfEveryCaseIsDecoded() {
		int expected = 0;
		for (String name : CeleryVectors.CLIENT_CASES) {
			expected += CeleryVectors.load(name + ".json").get("messages").size();
		}
		for (String name : CeleryVectors.WORKER_CASES) {
			expected += CeleryVectors.load(name + ".json").get("messages").size();
		}
		// 18 client cases (3 messages each for group_3, chord, chord_partial): 24;
		// worker: 7
		assertThat(messages().count()).isEqualTo(expected).isEqualTo(31);
	}

	/**
	 * The worker vectors have no raw bytes, so their properties are built from the JSON
	 * fields. For the client vectors, building them the same way gives exactly what the
	 * raw bytes hold.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("clientMessages")
	void propertiesBuiltFromTheVectorJsonEqualTheCapturedRawContentHeader(MessageVector vector) {
		// AMQP.BasicProperties keeps headers in a HashMap, so compare without header
		// order
		RawContentHeader fromJson = RawContentHeader.written(vector.basicPropertiesFromJson());
		RawContentHeader raw = RawContentHeader.parse(vector.rawContentHeader());
		assertThat(fromJson.present()).isEqualTo(raw.present());
		assertThat(fromJson.properties()).isEqualTo(raw.properties());
		assertThat(fromJson.headers()).containsExactlyInAnyOrderElementsOf(raw.headers());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("messages")
	void springAmqpDeliversStringHeadersAsStringsAndVoidAsNull(MessageVector vector) {
		MessageProperties properties = vector.messageProperties();
		assertThat(properties.getHeaders()).containsOnlyKeys(CeleryVectors.CELERY_HEADERS);
		assertThat(properties.getHeaders().values()).noneMatch(LongString.class::isInstance);
		assertThat(properties.getHeaders().get("shadow")).isNull();
		assertThat(properties.getHeaders().get("retries")).isInstanceOf(Integer.class);
		assertThat(properties.getHeaders().get("ignore_result")).isInstanceOf(Boolean.class);
		assertThat(properties.getHeaders().get("timelimit")).isInstanceOf(List.class);
		assertThat(properties.getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("messages")
	void headersDecodeToTheValuesCeleryWrote(MessageVector vector) {
		TaskMessage message = this.codec.decode(vector.messageProperties(), vector.body());
		JsonNode h = vector.headers();
		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(message.lang()).as("lang").isEqualTo("py");
		softly.assertThat(message.id()).as("id").isEqualTo(vector.header("id"));
		softly.assertThat(message.task()).as("task").isEqualTo(vector.header("task"));
		softly.assertThat(message.shadow()).as("shadow").isNull();
		softly.assertThat(instant(message.eta())).as("eta").isEqualTo(instant(vector.header("eta")));
		softly.assertThat(instant(message.expires())).as("expires").isEqualTo(instant(vector.header("expires")));
		softly.assertThat(message.group()).as("group").isEqualTo(vector.header("group"));
		softly.assertThat(message.groupIndex())
			.as("group_index")
			.isEqualTo(h.get("group_index").isNull() ? null : h.get("group_index").intValue());
		softly.assertThat(message.retries()).as("retries").isEqualTo(h.get("retries").intValue());
		softly.assertThat(message.hardTimeLimit()).as("timelimit[0]").isNull();
		softly.assertThat(message.softTimeLimit()).as("timelimit[1]").isNull();
		softly.assertThat(message.rootId()).as("root_id").isEqualTo(vector.header("root_id"));
		softly.assertThat(message.parentId()).as("parent_id").isEqualTo(vector.header("parent_id"));
		softly.assertThat(message.origin()).as("origin").isEqualTo(vector.header("origin"));
		softly.assertThat(message.ignoreResult()).as("ignore_result").isEqualTo(h.get("ignore_result").booleanValue());
		softly.assertThat(message.extraHeaders()).as("extra headers").isEmpty();
		softly.assertAll();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("messages")
	void propertiesDecodeToReplyToAndPriority(MessageVector vector) {
		TaskMessage message = this.codec.decode(vector.messageProperties(), vector.body());
		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(message.replyTo()).as("reply_to").isEqualTo(vector.properties().get("reply_to").asString());
		softly.assertThat(message.priority()).as("priority").isEqualTo(vector.properties().get("priority").intValue());
		softly.assertThat(message.id())
			.as("id = correlation_id")
			.isEqualTo(vector.properties().get("correlation_id").asString());
		softly.assertAll();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("messages")
	void bodyDecodesToTheArgsKwargsAndEmbedCeleryWrote(MessageVector vector) {
		TaskMessage message = this.codec.decode(vector.messageProperties(), vector.body());
		JsonNode body = vector.bodyJson();
		JsonNode embed = body.get(2);
		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(tree(message.args())).as("args").isEqualTo(body.get(0));
		softly.assertThat(tree(message.kwargs())).as("kwargs").isEqualTo(body.get(1));
		softly.assertThat(tree(message.embed().callbacks())).as("callbacks").isEqualTo(embed.get("callbacks"));
		softly.assertThat(tree(message.embed().errbacks())).as("errbacks").isEqualTo(embed.get("errbacks"));
		softly.assertThat(tree(message.embed().chain())).as("chain").isEqualTo(embed.get("chain"));
		softly.assertThat(tree(message.embed().chord())).as("chord").isEqualTo(embed.get("chord"));
		softly.assertAll();
	}

	@Test
	void chainContinuationKeepsAnEmptyChainApartFromNoChain() {
		List<MessageVector> steps = CeleryVectors.messages("worker_chain_steps");
		TaskMessage last = this.codec.decode(steps.get(1).messageProperties(), steps.get(1).body());
		TaskMessage plain = decode("delay");
		assertThat(last.embed().chain()).isNotNull().isEmpty();
		assertThat(plain.embed().chain()).isNull();
	}

	@Test
	void chordBodyResultsKeepTheFloatOfTheDivideTask() {
		MessageVector body = CeleryVectors.messages("worker_chord_body").get(1);
		TaskMessage message = this.codec.decode(body.messageProperties(), body.body());
		assertThat(message.args()).isEqualTo(List.of(List.of(2, 4, 3.0)));
	}

	@Test
	void chainSignaturesKeepCeleryKeyOrder() {
		TaskMessage message = decode("chain_3");
		@SuppressWarnings("unchecked")
		Map<String, Object> next = (Map<String, Object>) message.embed().chain().get(0);
		assertThat(next).containsOnlyKeys("task", "args", "kwargs", "options", "subtask_type", "immutable");
		assertThat(new ArrayList<>(next.keySet())).containsExactly("task", "args", "kwargs", "options", "subtask_type",
				"immutable");
		assertThat(next.get("options")).isEqualTo(new LinkedHashMap<>(Map.of("task_id",
				"37995427-70f4-442b-85f2-ffd0617358a2", "reply_to", "9e370efb-d6e1-3e6e-82e7-23038490260d")));
	}

	@Test
	void etaWithoutMicrosecondsDecodesToTheWholeSecond() {
		assertThat(decode("eta").eta()).isEqualTo(OffsetDateTime.parse("2026-11-28T02:18:51+00:00"));
	}

	@Test
	void countdownEtaKeepsItsMicroseconds() {
		assertThat(decode("countdown").eta()).isEqualTo(OffsetDateTime.parse("2026-11-28T02:18:53.406277+00:00"));
	}

	@Test
	void retryRepublishCarriesTheRetryCountAndTheNewEta() {
		MessageVector vector = CeleryVectors.first("worker_retry_republish");
		TaskMessage message = this.codec.decode(vector.messageProperties(), vector.body());
		assertThat(message.retries()).isEqualTo(1);
		assertThat(message.eta()).isEqualTo(OffsetDateTime.parse("2026-11-28T02:19:10.441915+00:00"));
		assertThat(message.parentId()).isEqualTo(message.id());
	}

	private TaskMessage decode(String name) {
		MessageVector vector = CeleryVectors.first(name);
		return this.codec.decode(vector.messageProperties(), vector.body());
	}

	private JsonNode tree(Object value) {
		return (value != null) ? this.mapper.valueToTree(value) : JsonNodeFactory.instance.nullNode();
	}

	private static java.time.Instant instant(OffsetDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

	// Java's own ISO parser, independent of CeleryTime
	private static java.time.Instant instant(String text) {
		return (text != null) ? OffsetDateTime.parse(text).toInstant() : null;
	}

}
