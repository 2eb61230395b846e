package dev.taskqueue.docs;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.util.ClassUtils;

/**
 * The configuration reference page's tables, generated from the configuration metadata:
 * one table a group ({@code taskqueue.worker.*}, ...), with each property's type, default
 * and description. Maps of nested classes ({@code taskqueue.tasks}) get a table of the
 * nested class's properties ({@code taskqueue.tasks.[<name>].rate-limit}), described by
 * the javadoc of its fields. A property without a description is an error: the page would
 * leave users guessing.
 */
final class ConfigurationReference {

	private static final String PLACEHOLDER = "[<name>]";

	private static final Pattern MAP_OF = Pattern.compile("java\\.util\\.Map<java\\.lang\\.String,\\s*([\\w.$]+)>");

	private static final Pattern QUALIFIED = Pattern.compile("\\b(?:[a-z_][\\w]*\\.)+([A-Z][\\w$]*)");

	private final ConfigurationMetadata metadata;

	private final FieldDocs fieldDocs;

	ConfigurationReference(ConfigurationMetadata metadata, FieldDocs fieldDocs) {
		this.metadata = metadata;
		this.fieldDocs = fieldDocs;
	}

	/**
	 * The tables, in Markdown.
	 * @return the generated part of the page
	 * @throws IllegalStateException if a property has no description
	 */
	String render() {
		Map<String, Section> sections = new TreeMap<>(ConfigurationReference::compareSections);
		for (ConfigurationMetadata.Property property : this.metadata.properties().values()) {
			Class<?> mapValue = mapOfBeans(property.type());
			if (mapValue != null) {
				String prefix = property.name() + "." + PLACEHOLDER;
				Section section = sections.computeIfAbsent(prefix, (name) -> new Section(name, property.description()));
				section.rows.addAll(nestedRows(prefix, mapValue));
				continue;
			}
			String prefix = this.metadata.groupOf(property.name())
				.map(ConfigurationMetadata.Group::name)
				.orElse(property.name().substring(0, property.name().lastIndexOf('.')));
			sections.computeIfAbsent(prefix, (name) -> new Section(name, null)).rows.add(row(property));
		}
		List<String> missing = sections.values()
			.stream()
			.flatMap((section) -> section.rows.stream())
			.filter((row) -> row.description() == null || row.description().isBlank())
			.map((row) -> row.name())
			.toList();
		if (!missing.isEmpty()) {
			throw new IllegalStateException("Properties without a description (javadoc their fields): " + missing);
		}
		StringBuilder page = new StringBuilder();
		for (Section section : sections.values()) {
			section.render(page);
		}
		return page.toString();
	}

	private Row row(ConfigurationMetadata.Property property) {
		Class<?> type = resolve(rawTypeName(property.type()));
		String description = property.description();
		if (description != null) {
			description = description + values(type, property.hints());
			if (property.deprecation() != null) {
				description = property.deprecation() + " " + description;
			}
		}
		String defaultValue = (property.defaultValue() != null) ? format(enumDefault(type, property.defaultValue()))
				: format(runtimeDefault(property.name()));
		return new Row(property.name(), simpleType(property.type()), defaultValue, description);
	}

	/**
	 * The processor writes an enum's default as its constant's name in lower case
	 * ({@code read_only}), where users write {@code read-only}.
	 */
	private static Object enumDefault(Class<?> type, JsonNode value) {
		return (type != null && type.isEnum() && value.isString())
				? value.asString().toLowerCase(Locale.ROOT).replace('_', '-') : value;
	}

