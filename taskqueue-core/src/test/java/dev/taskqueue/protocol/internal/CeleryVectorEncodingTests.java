package dev.taskqueue.protocol.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import dev.taskqueue.support.CeleryVectors;
import dev.taskqueue.support.CeleryVectors.MessageVector;
import dev.taskqueue.support.RawContentHeader;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The client-side calls of the Celery capture, made again as {@link TaskMessage}s and
 * encoded, give what Celery 5.2.6 put on the wire: the same headers in the same order
 * with the same AMQP types and values, the same properties, and the same body bytes. Only
 * ids, times and {@code origin} differ, as they must.
 * <p>
 * Header types and order are read from the bytes the RabbitMQ Java client writes for the
 * encoded properties (what {@code basicPublish} sends), compared with the captured raw
 * content header.
 */
class CeleryVectorEncodingTests {

	private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

	/** Python's {@code datetime.isoformat()} of an aware UTC time. */
	private static final String CELERY_TIME_PATTERN = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00";

	/**
	 * Headers that hold ids, times or the sender's identity: compared by form, not value.
	 */
	private static final Set<String> VARYING = Set.of("id", "root_id", "eta", "expires", "origin");

	private final TaskMessageCodec codec = new TaskMessageCodec(JsonMapper.builder().build(), List.of("json"));

	/** The calls of the vector index, as a Java client makes them. */
	private static final Map<String, Function<TaskMessage.Builder, TaskMessage.Builder>> CALLS = calls();

	private static Map<String, Function<TaskMessage.Builder, TaskMessage.Builder>> calls() {
		Map<String, Function<TaskMessage.Builder, TaskMessage.Builder>> calls = new LinkedHashMap<>();
		// add.delay(2, 3)
		calls.put("delay", (b) -> b.args(List.of(2, 3)));
		// add.apply_async((2, 3), countdown=10)
		calls.put("countdown", (b) -> b.args(List.of(2, 3)).eta(OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(10)));
		// add.apply_async((2, 3), eta=<aware UTC datetime 2026-11-28T02:18:51+00:00>)
		calls.put("eta", (b) -> b.args(List.of(2, 3)).eta(OffsetDateTime.parse("2026-11-28T02:18:51+00:00")));
		// add.apply_async(kwargs={'x': 5, 'y': 7})
		calls.put("kwargs", (b) -> b.kwargs(ordered("x", 5, "y", 7)));
		// add.apply_async((5,), {'y': 7})
		calls.put("args_and_kwargs", (b) -> b.args(List.of(5)).kwargs(ordered("y", 7)));
		// add.apply_async((1, 1), expires=3600)
		calls.put("expires",
				(b) -> b.args(List.of(1, 1)).expires(OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(3600)));
		// add.apply_async((3, 4), priority=5)
		calls.put("priority", (b) -> b.args(List.of(3, 4)).priority(5));
		// add.apply_async((1, 2), ignore_result=True)
		calls.put("ignore_result", (b) -> b.args(List.of(1, 2)).ignoreResult(true));
		// noop.delay()
		calls.put("noop", (b) -> b);
		// app.send_task('tasks.divide', args=[1, 0])
		calls.put("send_task_divide", (b) -> b.args(List.of(1, 0)));
		return calls;
	}

	static List<String> clientCalls() {
		return List.copyOf(CALLS.keySet());
	}

