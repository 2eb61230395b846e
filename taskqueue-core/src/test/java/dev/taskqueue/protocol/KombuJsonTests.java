package dev.taskqueue.protocol;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.Envelope;
import dev.taskqueue.protocol.internal.EncodedMessage;
import dev.taskqueue.protocol.internal.PythonJson;
import dev.taskqueue.protocol.internal.Serializers;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * kombu's typed JSON: what kombu 5.3+ writes ({@code kombu/utils/json.py}:
 * {@code register_type} of datetime, date, time, Decimal and UUID, bytes as UTF-8 text or
 * base64) is read into Java types, and written the same way when the codec is told to;
 * what kombu 5.2 writes (plain ISO text with {@code Z}, a date as a midnight date-time,
 * decimals and UUIDs as text) is read too.
 */
class KombuJsonTests {

	private final TaskMessageCodec typed = codec(true);

	private final TaskMessageCodec plain = codec(false);

	private final JsonMapper mapper = this.typed.mapper();

	private static TaskMessageCodec codec(boolean typedJson) {
		JsonMapper mapper = JsonMapper.builder().build();
		return new TaskMessageCodec(mapper, List.of("json"), Serializers.defaults(mapper), "json", null, typedJson);
	}

	private <T> T read(String json, Class<T> type) {
		Object value = PythonJson.reader(this.mapper).readValue(json);
		return this.mapper.convertValue(value, type);
	}

	@Test
	void typedDatetimeWithOffsetBecomesEveryDateTimeType() {
		String json = "{\"__type__\": \"datetime\", \"__value__\": \"2026-01-02T03:04:05.123456+01:00\"}";
		assertThat(read(json, OffsetDateTime.class))
			.isEqualTo(OffsetDateTime.parse("2026-01-02T03:04:05.123456+01:00"));
		assertThat(read(json, Instant.class)).isEqualTo(Instant.parse("2026-01-02T02:04:05.123456Z"));
		assertThat(read(json, LocalDateTime.class)).isEqualTo(LocalDateTime.parse("2026-01-02T02:04:05.123456"));
		assertThat(read(json, LocalDate.class)).isEqualTo(LocalDate.parse("2026-01-02"));
		assertThat(read(json, String.class)).isEqualTo("2026-01-02T03:04:05.123456+01:00");
	}

	@Test
	void naiveTypedDatetimeIsUtcAsCeleryKeepsIt() {
		String json = "{\"__type__\": \"datetime\", \"__value__\": \"2026-01-02T03:04:05\"}";
		assertThat(read(json, OffsetDateTime.class)).isEqualTo(OffsetDateTime.parse("2026-01-02T03:04:05Z"));
		assertThat(read(json, LocalDateTime.class)).isEqualTo(LocalDateTime.parse("2026-01-02T03:04:05"));
	}

	@Test
	void typedDateTimeDecimalUuidAndBytesBecomeTheirJavaTypes() {
		assertThat(read("{\"__type__\": \"date\", \"__value__\": \"2026-01-02\"}", LocalDate.class))
			.isEqualTo(LocalDate.of(2026, 1, 2));
		assertThat(read("{\"__type__\": \"time\", \"__value__\": \"10:15:00.000250\"}", LocalTime.class))
			.isEqualTo(LocalTime.of(10, 15, 0, 250_000));
		assertThat(read("{\"__type__\": \"time\", \"__value__\": \"10:15:00+02:00\"}", OffsetTime.class))
			.isEqualTo(OffsetTime.of(10, 15, 0, 0, ZoneOffset.ofHours(2)));
		BigDecimal decimal = read("{\"__type__\": \"decimal\", \"__value__\": \"1.10\"}", BigDecimal.class);
		assertThat(decimal).isEqualTo(new BigDecimal("1.10"));
		assertThat(decimal.scale()).isEqualTo(2);
		assertThat(read("{\"__type__\": \"uuid\", \"__value__\": {\"hex\": \"0d4a2a5b97c84f5aa2b3c1b9d4e6f708\", "
				+ "\"version\": 4}}", UUID.class))
			.isEqualTo(UUID.fromString("0d4a2a5b-97c8-4f5a-a2b3-c1b9d4e6f708"));
		assertThat(read("{\"__type__\": \"bytes\", \"__value__\": \"caf\\u00e9\"}", byte[].class))
			.isEqualTo("café".getBytes(StandardCharsets.UTF_8));
		assertThat(read("{\"__type__\": \"base64\", \"__value__\": \"/wA=\"}", byte[].class)).containsExactly(0xff,
				0x00);
	}

	@Test
	void typedValuesInsideCollectionsAreReadForTheElementType() {
		Object value = PythonJson.reader(this.mapper)
			.readValue("[{\"__type__\": \"decimal\", \"__value__\": \"0.1\"}, \"2.5\", 3]");
		List<BigDecimal> decimals = this.mapper.convertValue(value, new TypeReference<List<BigDecimal>>() {
		});
		assertThat(decimals).containsExactly(new BigDecimal("0.1"), new BigDecimal("2.5"), new BigDecimal("3"));
	}

