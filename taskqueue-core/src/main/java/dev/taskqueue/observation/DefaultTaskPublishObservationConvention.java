package dev.taskqueue.observation;

import dev.taskqueue.observation.TaskObservationDocumentation.HighCardinalityKeyNames;
import dev.taskqueue.observation.TaskObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValues;

/**
 * The default {@link TaskPublishObservationConvention}: the observation is named
 * {@code taskqueue.publish}, its spans {@code <task name> publish}, with the keys of
 * {@link TaskObservationDocumentation#TASK_PUBLISH}.
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
		return KeyValues.of(LowCardinalityKeyNames.MESSAGING_SYSTEM.withValue("rabbitmq"),
				LowCardinalityKeyNames.MESSAGING_OPERATION_TYPE.withValue("send"),
				LowCardinalityKeyNames.MESSAGING_OPERATION_NAME.withValue("publish"),
				LowCardinalityKeyNames.MESSAGING_DESTINATION_NAME.withValue(context.getExchange()),
				LowCardinalityKeyNames.ROUTING_KEY.withValue(context.getRoutingKey()),
				LowCardinalityKeyNames.TASK_NAME.withValue(context.getTaskName()),
				LowCardinalityKeyNames.OUTCOME.withValue(context.getOutcome()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskPublishContext context) {
		return KeyValues.of(HighCardinalityKeyNames.MESSAGE_ID.withValue(context.getTaskId()),
				HighCardinalityKeyNames.CONVERSATION_ID.withValue(context.getRootId()));
	}

}