	private static Map<String, Object> ordered(Object... keysAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

	/**
	 * The call of a vector as a new message: same task, arguments and options, a new id,
	 * this process as origin and a reply-to oid of its own.
	 */
	private static TaskMessage call(String name) {
		MessageVector vector = CeleryVectors.first(name);
		TaskMessage.Builder builder = TaskMessage.builder(UUID.randomUUID().toString(), vector.header("task"))
			.origin(ProcessIdentity.origin())
			.replyTo(UUID.randomUUID().toString());
		return CALLS.get(name).apply(builder).build();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("clientCalls")
	void headersAreCelerysSixteenInCelerysOrder(String name) {
		EncodedMessage encoded = this.codec.encode(call(name));
		List<String> expected = List.copyOf(CeleryVectors.first(name).headerTypeLetters().keySet());
		assertThat(expected).isEqualTo(CeleryVectors.CELERY_HEADERS);
		assertThat(RawContentHeader.written(encoded.properties()).headerNames()).isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("clientCalls")
	void headerAmqpTypesAreCelerys(String name) {
		EncodedMessage encoded = this.codec.encode(call(name));
		Map<String, String> vectorTypes = CeleryVectors.first(name).headerTypeLetters();
		// the vector's JSON agrees with its own raw bytes
		assertThat(RawContentHeader.parse(CeleryVectors.first(name).rawContentHeader()).headerTypes())
			.containsExactlyEntriesOf(vectorTypes);
		assertThat(RawContentHeader.written(encoded.properties()).headerTypes()).containsExactlyEntriesOf(vectorTypes);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("clientCalls")
	void headerValuesAreCelerysExceptIdsTimesAndOrigin(String name) {
		TaskMessage message = call(name);
		RawContentHeader ours = RawContentHeader.written(this.codec.encode(message).properties());
		RawContentHeader celery = RawContentHeader.parse(CeleryVectors.first(name).rawContentHeader());
		SoftAssertions softly = new SoftAssertions();
		for (RawContentHeader.Field field : celery.headers()) {
			if (VARYING.contains(field.name())) {
				continue;
			}
			Object expected = field.value();
			if (name.equals("send_task_divide") && field.name().equals("argsrepr")) {
				// Celery wrote "[1, 0]" because send_task was given a Python list;
				// delay() and
				// apply_async() with a tuple write "(1, 0)". A Java client has no
				// tuple/list
				// distinction and the codec always writes the tuple form, which is what
				// Celery
				// writes for every call made through a task object.
				assertThat(expected).isEqualTo("[1, 0]");
				expected = "(1, 0)";
			}
			softly.assertThat(ours.header(field.name()).value()).as(field.name()).isEqualTo(expected);
		}
		softly.assertAll();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("clientCalls")
	void idHeadersCarryTheNewIdAsCeleryDoes(String name) {
		TaskMessage message = call(name);
		RawContentHeader ours = RawContentHeader.written(this.codec.encode(message).properties());
		MessageVector vector = CeleryVectors.first(name);
		// Celery: root_id = id for a standalone task
		assertThat(vector.header("root_id")).isEqualTo(vector.header("id")).matches(UUID_PATTERN);
		assertThat(ours.header("id").value()).isEqualTo(message.id());
		assertThat(ours.header("root_id").value()).isEqualTo(message.id());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("clientCalls")
	void originIsThisProcessInCelerysForm(String name) {
		RawContentHeader ours = RawContentHeader.written(this.codec.encode(call(name)).properties());
		assertThat(CeleryVectors.first(name).header("origin")).matches("gen\\d+@.+");
		assertThat((String) ours.header("origin").value()).matches("gen\\d+@.+").isEqualTo(ProcessIdentity.origin());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("clientCalls")
	void timeHeadersAreSetWhereCelerySetsThemAndInItsFormat(String name) {
		RawContentHeader ours = RawContentHeader.written(this.codec.encode(call(name)).properties());
		MessageVector vector = CeleryVectors.first(name);
		SoftAssertions softly = new SoftAssertions();
		for (String header : List.of("eta", "expires")) {
			String celery = vector.header(header);
			Object value = ours.header(header).value();
			if (celery == null) {
				softly.assertThat(value).as(header).isNull();
			}
			else {
				softly.assertThat(celery).as(header + " (Celery)").matches(CELERY_TIME_PATTERN);
				softly.assertThat((String) value).as(header).matches(CELERY_TIME_PATTERN);
			}
		}
		softly.assertAll();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("clientCalls")
	void presentPropertiesAreCelerys(String name) {
		RawContentHeader ours = RawContentHeader.written(this.codec.encode(call(name)).properties());
		Set<String> celery = new HashSet<>();
		CeleryVectors.first(name).json().get("properties_present").forEach((p) -> celery.add(p.asString()));
		assertThat(new HashSet<>(ours.present())).isEqualTo(celery);
		assertThat(RawContentHeader.parse(CeleryVectors.first(name).rawContentHeader()).present())
			.containsExactlyElementsOf(ours.present());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("clientCalls")
	void propertyValuesAreCelerysWithTheIdAsCorrelationId(String name) {
		TaskMessage message = call(name);
		RawContentHeader ours = RawContentHeader.written(this.codec.encode(message).properties());
		RawContentHeader celery = RawContentHeader.parse(CeleryVectors.first(name).rawContentHeader());
		SoftAssertions softly = new SoftAssertions();
		for (String property : List.of("content_type", "content_encoding", "delivery_mode", "priority")) {
			softly.assertThat(ours.properties().get(property))
				.as(property)
				.isEqualTo(celery.properties().get(property));
		}
		softly.assertThat(ours.properties().get("correlation_id")).as("correlation_id").isEqualTo(message.id());
		softly.assertThat((String) ours.properties().get("reply_to"))
			.as("reply_to")
			.isEqualTo(message.replyTo())
			.matches(UUID_PATTERN);
		softly.assertThat((String) celery.properties().get("reply_to")).as("reply_to (Celery)").matches(UUID_PATTERN);
		softly.assertAll();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("clientCalls")
	void bodyIsByteIdenticalToCelerys(String name) {
		EncodedMessage encoded = this.codec.encode(call(name));
		MessageVector vector = CeleryVectors.first(name);
		assertThat(new String(encoded.body(), StandardCharsets.UTF_8)).isEqualTo(vector.bodyText());
		assertThat(encoded.body()).isEqualTo(vector.body());
	}

	/**
	 * With Celery's id, reply-to and origin, the whole content header (flags, properties,
	 * the header table with its order and types) is the one Celery sent, byte for byte.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "delay", "eta", "kwargs", "args_and_kwargs", "priority", "ignore_result", "noop" })
	void withCelerysIdsTheContentHeaderIsByteIdentical(String name) {
		MessageVector vector = CeleryVectors.first(name);
		TaskMessage.Builder builder = TaskMessage.builder(vector.header("id"), vector.header("task"))
			.origin(vector.header("origin"))
			.replyTo(vector.properties().get("reply_to").asString());
		EncodedMessage encoded = this.codec.encode(CALLS.get(name).apply(builder).build());
		assertThat(RawContentHeader.writtenBytes(encoded.properties())).isEqualTo(vector.rawContentHeader());
	}

	/**
	 * Celery writes bodies with Python's {@code json.dumps} defaults
	 * ({@code ensure_ascii=True}): non-ASCII text as lower-case unicode escapes, astral
	 * characters as surrogate pairs, control characters as short or unicode escapes. The
	 * expected text is Python 3's {@code json.dumps([['中文', 'é', '😀', 'a\x01b',
	 * 'tab\t'], {'k': 'ü'}, embed])}.
	 */
	@Test
	void nonAsciiArgumentsAreEscapedAsPythonJsonEscapesThem() {
		TaskMessage message = TaskMessage.builder(UUID.randomUUID().toString(), "tasks.echo")
			.args(List.of("中文", "é", "😀", "a\u0001b", "tab\t"))
			.kwargs(Map.of("k", "ü"))
			.build();
		assertThat(new String(this.codec.encode(message).body(), StandardCharsets.US_ASCII))
			.isEqualTo("[[\"\\u4e2d\\u6587\", \"\\u00e9\", \"\\ud83d\\ude00\", \"a\\u0001b\", \"tab\\t\"], "
					+ "{\"k\": \"\\u00fc\"}, {\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}]");
	}

	@Test
	void nonAsciiArgumentsDecodeBackToTheirText() {
		TaskMessage message = TaskMessage.builder(UUID.randomUUID().toString(), "tasks.echo")
			.args(List.of("中文 😀"))
			.build();
		EncodedMessage encoded = this.codec.encode(message);
		MessageVector delay = CeleryVectors.first("delay");
		assertThat(this.codec.decode(delay.messageProperties(), encoded.body()).args()).isEqualTo(List.of("中文 😀"));
	}

	@Test
	void expirationIsTheSecondsUntilExpiresInMilliseconds() {
		RawContentHeader ours = RawContentHeader.written(this.codec.encode(call("expires")).properties());
		assertThat(CeleryVectors.first("expires").properties().get("expiration").asString()).isEqualTo("3600000");
		assertThat(Long.parseLong((String) ours.properties().get("expiration"))).isBetween(3_595_000L, 3_600_000L);
	}

	@Test
	void expiresHeaderIsAnHourAheadLikeCelerys() {
		RawContentHeader ours = RawContentHeader.written(this.codec.encode(call("expires")).properties());
		OffsetDateTime expires = OffsetDateTime.parse((String) ours.header("expires").value());
		assertThat(Duration.between(OffsetDateTime.now(), expires).toSeconds()).isBetween(3590L, 3600L);
	}

	@Test
	void countdownBecomesAnEtaTenSecondsAhead() {
		RawContentHeader ours = RawContentHeader.written(this.codec.encode(call("countdown")).properties());
		OffsetDateTime eta = OffsetDateTime.parse((String) ours.header("eta").value());
		assertThat(Duration.between(OffsetDateTime.now(), eta).toMillis()).isCloseTo(10_000L, within(2_000L));
	}

	@Test
	void givenEtaIsWrittenExactlyAsCeleryWroteIt() {
		RawContentHeader ours = RawContentHeader.written(this.codec.encode(call("eta")).properties());
		assertThat(ours.header("eta").value()).isEqualTo(CeleryVectors.first("eta").header("eta"))
			.isEqualTo("2026-11-28T02:18:51+00:00");
	}

	@Test
	void encodedPropertiesExposeTheHeadersInCelerysOrder() {
		EncodedMessage encoded = this.codec.encode(call("delay"));
		assertThat(List.copyOf(encoded.properties().getHeaders().keySet())).isEqualTo(CeleryVectors.CELERY_HEADERS);
	}

}
