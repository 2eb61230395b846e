package dev.taskqueue.interop;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.interop.InteropTasks.Point;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Argument and result values crossing between Python and Java in both directions: JSON's
 * types, and what each side makes of them.
 */
class ValuesInteropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final BigInteger TWO_POW_100 = BigInteger.TWO.pow(100);

	private static final String NON_ASCII = "中文 😀";

	private static String javaQueue;

	private static Stack stack;

	private static PythonCelery.Worker python;

	@BeforeAll
	static void startBothWorkers() {
		String pythonQueue = Infrastructure.unique("py-values");
		stack = Stack.builder().tasks(new InteropTasks()).route("interop.py.*", Route.toQueue(pythonQueue)).build();
		javaQueue = stack.defaultQueue;
		stack.startWorker(javaQueue);
		python = PythonCelery.startWorker(pythonQueue);
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

	// Python -> Java arguments, and Java's results as Python reads them

	@Test
	void pythonIntArrivesAsAnInteger() {
		Map<String, Object> call = callJava("interop.java.describe", 7);
		assertThat(call).containsEntry("result", Map.of("type", "Integer", "value", 7));
	}

	@Test
	void pythonFloatStaysAFloatThereAndBack() {
		Map<String, Object> call = callJava("interop.java.describe", 9.0);
		assertThat(call).containsEntry("result_repr", "{'type': 'Double', 'value': 9.0}");
	}

	@Test
	void pythonBigIntegerBindsToABigIntegerParameter() {
		Map<String, Object> call = callJava("interop.java.twice", TWO_POW_100);
		assertThat(call).containsEntry("result", BigInteger.TWO.pow(101)).containsEntry("result_type", "int");
	}

	@Test
	void pythonIntTooBigForALongFailsNamingTheParameter() {
		Map<String, Object> call = callJava("interop.java.increment", BigInteger.TEN.pow(199));
		assertThat(call).containsEntry("state", "FAILURE")
			.containsEntry("exc_class", "celery.exceptions.TaskArgumentException");
		assertThat((String) call.get("exc_str"))
			.startsWith("Task 'interop.java.increment' argument 'n' (position 0): cannot convert 1000")
			.contains(" to long: ");
	}

	@Test
	void pythonNonAsciiTextArrivesIntact() {
		Map<String, Object> call = callJava("interop.java.text", NON_ASCII);
		assertThat(call).containsEntry("result", Map.of("value", NON_ASCII, "codePoints", 4, "chars", 5));
	}

	@Test
	void pythonNoneArrivesAsNull() {
		Map<String, Object> call = callJava("interop.java.describe", (Object) null);
		assertThat(call).containsEntry("result_repr", "{'type': 'null', 'value': None}");
	}

	@Test
	void pythonNanAndInfinitiesArriveAsDoublesAndReturnAsFloats() {
		Map<String, Object> call = PythonCelery.call("interop.java.describe")
			.queue(javaQueue)
			.argsJson("[[NaN, Infinity, -Infinity]]")
			.run();
		assertThat(call).containsEntry("result_repr", "{'type': 'ArrayList', 'value': [nan, inf, -inf]}");
	}

	@Test
	void pythonBooleanArrivesAsABoolean() {
		Map<String, Object> call = callJava("interop.java.negate", true);
		assertThat(call).containsEntry("result", false).containsEntry("result_type", "bool");
	}

	@Test
	void pythonNestedListsAndDictsArriveAsListsAndMaps() {
		Map<String, Object> call = callJava("interop.java.describe", nested());
		assertThat(call).containsEntry("result_repr",
				"{'type': 'LinkedHashMap', 'value': {'a': [1, {'b': [2.5, None, 'x']}]}}");
	}

	@Test
	void pythonEmptyListAndDictStayEmptyListAndDict() {
		Map<String, Object> call = callJava("interop.java.sizes", List.of(), Map.of());
		assertThat(call).containsEntry("result", Map.of("list", List.of(), "map", Map.of(), "sizes", List.of(0, 0)));
	}

	@Test
	void javaRecordsReachPythonAsDicts() {
		Map<String, Object> call = callJava("interop.java.polygon", "tri",
				List.of(Map.of("x", 0, "y", 0), Map.of("x", 1, "y", 0), Map.of("x", 0, "y", 1)));
		assertThat(call).containsEntry("result_repr",
				"{'name': 'tri', 'points': [{'x': 0, 'y': 0}, {'x': 1, 'y': 0}, {'x': 0, 'y': 1}], 'vertices': 3}");
	}

	// Java -> Python arguments, and Python's results as Java reads them

	static Stream<Arguments> javaValues() {
		return Stream.of(Arguments.of("int", 7, "int", "7"), Arguments.of("double 9.0", 9.0, "float", "9.0"),
				Arguments.of("double NaN", Double.NaN, "float", "nan"),
				Arguments.of("double -infinity", Double.NEGATIVE_INFINITY, "float", "-inf"),
				Arguments.of("BigInteger 2^100", TWO_POW_100, "int", "1267650600228229401496703205376"),
				Arguments.of("long", Long.MAX_VALUE, "int", "9223372036854775807"),
				Arguments.of("non-ASCII text", NON_ASCII, "str", "'" + NON_ASCII + "'"),
				Arguments.of("null", null, "NoneType", "None"), Arguments.of("boolean", true, "bool", "True"),
				Arguments.of("nested list", List.of(1, List.of(2.5, "x")), "list", "[1, [2.5, 'x']]"),
				Arguments.of("nested map", nested(), "dict", "{'a': [1, {'b': [2.5, None, 'x']}]}"),
				Arguments.of("empty list", List.of(), "list", "[]"), Arguments.of("empty map", Map.of(), "dict", "{}"),
				Arguments.of("record", new Point(1, 2), "dict", "{'x': 1, 'y': 2}"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("javaValues")
	void javaValueArrivesInPythonAs(String description, @Nullable Object value, String type, String repr) {
		TaskResult result = stack.client
			.send(TaskRequest.builder("interop.py.describe").args(Collections.singletonList(value)).build());
		Map<?, ?> described = result.get(TIMEOUT, Map.class);
		assertThat(described.get("type")).isEqualTo(type);
		assertThat(described.get("repr")).isEqualTo(repr);
		assertThat(described.get("value")).isEqualTo(stack.mapper.convertValue(value, Object.class));
	}

	@Test
	void pythonResultsReadAsJavaValues() {
		Map<?, ?> values = stack.client.send("interop.py.values").get(TIMEOUT, Map.class);
		assertThat(values.get("int")).isEqualTo(7);
		assertThat(values.get("float")).isEqualTo(9.0);
		assertThat(values.get("big")).isEqualTo(TWO_POW_100);
		assertThat(values.get("text")).isEqualTo(NON_ASCII);
		assertThat(values.containsKey("none")).isTrue();
		assertThat(values.get("none")).isNull();
		assertThat(values.get("true")).isEqualTo(true);
		assertThat(values.get("nested")).isEqualTo(Map.of("list", List.of(1, List.of(2.5, "x"), nullValued("k"))));
		assertThat(values.get("empty_list")).isEqualTo(List.of());
		assertThat(values.get("empty_dict")).isEqualTo(Map.of());
		assertThat(values.get("tuple")).isEqualTo(List.of(1, 2));
	}

	@Test
	void pythonNanAndInfinityResultsReadAsDoubles() {
		List<Object> specials = stack.client.send("interop.py.specials").get(TIMEOUT, List.class);
		assertThat(specials).containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
	}

	@Test
	void pythonDictConvertsToAJavaRecord() {
		TaskResult result = stack.client.send("interop.py.point", 3, 4);
		assertThat(result.get(TIMEOUT, Point.class)).isEqualTo(new Point(3, 4));
	}

	private static Map<String, Object> callJava(String task, @Nullable Object... args) {
		return PythonCelery.call(task).queue(javaQueue).args(args).run();
	}

	/** {"a": [1, {"b": [2.5, None, "x"]}]} */
	private static Map<String, Object> nested() {
		Map<String, Object> inner = new LinkedHashMap<>();
		inner.put("b", java.util.Arrays.asList(2.5, null, "x"));
		return Map.of("a", List.of(1, inner));
	}

	private static Map<String, @Nullable Object> nullValued(String key) {
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		map.put(key, null);
		return map;
	}

}
