package dev.taskqueue.docs;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.convert.ConverterNotFoundException;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.util.ClassUtils;

/**
 * Checks the YAML and properties blocks of the documentation as Spring Boot reads them:
 * every {@code taskqueue.*} key binds to a property of taskqueue's
 * {@code @ConfigurationProperties} classes with Boot's binder (so a misspelt key or a
 * value of the wrong type is found), and every other key with a {@code taskqueue} segment
 * ({@code management.health.taskqueue.enabled}) is in the metadata. Keys of Spring Boot
 * itself are not looked at.
 */
final class PropertyBlocks {

	private final ConfigurationMetadata metadata;

	PropertyBlocks(ConfigurationMetadata metadata) {
		this.metadata = metadata;
	}

	/**
	 * The keys and values of a block.
	 * @param language {@code yaml}, {@code yml} or {@code properties}
	 * @param content the block's text
	 * @return the flattened keys and their values
	 * @throws IllegalArgumentException if the block does not parse
	 */
	static Map<String, String> read(String language, String content) {
		Map<String, String> entries = new LinkedHashMap<>();
		try {
			if (language.equals("properties")) {
				Properties properties = new Properties();
				properties.load(new StringReader(content));
				properties.stringPropertyNames()
					.stream()
					.sorted()
					.forEach((key) -> entries.put(key, properties.getProperty(key)));
				return entries;
			}
			ByteArrayResource resource = new ByteArrayResource(content.getBytes(StandardCharsets.UTF_8), "block");
			for (PropertySource<?> source : new YamlPropertySourceLoader().load("block", resource)) {
				for (String key : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
					entries.put(key, String.valueOf(source.getProperty(key)));
				}
			}
			return entries;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("does not parse: " + ex.getMessage(), ex);
		}
	}

	/**
	 * What is wrong with a block's keys and values.
	 * @param entries the block's keys and values
	 * @return the problems, one a line
	 */
	List<String> check(Map<String, String> entries) {
		List<String> problems = new ArrayList<>();
		Map<ConfigurationMetadata.Group, Map<String, String>> byRoot = new LinkedHashMap<>();
		for (Map.Entry<String, String> entry : entries.entrySet()) {
			String key = entry.getKey();
			if (!ConfigurationMetadata.isTaskQueue(key)) {
				continue;
			}
			ConfigurationMetadata.Group root = this.metadata.rootOf(key)
				.filter((group) -> group.name().startsWith("taskqueue"))
				.orElse(null);
			if (root != null) {
				byRoot.computeIfAbsent(root, (group) -> new LinkedHashMap<>()).put(key, entry.getValue());
			}
			else if (!this.metadata.properties().containsKey(key.replaceAll("\\[\\d+]$", ""))) {
				problems.add(key + ": no such property");
			}
		}
		byRoot.forEach((root, keys) -> problems.addAll(bind(root, keys)));
		return problems;
	}

	private List<String> bind(ConfigurationMetadata.Group root, Map<String, String> keys) {
		Class<?> type = ClassUtils.resolveClassName(root.type(), getClass().getClassLoader());
		Recorder recorder = new Recorder();
		Binder binder = new Binder(List.of(new MapConfigurationPropertySource(keys)), null,
				ApplicationConversionService.getSharedInstance());
		List<String> problems = new ArrayList<>();
		try {
			binder.bind(root.name(), Bindable.of(type), recorder);
		}
		catch (BindException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			problems.add(ex.getName() + ": " + cause.getMessage());
			return problems;
		}
		for (String key : keys.keySet()) {
			if (!recorder.bound(ConfigurationPropertyName.of(key))) {
				problems.add(key + ": no such property");
			}
		}
		return problems;
	}

	/**
	 * Records the names the binder bound. A value whose type has no converter outside an
	 * application (a converter bean the auto-configuration registers) counts as bound:
	 * its key is right, its value is the application's to check.
	 */
	private static final class Recorder extends AbstractBindHandler {

		private final List<ConfigurationPropertyName> bound = new ArrayList<>();

		@Override
		public void onFinish(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result)
				throws Exception {
			if (result != null) {
				this.bound.add(name);
			}
		}

		@Override
		public Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
				Exception error) throws Exception {
			if (error instanceof ConverterNotFoundException) {
				this.bound.add(name);
				return null;
			}
			throw error;
		}

		boolean bound(ConfigurationPropertyName name) {
			ConfigurationPropertyName candidate = name;
			while (true) {
				if (this.bound.contains(candidate)) {
					return true;
				}
				if (candidate.isEmpty() || !candidate.isLastElementIndexed()
						|| candidate.getLastElement(ConfigurationPropertyName.Form.ORIGINAL).matches("\\D.*")) {
					return false;
				}
				candidate = candidate.getParent();
			}
		}

	}

}
