package dev.taskqueue.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of sending a task. Give one to
 * {@link dev.taskqueue.client.DefaultTaskClient#setObservationConvention} (with Spring
 * Boot, declare it as a bean) to change them; extend
 * {@link DefaultTaskPublishObservationConvention} to keep its keys and add to them.
 */
public interface TaskPublishObservationConvention extends ObservationConvention<TaskPublishContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TaskPublishContext;
	}

}
