package dev.taskqueue.autoconfigure;

import dev.taskqueue.worker.WorkerContainer;

/**
 * Callback interface that can be implemented by beans wishing to customize the
 * auto-configured {@link WorkerContainer} after {@code taskqueue.*} has been applied to
 * it and before it starts. Customizers are applied in
 * {@link org.springframework.core.Ordered order}.
 *
 * @see WorkerContainerConfigurer
 */
@FunctionalInterface
public interface WorkerContainerCustomizer {

	/**
	 * Customize the worker.
	 * @param worker the worker to customize
	 */
	void customize(WorkerContainer worker);

}