	@Test
	void celery52PlainFormsAreRead() {
		// kombu 5.2.4's JSONEncoder: "Z" for UTC, a date as a midnight datetime, Decimal
		// and
		// UUID as str.
		assertThat(read("\"2026-01-02T03:04:05.123456Z\"", OffsetDateTime.class))
			.isEqualTo(OffsetDateTime.parse("2026-01-02T03:04:05.123456Z"));
		assertThat(read("\"2026-01-02T03:04:05\"", Instant.class)).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
		assertThat(read("\"2026-01-02T00:00:00\"", LocalDate.class)).isEqualTo(LocalDate.of(2026, 1, 2));
		assertThat(read("\"10:15:30\"", LocalTime.class)).isEqualTo(LocalTime.of(10, 15, 30));
		assertThat(read("\"1.10\"", BigDecimal.class)).isEqualTo(new BigDecimal("1.10"));
		assertThat(read("\"0d4a2a5b-97c8-4f5a-a2b3-c1b9d4e6f708\"", UUID.class))
			.isEqualTo(UUID.fromString("0d4a2a5b-97c8-4f5a-a2b3-c1b9d4e6f708"));
	}

	@Test
	void aTypedObjectStaysAMapForAnUntypedParameter() {
		Object value = PythonJson.reader(this.mapper).readValue("{\"__type__\": \"decimal\", \"__value__\": \"1.5\"}");
		assertThat(this.mapper.convertValue(value, Object.class))
			.isEqualTo(Map.of("__type__", "decimal", "__value__", "1.5"));
	}

	@Test
	void anUnknownMarkerOrAnotherObjectIsRefusedNamingWhatWasExpected() {
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> read("{\"__type__\": \"complex\", \"__value__\": \"1+2j\"}", BigDecimal.class))
			.withMessageContaining("kombu type 'complex' is not one taskqueue knows");
		assertThatExceptionOfType(JacksonException.class).isThrownBy(() -> read("{\"x\": 1}", OffsetDateTime.class))
			.withMessageContaining("only kombu's typed objects");
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> read("{\"__type__\": \"date\", \"__value__\": \"2026-01-02\"}", UUID.class))
			.withMessageContaining("a kombu 'date' value cannot be converted to UUID");
	}

	@Test
	void typedCodecWritesEachTypeAsKombuDoes() {
		List<Object> args = Arrays.asList(OffsetDateTime.parse("2026-01-02T03:04:05.123456789+01:00"),
				Instant.parse("2026-01-02T03:04:05Z"), LocalDateTime.parse("2026-01-02T03:04:05.5"),
				LocalDate.of(2026, 1, 2), LocalTime.of(10, 15), new BigDecimal("1.10"),
				UUID.fromString("0d4a2a5b-97c8-4f5a-a2b3-c1b9d4e6f708"), "café".getBytes(StandardCharsets.UTF_8),
				new byte[] { (byte) 0xff, 0 });
		String body = new String(this.typed.encodeBody(TaskMessage.builder("id", "t").args(args).build()),
				StandardCharsets.UTF_8);
		assertThat(body)
			.startsWith("[[{\"__type__\": \"datetime\", \"__value__\": \"2026-01-02T03:04:05.123456+01:00\"}, "
					+ "{\"__type__\": \"datetime\", \"__value__\": \"2026-01-02T03:04:05+00:00\"}, "
					+ "{\"__type__\": \"datetime\", \"__value__\": \"2026-01-02T03:04:05.500000\"}, "
					+ "{\"__type__\": \"date\", \"__value__\": \"2026-01-02\"}, "
					+ "{\"__type__\": \"time\", \"__value__\": \"10:15:00\"}, "
					+ "{\"__type__\": \"decimal\", \"__value__\": \"1.10\"}, "
					+ "{\"__type__\": \"uuid\", \"__value__\": {\"hex\": \"0d4a2a5b97c84f5aa2b3c1b9d4e6f708\", \"version\": 4}}, "
					+ "{\"__type__\": \"bytes\", \"__value__\": \"caf\\u00e9\"}, "
					+ "{\"__type__\": \"base64\", \"__value__\": \"/wA=\"}], {}, ");
	}

	@Test
	void plainCodecWritesTextAsCelery52CanRead() {
		List<Object> args = List.of(OffsetDateTime.parse("2026-01-02T03:04:05+01:00"), new BigDecimal("1.10"),
				UUID.fromString("0d4a2a5b-97c8-4f5a-a2b3-c1b9d4e6f708"));
		String body = new String(this.plain.encodeBody(TaskMessage.builder("id", "t").args(args).build()),
				StandardCharsets.UTF_8);
		assertThat(body).doesNotContain("__type__").contains("\"0d4a2a5b-97c8-4f5a-a2b3-c1b9d4e6f708\"");
	}

	@Test
	void whatTheTypedCodecWritesItReadsBack() {
		OffsetDateTime when = OffsetDateTime.parse("2026-01-02T03:04:05.123456+01:00");
		TaskMessage sent = TaskMessage.builder("id-1", "t").args(List.of(when, new BigDecimal("2.50"))).build();
		EncodedMessage encoded = this.typed.encode(sent);
		MessageProperties properties = new DefaultMessagePropertiesConverter().toMessageProperties(encoded.properties(),
				new Envelope(1, false, "", "q"), "UTF-8");
		TaskMessage received = this.plain.decode(properties, encoded.body());
		assertThat(this.plain.mapper().convertValue(received.args().get(0), OffsetDateTime.class)).isEqualTo(when);
		assertThat(this.plain.mapper().convertValue(received.args().get(1), BigDecimal.class))
			.isEqualTo(new BigDecimal("2.50"));
	}

}
