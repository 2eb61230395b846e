package dev.taskqueue.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * taskqueue's configuration metadata, as the annotation processor writes it
 * ({@code META-INF/spring-configuration-metadata.json}, merged with the additional
 * metadata): every property and group named {@code taskqueue.*}, or with a
 * {@code taskqueue} segment ({@code management.health.taskqueue.enabled}), from every jar
 * or class folder on the class path.
 */
final class ConfigurationMetadata {

	private static final String LOCATION = "META-INF/spring-configuration-metadata.json";

	private final Map<String, Property> properties = new TreeMap<>();

	private final Map<String, Group> groups = new TreeMap<>();

	private ConfigurationMetadata() {
	}

	static ConfigurationMetadata load() {
		ConfigurationMetadata metadata = new ConfigurationMetadata();
		try {
			ClassLoader classLoader = ConfigurationMetadata.class.getClassLoader();
			for (URL url : Collections.list(classLoader.getResources(LOCATION))) {
				try (InputStream in = url.openStream()) {
					metadata.add(JsonMapper.shared().readTree(in));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (metadata.properties.isEmpty()) {
			throw new IllegalStateException("No taskqueue properties in any " + LOCATION + " on the class path");
		}
		return metadata;
	}

	static boolean isTaskQueue(String name) {
		return name.equals("taskqueue") || name.startsWith("taskqueue.") || name.contains(".taskqueue.")
				|| name.endsWith(".taskqueue");
	}

	private void add(JsonNode json) {
		Map<String, List<String>> hints = new TreeMap<>();
		for (JsonNode hint : json.path("hints")) {
			List<String> values = new ArrayList<>();
			for (JsonNode value : hint.path("values")) {
				values.add(value.path("value").asString());
			}
			hints.put(hint.path("name").asString(), values);
		}
		for (JsonNode group : json.path("groups")) {
			String name = group.path("name").asString();
			if (isTaskQueue(name)) {
				this.groups.put(name, new Group(name, text(group, "type"), text(group, "sourceMethod") == null));
			}
		}
		for (JsonNode property : json.path("properties")) {
			String name = property.path("name").asString();
			if (isTaskQueue(name)) {
				JsonNode deprecation = property.path("deprecation");
				this.properties.put(name,
						new Property(name, text(property, "type"), text(property, "description"),
								property.has("defaultValue") ? property.get("defaultValue") : null,
								hints.getOrDefault(name, List.of()),
								deprecation.isMissingNode() ? null : deprecation(deprecation)));
			}
		}
	}

	private static String deprecation(JsonNode deprecation) {
		String text = "Deprecated";
		String replacement = text(deprecation, "replacement");
		String reason = text(deprecation, "reason");
		if (reason != null) {
			text += ": " + reason;
		}
		if (replacement != null) {
			text += "; use `" + replacement + "`";
		}
		return text + ".";
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && !value.isNull()) ? value.asString() : null;
	}

	Map<String, Property> properties() {
		return Collections.unmodifiableMap(this.properties);
	}

	Map<String, Group> groups() {
		return Collections.unmodifiableMap(this.groups);
	}

	/**
	 * The group a property belongs to: the longest group name it starts with.
	 * @param name the property name
	 * @return the group, if any
	 */
	Optional<Group> groupOf(String name) {
		return this.groups.values()
			.stream()
			.filter((group) -> name.startsWith(group.name() + "."))
			.max((a, b) -> Integer.compare(a.name().length(), b.name().length()));
	}

	/**
	 * The {@code @ConfigurationProperties} class a property is bound by: the outermost
	 * group, which has no source method, that it starts with.
	 * @param name the property name
	 * @return the root group, if any
	 */
	Optional<Group> rootOf(String name) {
		return this.groups.values()
			.stream()
			.filter((group) -> group.root() && name.startsWith(group.name() + "."))
			.max((a, b) -> Integer.compare(a.name().length(), b.name().length()));
	}

	/**
	 * A property.
	 *
	 * @param name its name
	 * @param type its type, as the processor writes it
	 * @param description its description, or {@code null}
	 * @param defaultValue its default, or {@code null}
	 * @param hints values the metadata suggests
	 * @param deprecation a sentence on its deprecation, or {@code null}
	 */
	record Property(String name, String type, String description, JsonNode defaultValue, List<String> hints,
			String deprecation) {
	}

	/**
	 * A group of properties: a {@code @ConfigurationProperties} class, or a nested one.
	 *
	 * @param name its prefix
	 * @param type its class
	 * @param root whether it is a {@code @ConfigurationProperties} class itself
	 */
	record Group(String name, String type, boolean root) {
	}

}
