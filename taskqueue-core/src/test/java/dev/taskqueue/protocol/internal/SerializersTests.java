package dev.taskqueue.protocol.internal;

import java.util.List;

import dev.taskqueue.protocol.TaskSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link Serializers}: found by name or content type; an application's own may replace a
 * built-in one.
 */
class SerializersTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void findsBuiltInSerializersByNameOrContentTypeInAnyCase() {
		Serializers serializers = Serializers.defaults(this.mapper);
		assertThat(serializers.get("json")).isInstanceOf(JsonTaskSerializer.class);
		assertThat(serializers.get(" MsgPack ")).isInstanceOf(MsgpackTaskSerializer.class);
		assertThat(serializers.get("application/x-msgpack")).isInstanceOf(MsgpackTaskSerializer.class);
		assertThat(serializers.forContentType("application/json")).isInstanceOf(JsonTaskSerializer.class);
		assertThat(serializers.forContentType("application/x-yaml")).isNull();
	}

	@Test
	void unknownNameIsRefusedListingTheAcceptedForms() {
		assertThatIllegalArgumentException().isThrownBy(() -> Serializers.defaults(this.mapper).get("pickle"))
			.withMessage(
					"Unknown serializer 'pickle': use one of json (application/json), msgpack (application/x-msgpack)");
	}

	@Test
	void aLaterSerializerWithTheSameNameReplacesTheEarlierOne() {
		TaskSerializer own = new Named("msgpack", "application/x-msgpack");
		Serializers serializers = new Serializers(
				List.of(new JsonTaskSerializer(this.mapper), new MsgpackTaskSerializer(this.mapper), own));
		assertThat(serializers.get("msgpack")).isSameAs(own);
		assertThat(serializers.forContentType("application/x-msgpack")).isSameAs(own);
		assertThat(serializers.all()).hasSize(2);
	}

	@Test
	void aLaterSerializerWithTheSameContentTypeReplacesTheEarlierOneAndItsName() {
		TaskSerializer own = new Named("fastjson", "application/json");
		Serializers serializers = new Serializers(List.of(new JsonTaskSerializer(this.mapper), own));
		assertThat(serializers.get("application/json")).isSameAs(own);
		assertThatIllegalArgumentException().isThrownBy(() -> serializers.get("json"))
			.withMessageContaining("use one of fastjson (application/json)");
	}

	@Test
	void aSerializerWithoutANameIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Serializers(List.of(new Named(" ", "text/x"))))
			.withMessageContaining("must have a name and a content type");
	}

	private record Named(String name, String contentType) implements TaskSerializer {

		@Override
		public String contentEncoding() {
			return "utf-8";
		}

		@Override
		public byte[] encode(@Nullable Object value) {
			return new byte[0];
		}

		@Override
		public @Nullable Object decode(byte[] data) {
			return null;
		}

	}

}
