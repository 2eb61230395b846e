package dev.taskqueue.result.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.result.ExceptionInfo;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ExceptionInfo} as Celery stores it in a result: {@code exc_type},
 * {@code exc_message} (the exception's args) and {@code exc_module}.
 */
public final class ExceptionInfoCodec {

	private ExceptionInfoCodec() {
	}

	/**
	 * Return the encoded form stored as a result.
	 * @param exception the exception
	 * @return the encoded form stored as a result
	 */
	public static Map<String, Object> encode(ExceptionInfo exception) {
		Map<String, Object> map = new LinkedHashMap<>(4);
		map.put("exc_type", exception.type());
		map.put("exc_message", exception.messageArgs());
		map.put("exc_module", exception.module());
		return map;
	}

	/**
	 * Read an encoded exception from a stored result.
	 * @param result the stored {@code result} field
	 * @param traceback the stored traceback
	 * @return the exception info, or {@code null} if the value is not an encoded
	 * exception
	 */
	public static @Nullable ExceptionInfo decode(@Nullable Object result, @Nullable String traceback) {
		if (!(result instanceof Map<?, ?> map) || !(map.get("exc_type") instanceof String type)) {
			return null;
		}
		Object message = map.get("exc_message");
		List<?> args = (message instanceof List<?> list) ? list : (message != null) ? List.of(message) : List.of();
		Object module = map.get("exc_module");
		return new ExceptionInfo(type, (module instanceof String m) ? m : null, args, traceback);
	}

}
