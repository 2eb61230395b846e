package dev.taskqueue.autoconfigure.endpoint;

import java.util.HashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@link ConfigurationProperties Configuration properties} of the
 * {@link TaskQueueEndpoint taskqueue endpoint}, beside Spring Boot's own
 * {@code management.endpoint.taskqueue.access}.
 */
@ConfigurationProperties("management.endpoint.taskqueue")
public class TaskQueueEndpointProperties {

	/**
	 * When to show the arguments (args and kwargs) of running tasks; they are masked
	 * otherwise.
	 */
	private Show showValues = Show.NEVER;

	/**
	 * Roles used to determine whether a user is authorized to be shown task arguments.
	 * When empty, all authenticated users are authorized.
	 */
	private final Set<String> roles = new HashSet<>();

	public Show getShowValues() {
		return this.showValues;
	}

	public void setShowValues(Show showValues) {
		this.showValues = showValues;
	}

	public Set<String> getRoles() {
		return this.roles;
	}

}
