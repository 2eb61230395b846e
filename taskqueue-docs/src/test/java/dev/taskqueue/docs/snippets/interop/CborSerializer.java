package dev.taskqueue.docs.snippets.interop;

import dev.taskqueue.protocol.TaskSerializer;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

// tag::serializer[]
// taskqueue.serializer: cbor, or accept-content: [json, cbor]
@Component
class CborSerializer implements TaskSerializer {

	private final CborCodec cbor; // whatever CBOR library you use

	CborSerializer(CborCodec cbor) {
		this.cbor = cbor;
	}

	@Override
	public String name() {
		return "cbor";
	}

	@Override
	public String contentType() {
		return "application/x-cbor";
	}

	@Override
	public String contentEncoding() {
		return "binary";
	}

	@Override
	public byte[] encode(@Nullable Object value) {
		return this.cbor.write(value);
	}

	@Override
	public @Nullable Object decode(byte[] data) {
		// Map, List, String, Integer/Long/BigInteger, Double, Boolean or null
		return this.cbor.read(data);
	}

}
// end::serializer[]

interface CborCodec {

	byte[] write(@Nullable Object value);

	@Nullable Object read(byte[] data);

}
