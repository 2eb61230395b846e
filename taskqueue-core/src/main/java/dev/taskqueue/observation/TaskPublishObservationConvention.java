package dev.taskqueue.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of sending a task. Register a
 * {@link io.micrometer.observation.GlobalObservationConvention} of this context with the
 * {@link io.micrometer.observation.ObservationRegistry} to change them.
 */
public interface TaskPublishObservationConvention extends ObservationConvention<TaskPublishContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TaskPublishContext;
	}

}
