package dev.taskqueue.protocol.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Envelope;
import dev.taskqueue.protocol.TaskSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link TaskMessageCodec} with serializers other than JSON and with compression: the
 * properties and headers kombu writes, the decoder chosen by content type, and clear
 * refusals.
 */
class TaskMessageCodecSerializerTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final TaskMessageCodec codec = new TaskMessageCodec(this.mapper, List.of("json", "msgpack"),
			Serializers.defaults(this.mapper), "json", null);

	private final TaskMessage message = TaskMessage.builder("3c0ae7f4-5d0e-4bbb-a11c-3b7a1b0e3c55", "tasks.echo")
		.args(List.of(1, "中文 😀", new byte[] { 0, 1, -1 }, List.of(2.5, Map.of("k", true))))
		.kwargs(Map.of("n", Long.MAX_VALUE))
		.build();

	@Test
	void msgpackMessageHasKombusContentTypeAndEncodingAndReadsBackTheSame() {
		EncodedMessage encoded = this.codec.encode(this.message.toBuilder().serializer("msgpack").build());
		assertThat(encoded.properties().getContentType()).isEqualTo("application/x-msgpack");
		assertThat(encoded.properties().getContentEncoding()).isEqualTo("binary");
		assertThat(encoded.properties().getHeaders()).doesNotContainKey("compression");
		assertThat(encoded.body()[0] & 0xff).isEqualTo(0x93);
		TaskMessage decoded = decode(this.codec, encoded);
		assertThat(decoded.serializer()).isEqualTo("application/x-msgpack");
		assertThat(decoded.args()).hasSize(4);
		assertThat(decoded.args().get(1)).isEqualTo("中文 😀");
		assertThat((byte[]) decoded.args().get(2)).containsExactly(0, 1, -1);
		assertThat(decoded.args().get(3)).isEqualTo(List.of(2.5, Map.of("k", true)));
		assertThat(decoded.kwargs()).isEqualTo(Map.of("n", Long.MAX_VALUE));
		assertThat(decoded.extraHeaders()).isEmpty();
	}

	@Test
	void serializerMayBeNamedByContentTypeInAnyCase() {
		EncodedMessage encoded = this.codec
			.encode(this.message.toBuilder().serializer("Application/X-Msgpack").build());
		assertThat(encoded.properties().getContentType()).isEqualTo("application/x-msgpack");
	}

	@Test
	void jsonBodyIsByteIdenticalToTheJsonOnlyCodec() {
		TaskMessageCodec jsonOnly = new TaskMessageCodec(this.mapper, List.of("json"));
		TaskMessage plain = this.message.toBuilder().args(List.of(1, "中文 😀", Double.NaN)).build();
		assertThat(this.codec.encode(plain).body()).containsExactly(jsonOnly.encode(plain).body());
		assertThat(this.codec.encode(plain.toBuilder().serializer("json").build()).body())
			.containsExactly(jsonOnly.encode(plain).body());
		assertThat(this.codec.encode(plain).properties().getContentType()).isEqualTo("application/json");
		assertThat(this.codec.encode(plain).properties().getContentEncoding()).isEqualTo("utf-8");
	}

	@Test
	void compressedMessageCarriesKombusHeaderAfterCelerysAndReadsBack() {
		EncodedMessage encoded = this.codec
			.encode(this.message.toBuilder().serializer("msgpack").compression("zlib").build());
		Map<String, Object> headers = encoded.properties().getHeaders();
		assertThat(headers).containsEntry("compression", "application/x-gzip");
		assertThat(List.copyOf(headers.keySet())).endsWith("compression");
		assertThat(Compression.decompress("application/x-gzip", encoded.body()))
			.containsExactly(this.codec.encodeBody(this.message.toBuilder().serializer("msgpack").build()));
		TaskMessage decoded = decode(this.codec, encoded);
		assertThat(decoded.compression()).isEqualTo("application/x-gzip");
		assertThat(decoded.extraHeaders()).doesNotContainKey("compression");
		assertThat(decoded.args().get(1)).isEqualTo("中文 😀");
	}

	@Test
	void aReceivedMessageIsResentInItsOwnSerializerAndCompression() {
		EncodedMessage encoded = this.codec
			.encode(this.message.toBuilder().serializer("msgpack").compression("gzip").build());
		TaskMessage retry = decode(this.codec, encoded).toBuilder().retries(1).build();
		EncodedMessage again = this.codec.encode(retry);
		assertThat(again.properties().getContentType()).isEqualTo("application/x-msgpack");
		assertThat(again.properties().getHeaders()).containsEntry("compression", "application/x-gzip");
		assertThat(decode(this.codec, again).retries()).isEqualTo(1);
	}

	@Test
	void codecDefaultsApplyWhenAMessageChoosesNothing() {
		TaskMessageCodec msgpackByDefault = new TaskMessageCodec(this.mapper, List.of("msgpack"),
				Serializers.defaults(this.mapper), "msgpack", "gzip");
		EncodedMessage encoded = msgpackByDefault.encode(this.message);
		assertThat(encoded.properties().getContentType()).isEqualTo("application/x-msgpack");
		assertThat(encoded.properties().getHeaders()).containsEntry("compression", "application/x-gzip");
		assertThat(msgpackByDefault.encode(this.message.toBuilder().serializer("json").build())
			.properties()
			.getContentType()).isEqualTo("application/json");
	}

	@Test
	void anExtraHeaderNamedCompressionCannotMislabelAnUncompressedBody() {
		EncodedMessage encoded = this.codec.encode(this.message.toBuilder().extraHeader("compression", "zlib").build());
		assertThat(encoded.properties().getHeaders()).doesNotContainKey("compression");
		assertThat(decode(this.codec, encoded).args()).hasSize(4);
	}

	@Test
	void unknownSerializerOrCompressionFailsTheSendNamingTheAcceptedForms() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.codec.encode(this.message.toBuilder().serializer("yaml").build()))
			.withMessage(
					"Unknown serializer 'yaml': use one of json (application/json), msgpack (application/x-msgpack)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.codec.encode(this.message.toBuilder().compression("bz2").build()))
			.withMessageContaining("use gzip, zlib or application/x-gzip");
	}

	@Test
	void msgpackIsNotAcceptedUnlessListed() {
		TaskMessageCodec jsonOnly = new TaskMessageCodec(this.mapper, List.of("json"));
		EncodedMessage encoded = this.codec.encode(this.message.toBuilder().serializer("msgpack").build());
		assertThatExceptionOfType(InvalidMessageException.class).isThrownBy(() -> decode(jsonOnly, encoded))
			.withMessageStartingWith("content type 'application/x-msgpack' is not accepted");
	}

	@Test
	void acceptedContentTypeWithoutASerializerIsRefusedAsContentType() {
		TaskMessageCodec yaml = new TaskMessageCodec(this.mapper, List.of("json", "yaml"));
		MessageProperties properties = properties(this.codec.encode(this.message));
		properties.setContentType("application/x-yaml");
		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> yaml.decode(properties, "[[], {}, {}]".getBytes(StandardCharsets.UTF_8)))
			.withMessageStartingWith("content type 'application/x-yaml' has no decoder here");
	}

	@Test
	void msgpackBodyThatIsNotMsgpackIsRefusedNamingTheTask() {
		MessageProperties properties = properties(
				this.codec.encode(this.message.toBuilder().serializer("msgpack").build()));
		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> this.codec.decode(properties, new byte[] { (byte) 0x93, 0x01 }))
			.withMessageStartingWith("body is not valid msgpack: ")
			.satisfies((ex) -> assertThat(ex.getTaskName()).isEqualTo("tasks.echo"));
	}

	@Test
	void msgpackWithATextEncodingIsRefused() {
		MessageProperties properties = properties(
				this.codec.encode(this.message.toBuilder().serializer("msgpack").build()));
		properties.setContentEncoding("utf-8");
		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> this.codec.decode(properties,
					this.codec.encodeBody(this.message.toBuilder().serializer("msgpack").build())))
			.withMessage("content encoding 'utf-8' is not supported for application/x-msgpack (expected 'binary')");
	}

	@Test
	void unsupportedOrCorruptCompressionIsRefused() {
		EncodedMessage encoded = this.codec.encode(this.message.toBuilder().compression("gzip").build());
		MessageProperties properties = properties(encoded);
		properties.setHeader("compression", "application/x-bz2");
		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> this.codec.decode(properties, encoded.body()))
			.withMessageContaining("compression 'application/x-bz2' is not supported");
		MessageProperties gzip = properties(encoded);
		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> this.codec.decode(gzip, "[[], {}, null]".getBytes(StandardCharsets.UTF_8)))
			.withMessageStartingWith("compressed body is not valid zlib data");
	}

	@Test
	void aCompressedBodyMayNotInflatePastTheMessageSizeLimit() {
		TaskMessage big = this.message.toBuilder().args(List.of("x".repeat(200_000))).compression("gzip").build();
		EncodedMessage encoded = this.codec.encode(big);
		assertThat(encoded.body().length).isLessThan(10_000);
		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> this.codec.decode(properties(encoded), encoded.body(), 100_000))
			.withMessage("compressed body inflates past the limit of 100000 bytes (taskqueue.worker.max-message-size)")
			.satisfies((ex) -> assertThat(ex.getTaskId()).isEqualTo(big.id()));
		assertThat(this.codec.decode(properties(encoded), encoded.body(), 300_000).args()).hasSize(1);
	}

	/**
	 * An application's own serializer: JSON inside Base64, a content type no one else
	 * has.
	 */
	static final class Base64JsonSerializer implements TaskSerializer {

		private final JsonTaskSerializer json = new JsonTaskSerializer(JsonMapper.builder().build());

		@Override
		public String name() {
			return "b64json";
		}

		@Override
		public String contentType() {
			return "application/x-b64json";
		}

		@Override
		public String contentEncoding() {
			return "utf-8";
		}

		@Override
		public byte[] encode(@Nullable Object value) {
			return Base64.getEncoder().encode(this.json.encode(value));
		}

		@Override
		public @Nullable Object decode(byte[] data) {
			return this.json.decode(Base64.getDecoder().decode(data));
		}

	}

	@Test
	void anApplicationsOwnSerializerIsUsedByNameAndFoundByContentType() {
		Serializers serializers = new Serializers(
				List.of(new JsonTaskSerializer(this.mapper), new Base64JsonSerializer()));
		TaskMessageCodec custom = new TaskMessageCodec(this.mapper, List.of("b64json"), serializers, "b64json", null);
		EncodedMessage encoded = custom.encode(this.message.toBuilder().args(List.of("x", 2)).build());
		assertThat(encoded.properties().getContentType()).isEqualTo("application/x-b64json");
		assertThat(new String(Base64.getDecoder().decode(encoded.body()), StandardCharsets.UTF_8))
			.startsWith("[[\"x\", 2], {\"n\": 9223372036854775807}, ");
		assertThat(decode(custom, encoded).args()).isEqualTo(List.of("x", 2));
		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> decode(custom, this.codec.encode(this.message)))
			.withMessageStartingWith("content type 'application/json' is not accepted");
	}

	private static TaskMessage decode(TaskMessageCodec codec, EncodedMessage encoded) {
		return codec.decode(properties(encoded), encoded.body());
	}

	private static MessageProperties properties(EncodedMessage encoded) {
		return new DefaultMessagePropertiesConverter().toMessageProperties(encoded.properties(),
				new Envelope(1, false, "", "q"), "UTF-8");
	}

}
