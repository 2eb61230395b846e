package dev.taskqueue.interop;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.protocol.internal.Compression;
import dev.taskqueue.protocol.internal.MsgpackTaskSerializer;
import dev.taskqueue.protocol.internal.PythonJson;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Celery 5.2 clients and workers configured for msgpack ({@code task_serializer},
 * {@code result_serializer}, {@code accept_content}) and sending compressed bodies
 * ({@code compression='zlib'}), with Java on the other side: task messages and results in
 * both directions, and the bytes themselves compared with kombu's.
 */
class SerializationInteropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	/** A celeryconfig with {@code task_serializer = result_serializer = 'msgpack'}. */
	private static final Map<String, String> MSGPACK = Map.of("INTEROP_SERIALIZER", "msgpack",
			"INTEROP_RESULT_SERIALIZER", "msgpack", "INTEROP_ACCEPT", "json,msgpack");

	private static final BigInteger MAX_UINT64 = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static String javaQueue;

	private static Stack stack;

	private static PythonCelery.Worker python;

	/** Tells Python tests how a message reached Java. */
	static class FormatTasks {

		@QueueTask("interop.java.format")
		Map<String, @Nullable Object> format(List<?> values, TaskContext context) {
			Map<String, @Nullable Object> seen = new LinkedHashMap<>();
			seen.put("serializer", context.getContentType());
			seen.put("compression", context.getCompression());
			seen.put("types", values.stream().map((v) -> (v != null) ? v.getClass().getSimpleName() : "null").toList());
			seen.put("values", values);
			return seen;
		}

	}

	@BeforeAll
	static void startBothWorkers() {
		String pythonQueue = Infrastructure.unique("py-msgpack");
		stack = Stack.builder()
			.tasks(new InteropTasks(), new FormatTasks())
			.accept("json", "msgpack")
			.resultSerializer("msgpack")
			.route("interop.py.*", Route.toQueue(pythonQueue))
			.build();
		javaQueue = stack.defaultQueue;
		stack.startWorker(javaQueue);
		python = PythonCelery.startWorker(pythonQueue, MSGPACK);
	}

	@AfterAll
	static void stopBothWorkers() {
		try {
			if (python != null) {
				python.close();
			}
		}
		finally {
			stack.close();
		}
	}

	@Test
	void javaWritesTheBytesKombuWritesAndReadsThem() {
		Map<String, Object> python = PythonCelery.run("msgpack_vectors.py", List.of()).json();
		MsgpackTaskSerializer msgpack = new MsgpackTaskSerializer(MAPPER);
		Map<String, Object> java = javaVectors();
		for (Map.Entry<String, Object> vector : java.entrySet()) {
			byte[] kombu = HexFormat.of().parseHex((String) python.get(vector.getKey()));
			assertThat(HexFormat.of().formatHex(msgpack.encode(vector.getValue()))).as(vector.getKey())
				.isEqualTo(python.get(vector.getKey()));
			if (!vector.getKey().equals("bytes")) {
				assertThat(msgpack.decode(kombu)).as(vector.getKey()).isEqualTo(vector.getValue());
			}
		}
		List<?> bytes = (List<?>) msgpack.decode(HexFormat.of().parseHex((String) python.get("bytes")));
		assertThat(bytes).hasSize(3);
		assertThat((byte[]) bytes.get(0)).containsExactly(0, -1);
		assertThat((byte[]) bytes.get(1)).isEmpty();
		assertThat((byte[]) bytes.get(2)).containsExactly("b".repeat(300).getBytes(StandardCharsets.US_ASCII));
		byte[] jsonBody = PythonJson.writer(MAPPER).writeValueAsBytes(java.get("body"));
		assertThat(HexFormat.of().formatHex(Compression.compress(jsonBody))).isEqualTo(python.get("zlib_body"));
		assertThat(
				Compression.decompress("application/x-gzip", HexFormat.of().parseHex((String) python.get("zlib_body"))))
			.containsExactly(jsonBody);
	}

	private static Map<String, Object> javaVectors() {
		Map<String, Object> vectors = new LinkedHashMap<>();
		vectors.put("ints", List.of(0, 1, -1, 127, 128, 255, 256, -32, -33, 65535, 65536, Integer.MAX_VALUE, 1L << 31,
				Long.MAX_VALUE, Long.MIN_VALUE, MAX_UINT64));
		vectors.put("floats",
				List.of(0.0, 1.5, -2.25, 1e300, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
		vectors.put("text", List.of("中文 😀", "", "x".repeat(40), "y".repeat(300), "z".repeat(70000)));
		vectors.put("bytes",
				List.of(new byte[] { 0, -1 }, new byte[0], "b".repeat(300).getBytes(StandardCharsets.US_ASCII)));
		Map<String, @Nullable Object> inner = new LinkedHashMap<>();
		inner.put("b", Arrays.asList(2.5, null, "x"));
		Map<String, Object> nested = new LinkedHashMap<>();
		nested.put("a", List.of(1, inner));
		nested.put("t", true);
		nested.put("f", false);
		nested.put("e", Map.of());
		vectors.put("nested", nested);
		Map<String, @Nullable Object> embed = new LinkedHashMap<>();
		embed.put("callbacks", null);
		embed.put("errbacks", null);
		embed.put("chain", null);
		embed.put("chord", null);
		vectors.put("body", List.of(List.of(1, "two"), Map.of("k", 3.0), embed));
		return vectors;
	}

	@Test
	void pythonMsgpackCompressedCallReachesJavaAndPythonReadsJavasMsgpackResult() {
		Map<String, Object> call = PythonCelery.call("interop.java.format")
			.queue(javaQueue)
			.env("INTEROP_SERIALIZER", "msgpack")
			.env("INTEROP_RESULT_SERIALIZER", "msgpack")
			.env("INTEROP_ACCEPT", "json,msgpack")
			.compression("zlib")
			.argsLiteral("[[b'\\x00\\xff', 18446744073709551615, -9223372036854775808, 2147483648, "
					+ "'\\u4e2d\\u6587 \\U0001f600', 2.5, None, True, {'k': [1, {}]}]]")
			.run();
		assertThat(call).containsEntry("state", "SUCCESS");
		assertThat(call.get("result_repr"))
			.isEqualTo("{'serializer': 'application/x-msgpack', " + "'compression': 'application/x-gzip', "
					+ "'types': ['byte[]', 'BigInteger', 'Long', 'Long', 'String', 'Double', 'null', 'Boolean', "
					+ "'LinkedHashMap'], "
					+ "'values': [b'\\x00\\xff', 18446744073709551615, -9223372036854775808, 2147483648, "
					+ "'中文 😀', 2.5, None, True, {'k': [1, {}]}]}");
	}

	@Test
	void pythonMsgpackCallWithoutCompressionReachesJavaByDelay() {
		Map<String, Object> call = PythonCelery.call("interop.java.add")
			.queue(javaQueue)
			.via("delay")
			.env("INTEROP_SERIALIZER", "msgpack")
			.env("INTEROP_RESULT_SERIALIZER", "msgpack")
			.env("INTEROP_ACCEPT", "json,msgpack")
			.args(40, 2)
			.run();
		assertThat(call).containsEntry("state", "SUCCESS")
			.containsEntry("result", 42)
			.containsEntry("result_type", "int");
	}

	@Test
	void javaMsgpackCompressedCallReachesPythonAndJavaReadsPythonsMsgpackResult() {
		List<Object> value = Arrays.asList(new byte[] { 0, -1 }, MAX_UINT64, "中文 😀", Double.NaN, null,
				Map.of("k", List.of(1)));
		TaskResult result = stack.client.send(TaskRequest.builder("interop.py.describe")
			.args(List.of(value))
			.serializer("msgpack")
			.compression("gzip")
			.build());
		Map<?, ?> described = (Map<?, ?>) result.get(TIMEOUT);
		assertThat(described.get("type")).isEqualTo("list");
		assertThat(described.get("repr"))
			.isEqualTo("[b'\\x00\\xff', 18446744073709551615, '中文 😀', nan, None, {'k': [1]}]");
		List<?> back = (List<?>) described.get("value");
		assertThat((byte[]) back.get(0)).containsExactly(0, -1);
		assertThat(back.subList(1, back.size())).isEqualTo(value.subList(1, value.size()));
	}

	@Test
	void javaJsonCallReachesAPythonWorkerThatAcceptsBoth() {
		TaskResult result = stack.client.send("interop.py.add", 2, 3);
		assertThat(result.get(TIMEOUT)).isEqualTo(5);
	}

}
