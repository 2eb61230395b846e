package dev.taskqueue.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Reports an {@link InvalidTaskQueuePropertyException} at start-up: the property, the
 * value as written and where, why it cannot work, and what to do instead.
 */
class InvalidTaskQueuePropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidTaskQueuePropertyException> {

	private final @Nullable Environment environment;

	InvalidTaskQueuePropertyFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidTaskQueuePropertyException cause) {
		ConfigurationProperty property = find(cause.getName());
		Object value = (property != null) ? property.getValue() : cause.getValue();
		StringBuilder description = new StringBuilder("Property '").append(cause.getName()).append('\'');
		if (value != null) {
			description.append(" with value '").append(value).append('\'');
		}
		if (property != null && property.getOrigin() != null) {
			description.append(" (originating from '").append(property.getOrigin()).append("')");
		}
		description.append(' ').append(cause.getReason()).append('.');
		return new FailureAnalysis(description.toString(), cause.getAction(), cause);
	}

	private @Nullable ConfigurationProperty find(String name) {
		ConfigurationPropertyName property = ConfigurationPropertyName.ofIfValid(name);
		if (property == null || !(this.environment instanceof ConfigurableEnvironment)) {
			return null;
		}
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			ConfigurationProperty candidate = source.getConfigurationProperty(property);
			if (candidate != null) {
				return candidate;
			}
		}
		return null;
	}

}
