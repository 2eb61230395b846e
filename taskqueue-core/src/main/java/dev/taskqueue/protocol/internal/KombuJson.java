package dev.taskqueue.protocol.internal;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.ArrayType;

/**
 * kombu's typed JSON (kombu 5.3+, Celery 5.3+): {@code datetime}, {@code date},
 * {@code time}, {@code Decimal}, {@code UUID} and {@code bytes} travel as
 * <code>{"__type__": "datetime", "__value__": "2026-01-02T03:04:05+00:00"}</code>; a
 * {@code UUID}'s value is <code>{"hex": ..., "version": 4}</code>, and {@code bytes} that
 * are not UTF-8 travel as {@code base64}.
 * <p>
 * Reading is always on: a parameter or result of type {@link OffsetDateTime},
 * {@link ZonedDateTime}, {@link Instant}, {@link LocalDateTime}, {@link LocalDate},
 * {@link LocalTime}, {@link OffsetTime}, {@link BigDecimal}, {@link UUID}, {@code byte[]}
 * or {@link String} accepts the typed object as well as the plain forms kombu 5.2 writes
 * (ISO text with {@code Z} or without offset, a date as a midnight date-time, decimals
 * and UUIDs as text). A typed object bound to {@code Object} or a {@code Map} stays a
 * map. Writing typed objects is a choice ({@link #writing}), since Celery 5.2 reads them
 * as dicts.
 */
final class KombuJson {

	static final String TYPE = "__type__";

	static final String VALUE = "__value__";

	private static final Set<Class<?>> TYPED = Set.of(OffsetDateTime.class, ZonedDateTime.class, Instant.class,
			LocalDateTime.class, LocalDate.class, LocalTime.class, OffsetTime.class, BigDecimal.class, UUID.class,
			String.class);

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

	private static final DateTimeFormatter TIME_MICROS = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

	private KombuJson() {
	}

	/**
	 * A mapper that also reads typed objects into the types above.
	 * @param mapper the application's mapper
	 * @return the mapper with typed reading
	 */
	static JsonMapper reading(JsonMapper mapper) {
		SimpleModule module = new SimpleModule("kombu-typed-json-reading");
		module.setDeserializerModifier(new TypedReading());
		return mapper.rebuild().addModule(module).build();
	}

	/**
	 * A mapper that writes the types above as typed objects.
	 * @param mapper the mapper to write with
	 * @return the mapper with typed writing
	 */
	static JsonMapper writing(JsonMapper mapper) {
		SimpleModule module = new SimpleModule("kombu-typed-json-writing");
		module.addSerializer(OffsetDateTime.class, new TypedSerializer<>("datetime", CeleryTime::formatAware));
		module.addSerializer(ZonedDateTime.class,
				new TypedSerializer<ZonedDateTime>("datetime", (t) -> CeleryTime.formatAware(t.toOffsetDateTime())));
		module.addSerializer(Instant.class,
				new TypedSerializer<Instant>("datetime", (t) -> CeleryTime.formatAware(t.atOffset(ZoneOffset.UTC))));
		module.addSerializer(LocalDateTime.class, new TypedSerializer<>("datetime", CeleryTime::formatLocal));
		module.addSerializer(LocalDate.class, new TypedSerializer<>("date", LocalDate::toString));
		module.addSerializer(LocalTime.class, new TypedSerializer<>("time", KombuJson::formatTime));
		module.addSerializer(OffsetTime.class, new TypedSerializer<OffsetTime>("time",
				(t) -> formatTime(t.toLocalTime()) + CeleryTime.formatOffset(t.getOffset())));
		module.addSerializer(BigDecimal.class, new TypedSerializer<>("decimal", BigDecimal::toString));
		module.addSerializer(UUID.class, new TypedSerializer<>("uuid", KombuJson::uuidValue));
		module.addSerializer(byte[].class, new BytesSerializer());
		return mapper.rebuild().addModule(module).build();
	}

	/** Python's {@code time.isoformat()}: seconds always, microseconds when not zero. */
	private static String formatTime(LocalTime time) {
		LocalTime t = time.truncatedTo(ChronoUnit.MICROS);
		return ((t.getNano() == 0) ? TIME : TIME_MICROS).format(t);
	}

	/**
	 * {@code {"hex": ..., "version": ...}}; Python has a version only for RFC 4122 UUIDs.
	 */
	private static Map<String, @Nullable Object> uuidValue(UUID uuid) {
		Map<String, @Nullable Object> value = new java.util.LinkedHashMap<>(4);
		value.put("hex", uuid.toString().replace("-", ""));
		value.put("version", (uuid.variant() == 2) ? uuid.version() : null);
		return value;
	}

