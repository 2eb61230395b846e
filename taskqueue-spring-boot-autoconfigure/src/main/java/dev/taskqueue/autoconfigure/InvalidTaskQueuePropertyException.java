package dev.taskqueue.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a {@code taskqueue.*} property cannot work as the application is set up (an
 * unknown serializer, a cluster-wide rate limit without Redis, a route without a queue),
 * with what to do instead. {@link InvalidTaskQueuePropertyFailureAnalyzer} reports it at
 * start-up; values merely out of range fail with Spring Boot's
 * {@code InvalidConfigurationPropertyValueException} instead.
 */
@SuppressWarnings("serial")
class InvalidTaskQueuePropertyException extends IllegalStateException {

	private final String name;

	private final @Nullable Object value;

	private final String reason;

	private final String action;

	/**
	 * Create an exception.
	 * @param name the property's name in canonical form
	 * @param value its value, or {@code null} when it is not set
	 * @param reason why it cannot work, following the property: "is not supported: ..."
	 * @param action what to do instead, a sentence
	 */
	InvalidTaskQueuePropertyException(String name, @Nullable Object value, String reason, String action) {
		super(((value != null) ? name + "=" + value : name) + " " + reason + ". " + action);
		this.name = name;
		this.value = value;
		this.reason = reason;
		this.action = action;
	}

	String getName() {
		return this.name;
	}

	@Nullable Object getValue() {
		return this.value;
	}

	String getReason() {
		return this.reason;
	}

	String getAction() {
		return this.action;
	}

}