	private List<Row> nestedRows(String prefix, Class<?> type) {
		Map<String, String> docs = this.fieldDocs.of(type);
		Object defaults = BeanUtils.instantiateClass(type);
		BeanWrapperImpl wrapper = new BeanWrapperImpl(defaults);
		List<Row> rows = new ArrayList<>();
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getWriteMethod() == null || descriptor.getReadMethod() == null) {
				continue;
			}
			String name = descriptor.getName();
			if (isBean(descriptor.getPropertyType())) {
				// A nested class (a periodic entry's options): a row for each of its
				// properties.
				rows.addAll(nestedRows(prefix + "." + kebab(name), descriptor.getPropertyType()));
				continue;
			}
			Type generic = descriptor.getReadMethod().getGenericReturnType();
			String description = docs.get(name);
			if (description != null) {
				description = description + values(descriptor.getPropertyType(), List.of());
			}
			rows.add(new Row(prefix + "." + kebab(name), simpleType(generic.getTypeName()),
					format(wrapper.getPropertyValue(name)), description));
		}
		rows.sort((a, b) -> a.name().compareTo(b.name()));
		return rows;
	}

	/**
	 * The value of a property in a new instance of its {@code @ConfigurationProperties}
	 * class, for defaults the processor could not read from the source (a list built in
	 * the field's initializer).
	 */
	private Object runtimeDefault(String name) {
		ConfigurationMetadata.Group root = this.metadata.rootOf(name).orElse(null);
		if (root == null) {
			return null;
		}
		Class<?> type = resolve(root.type());
		if (type == null || BeanUtils.getResolvableConstructor(type).getParameterCount() > 0) {
			return null;
		}
		String path = Arrays.stream(name.substring(root.name().length() + 1).split("\\."))
			.map(ConfigurationReference::camel)
			.collect(Collectors.joining("."));
		BeanWrapperImpl wrapper = new BeanWrapperImpl(BeanUtils.instantiateClass(type));
		return wrapper.isReadableProperty(path) ? wrapper.getPropertyValue(path) : null;
	}

	private Class<?> mapOfBeans(String type) {
		Matcher map = MAP_OF.matcher(type);
		if (!map.matches()) {
			return null;
		}
		Class<?> value = resolve(map.group(1));
		return (value != null && isBean(value)) ? value : null;
	}

	/**
	 * Whether properties of a type are themselves groups of properties: a class of the
	 * application's, with properties of its own (not a value such as an enum or a
	 * {@code RateLimit}).
	 */
	private static boolean isBean(Class<?> type) {
		return !type.isPrimitive() && !type.isEnum() && !type.isArray() && !type.getName().startsWith("java.")
				&& BeanUtils.getPropertyDescriptors(type).length > 1 && hasNoArgConstructor(type);
	}

	private static boolean hasNoArgConstructor(Class<?> type) {
		try {
			type.getDeclaredConstructor();
			return true;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	private static String values(Class<?> type, List<String> hints) {
		List<String> values = new ArrayList<>(hints);
		if (values.isEmpty() && type != null && type.isEnum()) {
			for (Object constant : type.getEnumConstants()) {
				values.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'));
			}
		}
		if (values.isEmpty()) {
			return "";
		}
		return " Values: " + values.stream().map((value) -> "`" + value + "`").collect(Collectors.joining(", ")) + ".";
	}

	private static String format(Object value) {
		if (value == null) {
			return "";
		}
		if (value instanceof JsonNode json) {
			if (json.isArray()) {
				List<String> items = new ArrayList<>();
				json.forEach((item) -> items.add(item.asString()));
				return format(items);
			}
			return format(json.isString() ? json.asString() : json.toString());
		}
		if (value instanceof Collection<?> collection) {
			return collection.stream().map((item) -> "`" + item + "`").collect(Collectors.joining(", "));
		}
		if (value instanceof Map<?, ?> map) {
			return map.isEmpty() ? "" : "`" + map + "`";
		}
		if (value instanceof Duration duration) {
			return "`" + duration(duration) + "`";
		}
		if (value instanceof Enum<?> constant) {
			return "`" + constant.name().toLowerCase(Locale.ROOT).replace('_', '-') + "`";
		}
		String text = value.toString();
		return text.isEmpty() ? "`\"\"`" : "`" + text + "`";
	}

	private static String duration(Duration duration) {
		if (duration.isZero()) {
			return "0s";
		}
		long millis = duration.toMillis();
		long[] units = { 86_400_000, 3_600_000, 60_000, 1_000 };
		String[] names = { "d", "h", "m", "s" };
		for (int i = 0; i < units.length; i++) {
			if (millis % units[i] == 0) {
				return (millis / units[i]) + names[i];
			}
		}
		return millis + "ms";
	}

	private static String simpleType(String type) {
		return QUALIFIED.matcher(type).replaceAll((match) -> {
			String name = match.group(1);
			return Matcher.quoteReplacement(name.substring(name.lastIndexOf('$') + 1));
		});
	}

	private static String rawTypeName(String type) {
		int generic = type.indexOf('<');
		return (generic >= 0) ? type.substring(0, generic) : type;
	}

	private static Class<?> resolve(String name) {
		ClassLoader classLoader = ConfigurationReference.class.getClassLoader();
		return ClassUtils.isPresent(name, classLoader) ? ClassUtils.resolveClassName(name, classLoader) : null;
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	private static String camel(String kebab) {
		StringBuilder camel = new StringBuilder();
		boolean upper = false;
		for (char c : kebab.toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				camel.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return camel.toString();
	}

	/**
	 * taskqueue's own groups first, alphabetically, then the others'
	 * ({@code management.*}).
	 */
	private static int compareSections(String a, String b) {
		boolean ownA = a.startsWith("taskqueue");
		boolean ownB = b.startsWith("taskqueue");
		return (ownA != ownB) ? (ownA ? -1 : 1) : a.compareTo(b);
	}

	private static String cell(String text) {
		return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
	}

	private static final class Section {

		private final String prefix;

		private final String description;

		private final List<Row> rows = new ArrayList<>();

		Section(String prefix, String description) {
			this.prefix = prefix;
			this.description = description;
		}

		void render(StringBuilder page) {
			page.append("\n### ").append(title()).append("\n\n");
			page.append("`").append(this.prefix).append(".*`");
			if (this.description != null) {
				page.append(": ").append(cell(this.description));
			}
			page.append("\n\n| Property | Type | Default | Description |\n|---|---|---|---|\n");
			this.rows.sort((a, b) -> a.name().compareTo(b.name()));
			for (Row row : this.rows) {
				page.append("| `")
					.append(row.name())
					.append("` | `")
					.append(row.type())
					.append("` | ")
					.append(row.defaultValue())
					.append(" | ")
					.append(cell(row.description()))
					.append(" |\n");
			}
		}

		/**
		 * "Worker" for taskqueue.worker, "Tasks" for taskqueue.tasks.[&lt;name&gt;],
		 * "General" for taskqueue, "Management endpoint" for
		 * management.endpoint.taskqueue.
		 */
		private String title() {
			String words = Arrays.stream(this.prefix.replace(PLACEHOLDER, "").split("\\."))
				.filter((segment) -> !segment.isEmpty() && !segment.equals("taskqueue"))
				.map((segment) -> segment.replace('-', ' '))
				.collect(Collectors.joining(" "));
			return words.isEmpty() ? "General" : Character.toUpperCase(words.charAt(0)) + words.substring(1);
		}

	}

	private record Row(String name, String type, String defaultValue, String description) {
	}

}