	/**
	 * Parse ISO text as Python's {@code datetime.fromisoformat} and Celery's
	 * {@code parse_iso8601} accept it: with an offset, {@code Z} or none (taken as UTC,
	 * as Celery's {@code enable_utc}), or a bare date (midnight).
	 */
	static OffsetDateTime parseDateTime(String text) {
		String value = text.trim();
		if (value.length() == 10) {
			return LocalDate.parse(value).atStartOfDay().atOffset(ZoneOffset.UTC);
		}
		TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(value.replace(' ', 'T'),
				OffsetDateTime::from, LocalDateTime::from);
		return (parsed instanceof OffsetDateTime aware) ? aware : ((LocalDateTime) parsed).atOffset(ZoneOffset.UTC);
	}

	private static LocalDateTime parseLocalDateTime(String text) {
		String value = text.trim();
		if (value.length() == 10) {
			return LocalDate.parse(value).atStartOfDay();
		}
		TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(value.replace(' ', 'T'),
				OffsetDateTime::from, LocalDateTime::from);
		// An aware value becomes UTC wall time, as Celery keeps naive times in UTC.
		return (parsed instanceof OffsetDateTime aware) ? aware.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
				: (LocalDateTime) parsed;
	}

	private static OffsetTime parseOffsetTime(String text) {
		TemporalAccessor parsed = DateTimeFormatter.ISO_TIME.parseBest(text.trim(), OffsetTime::from, LocalTime::from);
		return (parsed instanceof OffsetTime aware) ? aware : ((LocalTime) parsed).atOffset(ZoneOffset.UTC);
	}

	/**
	 * Convert a value of a kombu type marker into a target type, or explain why not.
	 */
	static Object convert(String marker, JsonNode value, Class<?> target) {
		switch (marker) {
			case "datetime" -> {
				String text = text(marker, value);
				if (target == String.class) {
					return text;
				}
				if (target == LocalDateTime.class) {
					return parseLocalDateTime(text);
				}
				OffsetDateTime time = parseDateTime(text);
				if (target == OffsetDateTime.class) {
					return time;
				}
				if (target == ZonedDateTime.class) {
					return time.toZonedDateTime();
				}
				if (target == Instant.class) {
					return time.toInstant();
				}
				if (target == LocalDate.class) {
					return parseLocalDateTime(text).toLocalDate();
				}
			}
			case "date" -> {
				String text = text(marker, value);
				if (target == String.class) {
					return text;
				}
				if (target == LocalDate.class) {
					return LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
				}
			}
			case "time" -> {
				String text = text(marker, value);
				if (target == String.class) {
					return text;
				}
				if (target == LocalTime.class) {
					return parseOffsetTime(text).toLocalTime();
				}
				if (target == OffsetTime.class) {
					return parseOffsetTime(text);
				}
			}
			case "decimal" -> {
				String text = text(marker, value);
				if (target == String.class) {
					return text;
				}
				if (target == BigDecimal.class) {
					return new BigDecimal(text.trim());
				}
			}
			case "uuid" -> {
				String hex = value.isObject() ? value.path("hex").asString("") : value.asString("");
				UUID uuid = uuid(hex);
				if (target == String.class) {
					return uuid.toString();
				}
				if (target == UUID.class) {
					return uuid;
				}
			}
			case "bytes", "base64" -> {
				String text = text(marker, value);
				byte[] bytes = marker.equals("bytes") ? text.getBytes(StandardCharsets.UTF_8)
						: Base64.getDecoder().decode(text);
				if (target == byte[].class) {
					return bytes;
				}
				if (target == String.class) {
					return marker.equals("bytes") ? text : new String(bytes, StandardCharsets.UTF_8);
				}
			}
			default -> throw new IllegalArgumentException("kombu type '" + marker + "' is not one taskqueue knows "
					+ "(datetime, date, time, decimal, uuid, bytes, base64)");
		}
		throw new IllegalArgumentException(
				"a kombu '" + marker + "' value cannot be converted to " + target.getSimpleName());
	}

	private static String text(String marker, JsonNode value) {
		if (!value.isString()) {
			throw new IllegalArgumentException("the value of a kombu '" + marker + "' must be text, got " + value);
		}
		return value.asString();
	}

