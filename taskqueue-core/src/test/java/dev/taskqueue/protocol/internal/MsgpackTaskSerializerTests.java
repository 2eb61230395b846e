package dev.taskqueue.protocol.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link MsgpackTaskSerializer}: round trips of edge values into the JSON value model,
 * and clear errors for what msgpack cannot carry or what is not msgpack.
 */
class MsgpackTaskSerializerTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final MsgpackTaskSerializer msgpack = new MsgpackTaskSerializer(this.mapper);

	private final JsonTaskSerializer json = new JsonTaskSerializer(this.mapper);

	private static final BigInteger MAX_UINT64 = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

	@Test
	void namesItselfAsKombuDoes() {
		assertThat(this.msgpack.name()).isEqualTo("msgpack");
		assertThat(this.msgpack.contentType()).isEqualTo("application/x-msgpack");
		assertThat(this.msgpack.contentEncoding()).isEqualTo("binary");
	}

	@Test
	void integersComeBackInTheNarrowestTypeJsonWouldGive() {
		List<Object> ints = List.of(0, 1, -1, 127, 128, -33, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE,
				(long) Integer.MAX_VALUE + 1, Long.MAX_VALUE, Long.MIN_VALUE, MAX_UINT64,
				BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE));
		Object back = this.msgpack.decode(this.msgpack.encode(ints));
		assertThat(back).isEqualTo(this.json.decode(this.json.encode(ints)));
		assertThat((List<?>) back).extracting((v) -> v.getClass().getSimpleName())
			.containsExactly("Integer", "Integer", "Integer", "Integer", "Integer", "Integer", "Integer", "Integer",
					"Integer", "Long", "Long", "Long", "BigInteger", "BigInteger");
	}

	@Test
	void integersOutsideMsgpacksRangeAreRefusedWithAClearError() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.msgpack.encode(List.of(BigInteger.TWO.pow(64))))
			.withMessageContaining("18446744073709551616 is outside msgpack's range");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.msgpack.encode(BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE)))
			.withMessageContaining("outside msgpack's range");
	}

	@Test
	void floatsIncludingNanAndInfinitiesRoundTripAsDoubles() {
		List<Object> floats = List.of(0.0, -0.0, 1.5, 9.0, 1e300, Double.MIN_VALUE, Double.NaN,
				Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2.5f);
		@SuppressWarnings("unchecked")
		List<Object> back = (List<Object>) this.msgpack.decode(this.msgpack.encode(floats));
		assertThat(back).containsExactly(0.0, -0.0, 1.5, 9.0, 1e300, Double.MIN_VALUE, Double.NaN,
				Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2.5);
		assertThat(back).allMatch(Double.class::isInstance);
	}

	@Test
	void unicodeTextRoundTripsIncludingSupplementaryCharacters() {
		String text = "中文 😀 \u0000 é " + "x".repeat(70000);
		assertThat(this.msgpack.decode(this.msgpack.encode(List.of(text, "")))).isEqualTo(List.of(text, ""));
	}

	@Test
	void bytesRoundTripAsBinary() {
		byte[] bytes = { 0, -1, 127, -128, 10 };
		byte[] encoded = this.msgpack.encode(bytes);
		// bin 8 (0xc4), as Python's packb(b'...', use_bin_type=True) writes bytes
		assertThat(encoded[0] & 0xff).isEqualTo(0xc4);
		assertThat((byte[]) this.msgpack.decode(encoded)).containsExactly(bytes);
	}

	@Test
	void nestedListsAndMapsKeepTheirOrderAndNulls() {
		Map<String, @Nullable Object> inner = new LinkedHashMap<>();
		inner.put("z", null);
		inner.put("a", List.of(2.5, "x", Map.of()));
		Map<String, @Nullable Object> value = new LinkedHashMap<>();
		value.put("b", Arrays.asList(1, null, inner, List.of(), true, false));
		value.put("a", "last");
		Object back = this.msgpack.decode(this.msgpack.encode(value));
		assertThat(back).isEqualTo(value).isInstanceOf(LinkedHashMap.class);
		assertThat(new ArrayList<Object>(((Map<?, ?>) back).keySet())).containsExactly("b", "a");
	}

	@Test
	void deepNestingIsRefusedInsteadOfOverflowingTheStack() {
		List<Object> deep = new ArrayList<>();
		List<Object> current = deep;
		for (int i = 0; i < 2000; i++) {
			List<Object> next = new ArrayList<>();
			current.add(next);
			current = next;
		}
		assertThatIllegalArgumentException().isThrownBy(() -> this.msgpack.encode(deep))
			.withMessageContaining("nests deeper than 1000");
	}

	record Point(int x, int y, LocalDate day) {

	}

	@Test
	void valuesOutsideTheJsonModelAreWrittenAsTheMapperWritesThemToJson() {
		List<Object> value = List.of(new Point(1, 2, LocalDate.of(2026, 1, 2)), new BigDecimal("1.25"),
				java.util.Optional.of("x"), Thread.State.NEW, new String[] { "a", "b" });
		Object back = this.msgpack.decode(this.msgpack.encode(value));
		assertThat(back)
			.isEqualTo(List.of(Map.of("x", 1, "y", 2, "day", "2026-01-02"), 1.25, "x", "NEW", List.of("a", "b")));
	}

	@Test
	void nonStringKeysAreReadAsTheTextJsonWouldHaveSent() throws Exception {
		try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
			packer.packMapHeader(3)
				.packInt(1)
				.packString("one")
				.packBoolean(true)
				.packString("yes")
				.packNil()
				.packInt(0);
			assertThat(this.msgpack.decode(packer.toByteArray()))
				.isEqualTo(Map.of("1", "one", "true", "yes", "null", 0));
		}
	}

	@Test
	void timestampExtensionIsReadAsIsoText() throws Exception {
		try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
			packer.packTimestamp(Instant.parse("2026-11-28T06:00:00.123456Z"));
			assertThat(this.msgpack.decode(packer.toByteArray())).isEqualTo("2026-11-28T06:00:00.123456+00:00");
		}
	}

	@Test
	void otherExtensionTypesAreRefused() throws Exception {
		try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
			packer.packExtensionTypeHeader((byte) 5, 1).writePayload(new byte[] { 1 });
			assertThatIllegalArgumentException().isThrownBy(() -> this.msgpack.decode(packer.toByteArray()))
				.withMessageContaining("extension type 5 is not supported");
		}
	}

	@Test
	void truncatedDataIsRefused() {
		byte[] whole = this.msgpack.encode(List.of("hello", 1));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.msgpack.decode(Arrays.copyOf(whole, whole.length - 2)))
			.withMessageStartingWith("not valid msgpack");
	}

	@Test
	void trailingBytesAreRefused() {
		byte[] whole = this.msgpack.encode(List.of(1));
		byte[] longer = Arrays.copyOf(whole, whole.length + 1);
		assertThatIllegalArgumentException().isThrownBy(() -> this.msgpack.decode(longer))
			.withMessageContaining("unexpected bytes after the msgpack value");
	}

	@Test
	void emptyDataIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.msgpack.decode(new byte[0]))
			.withMessageContaining("empty");
	}

	@Test
	void invalidUtf8InAStringIsRefusedAsPythonsRawFalseDoes() {
		// fixstr of 2 bytes: 0xc3 0x28 is not UTF-8
		byte[] bad = HexFormat.of().parseHex("a2c328");
		assertThatIllegalArgumentException().isThrownBy(() -> this.msgpack.decode(bad))
			.withMessageStartingWith("not valid msgpack");
	}

}
