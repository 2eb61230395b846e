package dev.taskqueue.protocol.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.taskqueue.protocol.TaskSerializer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The serializers a process knows, found by name ({@code msgpack}) or content type
 * ({@code application/x-msgpack}) with one map lookup, as kombu's registry does.
 */
public final class Serializers {

	private final Map<String, TaskSerializer> byContentType;

	private final Map<String, TaskSerializer> byKey;

	/**
	 * Create a registry.
	 * @param serializers the serializers; a later one with the same name or content type
	 * replaces an earlier one, so an application's own serializer may replace a built-in
	 * one
	 */
	public Serializers(Collection<? extends TaskSerializer> serializers) {
		Map<String, TaskSerializer> types = new LinkedHashMap<>();
		Map<String, TaskSerializer> keys = new HashMap<>();
		for (TaskSerializer serializer : serializers) {
			String type = serializer.contentType().trim().toLowerCase(Locale.ROOT);
			String name = serializer.name().trim().toLowerCase(Locale.ROOT);
			if (type.isEmpty() || name.isEmpty()) {
				throw new IllegalArgumentException(
						"Serializer " + serializer.getClass().getName() + " must have a name and a content type");
			}
			List.of(name, type).forEach((key) -> {
				TaskSerializer replaced = keys.get(key);
				if (replaced != null) {
					types.values().remove(replaced);
					keys.values().removeIf((s) -> s == replaced);
				}
			});
			types.put(type, serializer);
			keys.put(name, serializer);
			keys.put(type, serializer);
		}
		this.byContentType = Map.copyOf(types);
		this.byKey = Map.copyOf(keys);
	}

	/**
	 * The built-in serializers, {@code json} and {@code msgpack}.
	 * @param mapper the mapper both write and read values with
	 * @return the registry
	 */
	public static Serializers defaults(ObjectMapper mapper) {
		return new Serializers(builtIn(mapper));
	}

	/**
	 * The built-in serializers, to combine with an application's own.
	 * @param mapper the mapper both write and read values with
	 * @return {@code json} and {@code msgpack}
	 */
	public static List<TaskSerializer> builtIn(ObjectMapper mapper) {
		// As the codec, never with default typing: a message must not choose classes.
		ObjectMapper safe = (mapper instanceof JsonMapper json) ? TaskMessageCodec.withoutDefaultTyping(json) : mapper;
		return List.of(new JsonTaskSerializer(safe), new MsgpackTaskSerializer(safe));
	}

	/**
	 * The serializer of a received message's content type.
	 * @param contentType the content type, in lower case
	 * @return the serializer, or {@code null} if none is known
	 */
	public @Nullable TaskSerializer forContentType(String contentType) {
		return this.byContentType.get(contentType);
	}

	/**
	 * Find a serializer by name or content type.
	 * @param nameOrType e.g. {@code msgpack} or {@code application/x-msgpack}, any case
	 * @return the serializer
	 * @throws IllegalArgumentException if none has that name or content type; the message
	 * lists the accepted forms
	 */
	public TaskSerializer get(String nameOrType) {
		TaskSerializer serializer = this.byKey.get(nameOrType);
		if (serializer == null) {
			serializer = this.byKey.get(nameOrType.trim().toLowerCase(Locale.ROOT));
		}
		if (serializer == null) {
			throw new IllegalArgumentException(
					"Unknown serializer '" + nameOrType + "': use one of " + describeAccepted());
		}
		return serializer;
	}

	/**
	 * The accepted forms, for error messages: each serializer's name and content type.
	 * @return e.g. {@code json (application/json), msgpack (application/x-msgpack)}
	 */
	public String describeAccepted() {
		List<String> forms = new ArrayList<>();
		this.byContentType.values()
			.stream()
			.sorted((a, b) -> a.name().compareTo(b.name()))
			.forEach((s) -> forms.add(s.name() + " (" + s.contentType() + ")"));
		return String.join(", ", forms);
	}

	/**
	 * Return every serializer, by content type.
	 * @return every serializer, by content type
	 */
	public Collection<TaskSerializer> all() {
		return this.byContentType.values();
	}

}
