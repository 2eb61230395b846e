package dev.taskqueue.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of running a task. With Spring Boot, declare one as a
 * bean to change them; without it, register it with the worker's
 * {@link io.micrometer.observation.ObservationRegistry} as a
 * {@link io.micrometer.observation.GlobalObservationConvention}. Extend
 * {@link DefaultTaskExecuteObservationConvention} to keep its keys and add to them.
 */
public interface TaskExecuteObservationConvention extends ObservationConvention<TaskExecuteContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TaskExecuteContext;
	}

}
