package dev.taskqueue.observation;

import dev.taskqueue.observation.TaskObservationDocumentation.HighCardinalityKeyNames;
import dev.taskqueue.observation.TaskObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValues;

/**
 * The default {@link TaskExecuteObservationConvention}: the observation is named
 * {@code taskqueue.execute}, its spans {@code <task name> execute}, with the keys of
 * {@link TaskObservationDocumentation#TASK_EXECUTE}.
 */
public class DefaultTaskExecuteObservationConvention implements TaskExecuteObservationConvention {

	/** The shared instance. */
	public static final DefaultTaskExecuteObservationConvention INSTANCE = new DefaultTaskExecuteObservationConvention();

	/** The observation's name. */
	public static final String NAME = "taskqueue.execute";

	private static final String UNKNOWN = "unknown";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(TaskExecuteContext context) {
		return context.getTaskName() + " execute";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TaskExecuteContext context) {
		String outcome = context.getOutcome();
		String worker = context.getWorker();
		return KeyValues.of(LowCardinalityKeyNames.MESSAGING_SYSTEM.withValue("rabbitmq"),
				LowCardinalityKeyNames.MESSAGING_OPERATION_TYPE.withValue("process"),
				LowCardinalityKeyNames.MESSAGING_OPERATION_NAME.withValue("execute"),
				LowCardinalityKeyNames.MESSAGING_DESTINATION_NAME.withValue(context.getQueue()),
				LowCardinalityKeyNames.TASK_NAME.withValue(context.getTaskName()),
				LowCardinalityKeyNames.OUTCOME.withValue((outcome != null) ? outcome : UNKNOWN),
				LowCardinalityKeyNames.WORKER_NAME.withValue((worker != null) ? worker : UNKNOWN));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskExecuteContext context) {
		return KeyValues.of(HighCardinalityKeyNames.MESSAGE_ID.withValue(context.getTaskId()),
				HighCardinalityKeyNames.CONVERSATION_ID.withValue(context.getRootId()),
				HighCardinalityKeyNames.TASK_RETRIES.withValue(Integer.toString(context.getRetries())));
	}

}
