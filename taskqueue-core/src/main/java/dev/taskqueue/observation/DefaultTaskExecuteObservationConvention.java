package dev.taskqueue.observation;

import io.micrometer.common.KeyValues;

/**
 * The default names of {@code taskqueue.execute}: low-cardinality {@code task},
 * {@code queue} and {@code outcome}, high-cardinality {@code task.id} and
 * {@code task.retries}; spans are named {@code <task name> execute}.
 */
public class DefaultTaskExecuteObservationConvention implements TaskExecuteObservationConvention {

	/** The shared instance. */
	public static final DefaultTaskExecuteObservationConvention INSTANCE = new DefaultTaskExecuteObservationConvention();

	/** The observation's name. */
	public static final String NAME = "taskqueue.execute";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(TaskExecuteContext context) {
		return context.getMessage().task() + " execute";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TaskExecuteContext context) {
		String outcome = context.getOutcome();
		return KeyValues.of("task", context.getMessage().task(), "queue", context.getQueue(), "outcome",
				(outcome != null) ? outcome : "unknown");
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskExecuteContext context) {
		return KeyValues.of("task.id", context.getMessage().id(), "task.retries",
				Integer.toString(context.getMessage().retries()));
	}

}
