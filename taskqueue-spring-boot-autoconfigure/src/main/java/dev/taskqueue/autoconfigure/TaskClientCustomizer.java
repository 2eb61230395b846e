package dev.taskqueue.autoconfigure;

import dev.taskqueue.client.DefaultTaskClient;

/**
 * Callback interface that can be implemented by beans wishing to customize the
 * auto-configured {@link DefaultTaskClient} after {@code taskqueue.*} has been applied to
 * it. Customizers are applied in {@link org.springframework.core.Ordered order}.
 *
 * @see TaskClientConfigurer
 */
@FunctionalInterface
public interface TaskClientCustomizer {

	/**
	 * Customize the client.
	 * @param client the client to customize
	 */
	void customize(DefaultTaskClient client);

}
