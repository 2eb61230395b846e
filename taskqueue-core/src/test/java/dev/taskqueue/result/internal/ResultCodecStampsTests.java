package dev.taskqueue.result.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.protocol.internal.JsonTaskSerializer;
import dev.taskqueue.result.TaskState;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extended result of a stamped task is stored as Celery 5.6's
 * {@code BaseBackend._get_result_meta} stores it: after the extended fields,
 * {@code stamped_headers} and then each stamp as a field of its own, then
 * {@code task_id}.
 */
class ResultCodecStampsTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final ResultCodec codec = new ResultCodec(this.mapper, new JsonTaskSerializer(this.mapper),
			CeleryVersion.V5_6);

	private final Map<String, Object> stamps = new LinkedHashMap<>();

	ResultCodecStampsTests() {
		this.stamps.put("mystamp", "v1");
		this.stamps.put("tags", List.of("a", "b"));
	}

	@Test
	void stampedExtendedRecordIsWrittenAsCelery56WritesIt() {
		ResultMeta meta = new ResultMeta("t1", TaskState.SUCCESS, 5, null, List.of(), "2026-12-07T02:13:41.083991",
				null, "p1", "tasks.add", List.of(2, 3), Map.of(), "w1@host", 0, "celery", this.stamps);

		assertThat(this.codec.encode(meta)).isEqualTo("{\"status\": \"SUCCESS\", \"result\": 5, \"traceback\": null, "
				+ "\"children\": [], \"date_done\": \"2026-12-07T02:13:41.083991+00:00\", \"parent_id\": \"p1\", "
				+ "\"name\": \"tasks.add\", \"args\": [2, 3], \"kwargs\": {}, \"worker\": \"w1@host\", "
				+ "\"retries\": 0, \"queue\": \"celery\", \"stamped_headers\": [\"mystamp\", \"tags\"], "
				+ "\"mystamp\": \"v1\", \"tags\": [\"a\", \"b\"], \"task_id\": \"t1\"}");
	}

	@Test
	void stampedRecordReadsBackWithItsStamps() {
		ResultMeta meta = new ResultMeta("t1", TaskState.SUCCESS, 5, null, List.of(), "2026-12-07T02:13:41.083991",
				null, null, "tasks.add", List.of(), Map.of(), "w1@host", 0, "celery", this.stamps);

		ResultMeta read = this.codec.decode("t1", this.codec.encode(meta));

		assertThat(read.stamps()).containsExactlyEntriesOf(this.stamps);
		assertThat(read.name()).isEqualTo("tasks.add");
	}

	@Test
	void unstampedRecordHasNoStampFields() {
		ResultMeta meta = new ResultMeta("t1", TaskState.SUCCESS, 5, null, List.of(), null, null, null, "tasks.add",
				List.of(), Map.of(), "w1@host", 0, "celery");

		assertThat(this.codec.encode(meta)).doesNotContain("stamped_headers");
		assertThat(this.codec.decode("t1", this.codec.encode(meta)).stamps()).isEmpty();
	}

	@Test
	void stampsAreNotStoredWithoutExtendedResults() {
		ResultMeta meta = new ResultMeta("t1", TaskState.SUCCESS, 5, null, List.of(), null, null, null, null, null,
				null, null, null, null, this.stamps);

		assertThat(this.codec.encode(meta)).doesNotContain("stamped_headers").doesNotContain("mystamp");
	}

	@Test
	void aStampCannotReplaceTheRecordsOwnFields() {
		ResultMeta meta = new ResultMeta("t1", TaskState.SUCCESS, 5, null, List.of(), null, null, null, "tasks.add",
				List.of(), Map.of(), "w1@host", 0, "celery", Map.of("status", "forged"));

		String json = this.codec.encode(meta);

		assertThat(json).startsWith("{\"status\": \"SUCCESS\"").contains("\"stamped_headers\": [\"status\"]");
		assertThat(this.codec.decode("t1", json).status()).isEqualTo(TaskState.SUCCESS);
	}

	@Test
	void malformedStampFieldsAreIgnored() {
		String json = "{\"status\": \"SUCCESS\", \"result\": 5, \"traceback\": null, \"children\": [], "
				+ "\"date_done\": null, \"stamped_headers\": \"mystamp\", \"task_id\": \"t1\"}";

		assertThat(this.codec.decode("t1", json).stamps()).isEmpty();
	}

}
