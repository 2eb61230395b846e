package dev.taskqueue.protocol;

import dev.taskqueue.protocol.internal.Serializers;
import org.jspecify.annotations.Nullable;

/**
 * A serializer of task message bodies and stored results, as kombu registers one: a name
 * that Celery's settings use ({@code task_serializer='msgpack'}), the content type
 * written in the message's properties, and the content encoding that goes with it.
 * <p>
 * {@code json} and {@code msgpack} are built in ({@link Serializers#defaults}); a
 * {@code TaskSerializer} bean adds another content type, which
 * {@code taskqueue.serializer}, {@code taskqueue.result.serializer} and
 * {@code taskqueue.accept-content} may then name.
 * <p>
 * Values cross in the model a JSON parser produces, so a task sees the same arguments
 * whatever the serializer: {@link java.util.Map} (string keys, in order),
 * {@link java.util.List}, {@link String},
 * {@link Integer}/{@link Long}/{@link java.math.BigInteger}, {@link Double},
 * {@link Boolean} and {@code null}, plus {@code byte[]} where the format has binary
 * values.
 */
public interface TaskSerializer {

	/**
	 * The name Celery's settings use for this serializer, e.g. {@code msgpack}.
	 * @return the name
	 */
	String name();

	/**
	 * The content type written in a message's {@code content_type} property, e.g.
	 * {@code application/x-msgpack}.
	 * @return the content type, in lower case
	 */
	String contentType();

	/**
	 * The content encoding written in a message's {@code content_encoding} property:
	 * {@code utf-8} for text formats, {@code binary} for binary ones (as kombu writes
	 * them).
	 * @return the content encoding
	 */
	String contentEncoding();

	/**
	 * Encode a message body ({@code [args, kwargs, embed]}) or a result record.
	 * @param value the value: the model above, or any value the application's JSON mapper
	 * can write (which the serializer converts the way JSON would)
	 * @return the encoded bytes
	 * @throws IllegalArgumentException if the value cannot be written in this format
	 */
	byte[] encode(@Nullable Object value);

	/**
	 * Decode bytes written by this serializer, by Celery or by any other client.
	 * @param data the bytes
	 * @return the value, in the model above
	 * @throws RuntimeException (any) if the bytes are not a valid value of this format;
	 * the message then names the problem
	 */
	@Nullable Object decode(byte[] data);

}
