package dev.taskqueue.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of running a task. Register a
 * {@link io.micrometer.observation.GlobalObservationConvention} of this context with the
 * {@link io.micrometer.observation.ObservationRegistry} to change them.
 */
public interface TaskExecuteObservationConvention extends ObservationConvention<TaskExecuteContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TaskExecuteContext;
	}

}
