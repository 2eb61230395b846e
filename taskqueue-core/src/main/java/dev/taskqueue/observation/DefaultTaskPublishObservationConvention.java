package dev.taskqueue.observation;

import io.micrometer.common.KeyValues;

/**
 * The default names of {@code taskqueue.publish}: low-cardinality {@code task},
 * {@code queue} and {@code outcome}, high-cardinality {@code task.id}; spans are named
 * {@code <task name> publish}.
 */
public class DefaultTaskPublishObservationConvention implements TaskPublishObservationConvention {

	/** The shared instance. */
	public static final DefaultTaskPublishObservationConvention INSTANCE = new DefaultTaskPublishObservationConvention();

	/** The observation's name. */
	public static final String NAME = "taskqueue.publish";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(TaskPublishContext context) {
		return context.getTaskName() + " publish";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TaskPublishContext context) {
		return KeyValues.of("task", context.getTaskName(), "queue", context.getQueue(), "outcome",
				context.getOutcome());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskPublishContext context) {
		return KeyValues.of("task.id", context.getTaskId());
	}

}