	private static UUID uuid(String hex) {
		String h = hex.replace("-", "").trim();
		if (h.length() != 32) {
			throw new IllegalArgumentException("'" + hex + "' is not a UUID's 32 hex digits");
		}
		return UUID.fromString(h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-"
				+ h.substring(16, 20) + "-" + h.substring(20));
	}

	/** Wraps the deserializers of the supported types. */
	private static final class TypedReading extends ValueDeserializerModifier {

		@Override
		public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
				BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
			Class<?> type = description.getBeanClass();
			return TYPED.contains(type) ? new TypedDeserializer(deserializer, type) : deserializer;
		}

		@Override
		public ValueDeserializer<?> modifyArrayDeserializer(DeserializationConfig config, ArrayType valueType,
				BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
			return (valueType.getRawClass() == byte[].class) ? new TypedDeserializer(deserializer, byte[].class)
					: deserializer;
		}

	}

	/**
	 * A typed object is converted here; ISO text of date and time types is parsed as
	 * Python writes it; everything else goes to the standard deserializer.
	 */
	private static final class TypedDeserializer extends DelegatingDeserializer {

		private final Class<?> type;

		TypedDeserializer(ValueDeserializer<?> delegate, Class<?> type) {
			super(delegate);
			this.type = type;
		}

		@Override
		protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
			return new TypedDeserializer(delegate, this.type);
		}

		@Override
		public Object deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
			JsonToken token = p.currentToken();
			if (token == JsonToken.START_OBJECT) {
				JsonNode node = ctxt.readTree(p);
				JsonNode marker = node.get(TYPE);
				if (node.size() != 2 || marker == null || !marker.isString() || !node.has(VALUE)) {
					return ctxt.reportInputMismatch(this,
							"Cannot read an object as %s: only kombu's typed objects "
									+ "{\"__type__\": ..., \"__value__\": ...} are accepted",
							this.type.getSimpleName());
				}
				try {
					return convert(marker.asString(), node.get(VALUE), this.type);
				}
				catch (IllegalArgumentException | DateTimeParseException ex) {
					return ctxt.reportInputMismatch(this, "Cannot read %s: %s", node, ex.getMessage());
				}
			}
			if (token == JsonToken.VALUE_STRING && isDateOrTime()) {
				String text = p.getString();
				try {
					return convert(marker(), ctxt.getNodeFactory().stringNode(text), this.type);
				}
				catch (IllegalArgumentException | DateTimeParseException ex) {
					return ctxt.reportInputMismatch(this, "Cannot read '%s' as %s: %s", text, this.type.getSimpleName(),
							ex.getMessage());
				}
			}
			return super.deserialize(p, ctxt);
		}

		private boolean isDateOrTime() {
			return this.type != String.class && this.type != BigDecimal.class && this.type != UUID.class
					&& this.type != byte[].class;
		}

		/** The marker whose parsing a plain string of this type gets. */
		private String marker() {
			if (this.type == LocalTime.class || this.type == OffsetTime.class) {
				return "time";
			}
			return "datetime";
		}

	}

	private static final class TypedSerializer<T> extends ValueSerializer<T> {

		private final String marker;

		private final java.util.function.Function<T, Object> value;

		TypedSerializer(String marker, java.util.function.Function<T, Object> value) {
			this.marker = marker;
			this.value = value;
		}

		@Override
		public void serialize(T value, JsonGenerator gen, SerializationContext ctxt) throws JacksonException {
			gen.writeStartObject();
			gen.writeStringProperty(TYPE, this.marker);
			gen.writeName(VALUE);
			Object written = this.value.apply(value);
			if (written instanceof String text) {
				gen.writeString(text);
			}
			else {
				ctxt.writeValue(gen, written);
			}
			gen.writeEndObject();
		}

	}

	/** kombu: {@code bytes} when the bytes are UTF-8 text, {@code base64} otherwise. */
	private static final class BytesSerializer extends ValueSerializer<byte[]> {

		@Override
		public void serialize(byte[] value, JsonGenerator gen, SerializationContext ctxt) throws JacksonException {
			String text;
			String marker;
			try {
				text = StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)
					.decode(ByteBuffer.wrap(value))
					.toString();
				marker = "bytes";
			}
			catch (CharacterCodingException ex) {
				text = Base64.getEncoder().encodeToString(value);
				marker = "base64";
			}
			gen.writeStartObject();
			gen.writeStringProperty(TYPE, marker);
			gen.writeStringProperty(VALUE, text);
			gen.writeEndObject();
		}

	}

}
