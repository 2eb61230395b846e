package dev.taskqueue.result.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.protocol.internal.JsonTaskSerializer;
import dev.taskqueue.protocol.internal.PythonJson;
import dev.taskqueue.result.TaskState;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record without extended fields, which a worker writes field by field, comes out as
 * the same record written as a map through Python's JSON conventions would.
 */
class ResultCodecPlainRecordTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private static final List<@Nullable Object> RESULTS = Arrays.asList(null, 42, 9_000_000_000L, 9.0, -0.5, Double.NaN,
			true, "plain", "non-ASCII: caf\u00e9 \u2603", List.of(), List.of(1, "two", List.of(3.5)),
			Map.of("k", List.of(Map.of("nested", false))), new BigDecimal("1.10"), LocalDate.of(2026, 12, 7),
			new byte[] { 1, 2, 3 });

	static List<CeleryVersion> versions() {
		return List.of(CeleryVersion.V5_2, CeleryVersion.V5_6);
	}

	@ParameterizedTest
	@MethodSource("versions")
	void everyKindOfResultIsWrittenAsTheMapWouldBe(CeleryVersion version) {
		ResultCodec codec = new ResultCodec(this.mapper, new JsonTaskSerializer(this.mapper), version);
		ObjectWriter writer = PythonJson.writer(this.mapper, version.writesTypedJson());
		for (Object result : RESULTS) {
			for (boolean ids : new boolean[] { false, true }) {
				ResultMeta meta = new ResultMeta("t-1", TaskState.SUCCESS, result, ids ? "Traceback: \u00e9" : null,
						ids ? List.of(Arrays.asList(Arrays.asList("c-1", null), null)) : List.of(),
						"2026-12-07T23:00:00.123456", ids ? "g-1" : null, ids ? "p-1" : null, null, null, null, null,
						null, null, Map.of());
				Map<String, @Nullable Object> map = new LinkedHashMap<>();
				map.put("status", "SUCCESS");
				map.put("result", result);
				map.put("traceback", meta.traceback());
				map.put("children", meta.children());
				map.put("date_done", version.writesAwareDateDone() ? "2026-12-07T23:00:00.123456+00:00"
						: "2026-12-07T23:00:00.123456");
				if (ids) {
					map.put("group_id", "g-1");
					map.put("parent_id", "p-1");
				}
				map.put("task_id", "t-1");
				String expected = writer.writeValueAsString(map);
				assertThat(codec.encode(meta)).as("%s", result).isEqualTo(expected);
				assertThat(new String(codec.encodeBytes(meta), StandardCharsets.UTF_8)).isEqualTo(expected);
			}
		}
	}

	@ParameterizedTest
	@MethodSource("versions")
	void extendedRecordsAreWrittenAsTheMapWouldBe(CeleryVersion version) {
		ResultCodec codec = new ResultCodec(this.mapper, new JsonTaskSerializer(this.mapper), version);
		ObjectWriter writer = PythonJson.writer(this.mapper, version.writesTypedJson());
		List<@Nullable List<?>> argsList = Arrays.asList(null, List.of(), List.of(1, "two", 3.5),
				List.of(LocalDate.of(2026, 12, 8)));
		List<@Nullable Map<String, ?>> kwargsList = Arrays.asList(null, Map.of(), Map.of("k", List.of(1, 2)));
		for (Object result : RESULTS) {
			for (List<?> args : argsList) {
				for (Map<String, ?> kwargs : kwargsList) {
					boolean full = args != null && kwargs != null;
					ResultMeta meta = new ResultMeta("t-1", TaskState.SUCCESS, result, null, List.of(),
							"2026-12-07T23:00:00.123456", full ? "g-1" : null, null, "app.task", args, kwargs,
							full ? "worker@host" : null, full ? 3 : null, full ? "q" : null, Map.of());
					Map<String, @Nullable Object> map = new LinkedHashMap<>();
					map.put("status", "SUCCESS");
					map.put("result", result);
					map.put("traceback", null);
					map.put("children", List.of());
					map.put("date_done", version.writesAwareDateDone() ? "2026-12-07T23:00:00.123456+00:00"
							: "2026-12-07T23:00:00.123456");
					if (full) {
						map.put("group_id", "g-1");
					}
					map.put("name", "app.task");
					map.put("args", args);
					map.put("kwargs", kwargs);
					map.put("worker", meta.worker());
					map.put("retries", meta.retries());
					map.put("queue", meta.queue());
					map.put("task_id", "t-1");
					String expected = writer.writeValueAsString(map);
					assertThat(codec.encode(meta)).as("%s %s %s", result, args, kwargs).isEqualTo(expected);
					assertThat(new String(codec.encodeBytes(meta), StandardCharsets.UTF_8)).isEqualTo(expected);
				}
			}
		}
	}

}
