package dev.taskqueue.result.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.protocol.internal.JsonTaskSerializer;
import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.CeleryVectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link ResultCodec} reads every task result Celery 5.2.6 stored in Redis during the
 * capture ({@code results-*.json}), and writes the same records back byte for byte when
 * it writes as Celery 5.2 does; as Celery 5.6 does it writes {@code date_done} with the
 * offset of the records Celery 5.6.3 stored ({@code control/results-revoked.json}).
 */
class ResultCodecVectorTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final ResultCodec codec = new ResultCodec(this.mapper, new JsonTaskSerializer(this.mapper),
			CeleryVersion.V5_2);

	private final ResultCodec celery56 = new ResultCodec(this.mapper, new JsonTaskSerializer(this.mapper),
			CeleryVersion.V5_6);

	/**
	 * One {@code celery-task-meta-<id>} value from a results file.
	 *
	 * @param file the results file
	 * @param value the stored string
	 * @param json the vector's parse of it
	 */
	record StoredResult(String file, String value, JsonNode json) {

		String taskId() {
			return this.json.get("task_id").asString();
		}

		@Override
		public String toString() {
			return this.file + " " + this.json.get("status").asString() + " " + taskId();
		}

	}

	static Stream<StoredResult> storedResults() {
		Map<String, StoredResult> byValue = new LinkedHashMap<>();
		for (String name : CeleryVectors.fileNames()) {
			if (name.startsWith("results-")) {
				collect(name, CeleryVectors.load(name), byValue);
			}
		}
		return byValue.values().stream();
	}

	private static void collect(String file, JsonNode node, Map<String, StoredResult> found) {
		if (node.isObject()) {
			JsonNode json = node.get("json");
			if ("string".equals(node.path("type").asString("")) && node.has("value") && json != null && json.isObject()
					&& json.has("status") && json.has("task_id")) {
				String value = node.get("value").asString();
				found.putIfAbsent(file + "\n" + value, new StoredResult(file, value, json));
			}
			node.properties().forEach((entry) -> collect(file, entry.getValue(), found));
		}
		else if (node.isArray()) {
			node.forEach((element) -> collect(file, element, found));
		}
	}

	@Test
	void everyResultsFileWithATaskRecordIsRead() {
		List<String> files = storedResults().map(StoredResult::file).distinct().sorted().toList();
		assertThat(files).containsExactly("results-chain.json", "results-chord-counter.json", "results-chord.json",
				"results-failure.json", "results-group.json", "results-link-error.json", "results-link.json",
				"results-retry.json", "results-snapshot-phase1.json", "results-snapshot-phase2.json",
				"results-success-none.json", "results-success.json");
		// SUCCESS, FAILURE and RETRY records, with and without group_id / parent_id
		assertThat(storedResults().map((r) -> r.json().get("status").asString()).distinct())
			.containsExactlyInAnyOrder("SUCCESS", "FAILURE", "RETRY");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("storedResults")
	void decodeReadsEveryFieldCeleryStored(StoredResult stored) {
		ResultMeta meta = this.codec.decode(stored.taskId(), stored.value());
		JsonNode json = stored.json();
		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(meta.taskId()).as("task_id").isEqualTo(json.get("task_id").asString());
		softly.assertThat(meta.status().name()).as("status").isEqualTo(json.get("status").asString());
		softly.assertThat(tree(meta.result())).as("result").isEqualTo(json.get("result"));
		softly.assertThat(meta.traceback()).as("traceback").isEqualTo(text(json, "traceback"));
		softly.assertThat(tree(meta.children())).as("children").isEqualTo(json.get("children"));
		softly.assertThat(meta.dateDone()).as("date_done").isEqualTo(text(json, "date_done"));
		softly.assertThat(meta.groupId()).as("group_id").isEqualTo(text(json, "group_id"));
		softly.assertThat(meta.parentId()).as("parent_id").isEqualTo(text(json, "parent_id"));
		softly.assertThat(meta.name()).as("name (result_extended is off)").isNull();
		softly.assertAll();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("storedResults")
	void encodeWritesTheStoredStringByteForByte(StoredResult stored) {
		assertThat(this.codec.encode(record(stored.json()))).isEqualTo(stored.value());
	}

	@Test
	void successRecordIsWrittenAsCeleryWroteIt() {
		JsonNode redis = CeleryVectors.load("results-success.json").get("redis");
		assertThat(this.codec.encode(record(redis.get("json")))).isEqualTo(redis.get("value").asString())
			.isEqualTo("{\"status\": \"SUCCESS\", \"result\": 5, \"traceback\": null, \"children\": [], "
					+ "\"date_done\": \"2026-11-28T02:18:50.418976\", "
					+ "\"task_id\": \"dbcdb8e7-795b-4c45-9b01-2a31322cf79c\"}");
	}

	@Test
	void asCelery56TheSameRecordCarriesTheOffset() {
		JsonNode redis = CeleryVectors.load("results-success.json").get("redis");
		assertThat(this.celery56.encode(record(redis.get("json"))))
			.contains("\"date_done\": \"2026-11-28T02:18:50.418976+00:00\"");
	}

	@Test
	void celery56RecordsKeepTheirDateDoneAndBothFormsReadAsTheSameInstant() {
		for (JsonNode stored : CeleryVectors.load("control/results-revoked.json").get("records")) {
			if (stored.path("value_text").isNull()) {
				continue;
			}
			String value = stored.get("value_text").asString();
			String dateDone = stored.at("/value_json/date_done").asString();
			ResultMeta meta = this.celery56.decode("id", value);
			assertThat(meta.dateDone()).isEqualTo(dateDone);
			assertThat(this.celery56.encode(meta)).contains("\"date_done\": \"" + dateDone + "\"");
			String naive = dateDone.substring(0, dateDone.length() - "+00:00".length());
			assertThat(this.codec.encode(meta)).contains("\"date_done\": \"" + naive + "\"");
			assertThat(meta.completedAt()).isEqualTo(this.codec.decode("id", this.codec.encode(meta)).completedAt())
				.isEqualTo(java.time.Instant.parse(naive + "Z"));
		}
	}

	@Test
	void successWithNoneIsWrittenAsCeleryWroteIt() {
		JsonNode redis = CeleryVectors.load("results-success-none.json").get("redis");
		assertThat(this.codec.encode(record(redis.get("json")))).isEqualTo(redis.get("value").asString());
	}

	@Test
	void failureRecordIsWrittenAsCeleryWroteIt() {
		JsonNode redis = CeleryVectors.load("results-failure.json").get("redis");
		assertThat(this.codec.encode(record(redis.get("json")))).isEqualTo(redis.get("value").asString());
	}

	@Test
	void failureReadsAsZeroDivisionErrorFromBuiltins() {
		JsonNode redis = CeleryVectors.load("results-failure.json").get("redis");
		ResultMeta meta = this.codec.decode("0513e96f-524e-4599-ae15-ac34e002e536", redis.get("value").asString());
		ExceptionInfo exception = meta.exception();
		assertThat(meta.status()).isEqualTo(TaskState.FAILURE);
		assertThat(exception).isNotNull();
		assertThat(exception.type()).isEqualTo("ZeroDivisionError");
		assertThat(exception.module()).isEqualTo("builtins");
		assertThat(exception.messageArgs()).isEqualTo(List.of("division by zero"));
		assertThat(exception.message()).isEqualTo("division by zero");
		assertThat(exception.qualifiedType()).isEqualTo("ZeroDivisionError");
		assertThat(exception.traceback()).startsWith("Traceback (most recent call last):\n")
			.endsWith("ZeroDivisionError: division by zero\n");
	}

	@Test
	void retryRecordReadsAsNotReadyWithItsException() {
		JsonNode redis = CeleryVectors.load("results-retry.json").get("redis_after_first_attempt_phase1");
		ResultMeta meta = this.codec.decode("fdabc40b-d812-4556-93b4-4a3a1113ff8d", redis.get("value").asString());
		assertThat(meta.status()).isEqualTo(TaskState.RETRY);
		assertThat(meta.status().isReady()).isFalse();
		assertThat(meta.dateDone()).isNull();
		assertThat(meta.exception()).isNotNull();
		assertThat(meta.exception().type()).isEqualTo("ValueError");
		assertThat(meta.exception().message()).isEqualTo("transient failure");
		assertThat(meta.children()).hasSize(1);
	}

	@Test
	void floatResultStaysAFloat() {
		JsonNode redis = CeleryVectors.load("results-chord-counter.json")
			.get("redis_final_phase2")
			.get("celery-task-meta-8c6c8161-a08b-4372-9045-c0ebc79489dc");
		ResultMeta meta = this.codec.decode("8c6c8161-a08b-4372-9045-c0ebc79489dc", redis.get("value").asString());
		assertThat(meta.result()).isEqualTo(9.0);
		assertThat(this.codec.encode(meta)).contains("\"result\": 9.0,");
	}

	@Test
	void errbackResultCarriesGroupIdThenParentIdBeforeTaskId() {
		JsonNode redis = CeleryVectors.load("results-link-error.json").get("errback").get("redis");
		ResultMeta meta = this.codec.decode("4ae129c0-485a-4f63-a408-af4b7bf9c00e", redis.get("value").asString());
		assertThat(meta.groupId()).isEqualTo("a80814cb-bbce-4e7e-bfae-087a5dd6a4d1");
		assertThat(meta.parentId()).isEqualTo("7699a4cd-47cf-430e-ad7f-ea56593d525c");
		assertThat(this.codec.encode(meta)).isEqualTo(redis.get("value").asString());
	}

	/**
	 * Python's {@code json.dumps} (ensure_ascii) writes {@code "\\u4e2d\\u6587"} for
	 * '中文'.
	 */
	@Test
	void nonAsciiResultIsEscapedAsPythonJsonEscapesIt() {
		ResultMeta meta = new ResultMeta("4a5b", TaskState.SUCCESS, "中文", null, List.of(), "2026-11-28T02:18:50", null,
				null, null, null, null, null, null, null);
		String json = this.codec.encode(meta);
		assertThat(json).contains("\"result\": \"\\u4e2d\\u6587\",");
		assertThat(this.codec.decode("4a5b", json).result()).isEqualTo("中文");
	}

	/**
	 * {@code celery-taskset-meta-<gid>} (GroupResult.save()) is a group record, not a
	 * task result.
	 */
	@Test
	void groupSaveRecordIsRefusedAsATaskResult() {
		JsonNode group = CeleryVectors.load("results-group.json")
			.get("redis")
			.get("celery-taskset-meta-687c2286-71df-43c4-a25e-8fd99560264e");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.codec.decode("687c2286-71df-43c4-a25e-8fd99560264e", group.get("value").asString()))
			.withMessageContaining("has no status");
	}

	private ResultMeta record(JsonNode json) {
		Object result = this.mapper.treeToValue(json.get("result"), Object.class);
		List<?> children = new ArrayList<>(this.mapper.treeToValue(json.get("children"), List.class));
		return new ResultMeta(json.get("task_id").asString(), TaskState.of(json.get("status").asString()), result,
				text(json, "traceback"), children, text(json, "date_done"), text(json, "group_id"),
				text(json, "parent_id"), null, null, null, null, null, null);
	}

	private JsonNode tree(Object value) {
		return (value != null) ? this.mapper.valueToTree(value) : JsonNodeFactory.instance.nullNode();
	}

	private static String text(JsonNode json, String name) {
		JsonNode value = json.get(name);
		return (value == null || value.isNull()) ? null : value.asString();
	}

}
