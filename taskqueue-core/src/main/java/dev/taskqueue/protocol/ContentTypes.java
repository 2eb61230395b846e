package dev.taskqueue.protocol;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Serializer names and content types, as Celery's {@code accept_content} spells them: a
 * name ({@code json}) or a MIME type ({@code application/json}).
 */
public final class ContentTypes {

	/** The JSON content type. */
	public static final String JSON = "application/json";

	/** The msgpack content type, as kombu registers it. */
	public static final String MSGPACK = "application/x-msgpack";

	private ContentTypes() {
	}

	/**
	 * Resolve a serializer name or content type to a content type.
	 * @param nameOrType e.g. {@code json} or {@code application/json}
	 * @return the content type
	 */
	public static String resolve(String nameOrType) {
		String value = nameOrType.trim().toLowerCase(Locale.ROOT);
		return switch (value) {
			case "json" -> JSON;
			case "msgpack" -> MSGPACK;
			case "yaml" -> "application/x-yaml";
			case "pickle" -> "application/x-python-serialize";
			default -> value;
		};
	}

	/**
	 * Resolve every entry of an accept list.
	 * @param accept names or content types
	 * @return the content types
	 */
	public static Set<String> resolveAll(Collection<String> accept) {
		Set<String> result = new LinkedHashSet<>();
		accept.forEach((entry) -> result.add(resolve(entry)));
		return result;
	}

}
