package dev.taskqueue.protocol.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import dev.taskqueue.support.CeleryVectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code argsrepr} and {@code kwargsrepr} headers the codec writes ({@link PyRepr})
 * are what Celery 5.2.6 writes: {@code saferepr(args, 1024)} and
 * {@code saferepr(kwargs, 1024)}. Every expected value here was produced by Celery's own
 * {@code celery.utils.saferepr} (see {@code src/test/resources/saferepr/README.md}).
 */
class PyReprTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final TaskMessageCodec codec = new TaskMessageCodec(this.mapper, List.of("json"));

	@Test
	void integersAreWrittenInFull() {
		assertThat(argsrepr(2, 3, -7, 9007199254740993L, BigInteger.TEN.pow(30)))
			.isEqualTo("(2, 3, -7, 9007199254740993, 1000000000000000000000000000000)");
	}

	@Test
	void wholeFloatKeepsItsPointZero() {
		assertThat(argsrepr(9.0)).isEqualTo("(9.0,)");
	}

	@Test
	void floatFromTenToTheSixteenUsesPythonExponentForm() {
		assertThat(argsrepr(1e16)).isEqualTo("(1e+16,)");
		assertThat(argsrepr(1.5e300)).isEqualTo("(1.5e+300,)");
	}

	@Test
	void floatBelowTenToTheSixteenIsPositionalAsInPython() {
		// Java would write 1.0E15 and 1.0E7
		assertThat(argsrepr(1e15)).isEqualTo("(1000000000000000.0,)");
		assertThat(argsrepr(1e7)).isEqualTo("(10000000.0,)");
		assertThat(argsrepr(12345678.9, 2.5e-07, 3.0)).isEqualTo("(12345678.9, 2.5e-07, 3.0)");
	}

	@Test
	void smallFloatSwitchesToExponentBelowTenToTheMinusFour() {
		// Java would write 1.0E-4
		assertThat(argsrepr(0.0001)).isEqualTo("(0.0001,)");
		assertThat(argsrepr(1e-05)).isEqualTo("(1e-05,)");
	}

	@Test
	void floatUsesTheShortestDigitsThatReadBack() {
		assertThat(argsrepr(0.1)).isEqualTo("(0.1,)");
		assertThat(argsrepr(-0.0)).isEqualTo("(-0.0,)");
		assertThat(argsrepr(0.1f)).isEqualTo("(0.1,)");
	}

	@Test
	void stringIsSingleQuotedWithItsQuoteEscaped() {
		// Python's repr would write "it's"; saferepr always uses single quotes
		assertThat(argsrepr("it's")).isEqualTo("('it\\'s',)");
		assertThat(argsrepr("it's \"x\"")).isEqualTo("('it\\'s \"x\"',)");
	}

	@Test
	void doubleQuotesInStringsAreKept() {
		assertThat(argsrepr("say \"hi\"")).isEqualTo("('say \"hi\"',)");
	}

	@Test
	void controlCharactersAndBackslashesAreWrittenAsTheyAre() {
		assertThat(argsrepr("a\\b\nc\td")).isEqualTo("('a\\b\nc\td',)");
	}

	@Test
	void nonAsciiTextIsKept() {
		assertThat(argsrepr("中文")).isEqualTo("('中文',)");
		assertThat(argsrepr("😀 ok")).isEqualTo("('😀 ok',)");
	}

	@Test
	void nullAndBooleansArePythonConstants() {
		assertThat(argsrepr(null, true, false)).isEqualTo("(None, True, False)");
	}

	@Test
	void nestedListsAndMapsArePythonLiterals() {
		assertThat(argsrepr(List.of(1, List.of(2, 3)), Map.of("a", List.of(1, 2))))
			.isEqualTo("([1, [2, 3]], {'a': [1, 2]})");
		assertThat(argsrepr(List.of(Map.of("k", "v"), Collections.singletonMap("k", null))))
			.isEqualTo("([{'k': 'v'}, {'k': None}],)");
	}

	@Test
	void containersBelowThreeLevelsAreElided() {
		assertThat(argsrepr(List.of(List.of(List.of(1))))).isEqualTo("([[[...]]],)");
		assertThat(argsrepr(Map.of("a", Map.of("b", Map.of("c", 1))))).isEqualTo("({'a': {'b': {...}}},)");
		assertThat(kwargsrepr(Map.of("a", Map.of("b", Map.of("c", Map.of("d", 1))))))
			.isEqualTo("{'a': {'b': {'c': {...}}}}");
	}

	@Test
	void singleArgumentIsAOneElementTuple() {
		assertThat(argsrepr(1)).isEqualTo("(1,)");
	}

	@Test
	void noArgumentsIsTheEmptyTuple() {
		assertThat(argsrepr()).isEqualTo("()");
	}

	@Test
	void kwargsAreAPythonDictInTheirOrder() {
		assertThat(kwargsrepr(Map.of())).isEqualTo("{}");
		assertThat(kwargsrepr(ordered("x", 5, "y", 7))).isEqualTo("{'x': 5, 'y': 7}");
		assertThat(kwargsrepr(ordered("it's", "o'k"))).isEqualTo("{'it\\'s': 'o\\'k'}");
	}

	@Test
	void vectorArgsreprsAreReproduced() {
		assertThat(argsrepr(5)).isEqualTo(CeleryVectors.first("args_and_kwargs").header("argsrepr"));
		assertThat(argsrepr("7699a4cd-47cf-430e-ad7f-ea56593d525c"))
			.isEqualTo(CeleryVectors.first("worker_errback").header("argsrepr"));
		assertThat(argsrepr(List.of(0, 2, 4))).isEqualTo(CeleryVectors.first("worker_chord_body").header("argsrepr"));
		assertThat(argsrepr(List.of(2, 4, 3.0)))
			.isEqualTo(CeleryVectors.messages("worker_chord_body").get(1).header("argsrepr"));
		assertThat(kwargsrepr(ordered("fail_times", 1, "retry_countdown", 20)))
			.isEqualTo(CeleryVectors.first("retry").header("kwargsrepr"));
	}

	@Test
	void manyArgumentsAreCutAfter1024CharactersAsCeleryCutsThem() {
		Object[] args = IntStream.range(0, 400).boxed().toArray();
		assertThat(argsrepr(args)).isEqualTo(expected("trunc_ints")).endsWith("226..., ...)");
	}

	@Test
	void longStringIsCutAndLosesTheClosingOfItsTuple() {
		assertThat(argsrepr("x".repeat(2000))).isEqualTo(expected("trunc_long_string")).endsWith("x...', ...");
	}

	@Test
	void longTextIsCutAtItsLastSpace() {
		assertThat(argsrepr("word ".repeat(300))).isEqualTo(expected("trunc_words")).endsWith("word...', ...");
	}

	@Test
	void stringReachingTheLimitIsCut() {
		List<Object> args = new ArrayList<>(Collections.nCopies(9, "a".repeat(100)));
		args.add("b".repeat(200));
		assertThat(argsrepr(args.toArray())).isEqualTo(expected("trunc_at_edge"));
	}

	@Test
	void cutInsideNestedListsStillClosesThem() {
		List<Integer> numbers = IntStream.range(0, 300).boxed().toList();
		assertThat(argsrepr(List.of(numbers))).isEqualTo(expected("trunc_nested")).endsWith("2..., ...]],)");
	}

	@Test
	void longKwargsAreCutAsCeleryCutsThem() {
		assertThat(kwargsrepr(ordered("data", "y".repeat(1500), "after", 1))).isEqualTo(expected("kw_long"));
		Map<String, Object> many = new LinkedHashMap<>();
		IntStream.range(0, 200).forEach((i) -> many.put("k" + i, i));
		assertThat(kwargsrepr(many)).isEqualTo(expected("kw_many")).endsWith("'k94': 94..., ...}");
	}

	private String argsrepr(Object... args) {
		return header(TaskMessage.builder(UUID.randomUUID().toString(), "tasks.t").args(Arrays.asList(args)).build(),
				"argsrepr");
	}

	private String kwargsrepr(Map<String, ?> kwargs) {
		return header(TaskMessage.builder(UUID.randomUUID().toString(), "tasks.t").kwargs(kwargs).build(),
				"kwargsrepr");
	}

	private String header(TaskMessage message, String name) {
		return (String) this.codec.encode(message).properties().getHeaders().get(name);
	}

	private String expected(String key) {
		try (InputStream in = getClass().getResourceAsStream("/saferepr/celery-5.2.6-saferepr.json")) {
			JsonNode expected = this.mapper.readTree(in);
			return expected.get(key).asString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Map<String, Object> ordered(Object... keysAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

}
