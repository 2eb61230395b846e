package dev.taskqueue.observation;

import java.util.Arrays;
import java.util.Map;

import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.worker.WorkerSettings;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.common.docs.KeyName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default conventions emit exactly the keys {@link TaskObservationDocumentation}
 * documents, with the values it describes.
 */
class TaskObservationDocumentationTests {

	@Test
	void publishConventionEmitsTheDocumentedKeys() {
		TaskPublishContext context = new TaskPublishContext("id-1", "doc.task", "root-1", "", "tasks", "tasks");
		DefaultTaskPublishObservationConvention convention = DefaultTaskPublishObservationConvention.INSTANCE;
		assertThat(keys(convention.getLowCardinalityKeyValues(context)))
			.containsExactlyInAnyOrder(names(TaskObservationDocumentation.TASK_PUBLISH.getLowCardinalityKeyNames()));
		assertThat(keys(convention.getHighCardinalityKeyValues(context)))
			.containsExactlyInAnyOrder(names(TaskObservationDocumentation.TASK_PUBLISH.getHighCardinalityKeyNames()));
		assertThat(TaskObservationDocumentation.TASK_PUBLISH.getDefaultConvention()).isEqualTo(convention.getClass());
	}

	@Test
	void publishToTheDefaultExchangeNamesItEmptyAndRoutesByQueue() {
		TaskPublishContext context = new TaskPublishContext("id-1", "doc.task", "root-1", "", "tasks", "tasks");
		KeyValues low = DefaultTaskPublishObservationConvention.INSTANCE.getLowCardinalityKeyValues(context);
		assertThat(low).contains(KeyValue.of("messaging.system", "rabbitmq"),
				KeyValue.of("messaging.operation.type", "send"), KeyValue.of("messaging.operation.name", "publish"),
				KeyValue.of("messaging.destination.name", ""),
				KeyValue.of("messaging.rabbitmq.destination.routing_key", "tasks"),
				KeyValue.of("taskqueue.task.name", "doc.task"), KeyValue.of("taskqueue.outcome", "success"));
		assertThat(DefaultTaskPublishObservationConvention.INSTANCE.getHighCardinalityKeyValues(context)).contains(
				KeyValue.of("messaging.message.id", "id-1"),
				KeyValue.of("messaging.message.conversation_id", "root-1"));
		assertThat(DefaultTaskPublishObservationConvention.INSTANCE.getContextualName(context))
			.isEqualTo("doc.task publish");
	}

	@Test
	void executeConventionEmitsTheDocumentedKeys() {
		TaskExecuteContext context = new TaskExecuteContext("id-1", "doc.task", "root-1", "tasks", 3, Map.of());
		DefaultTaskExecuteObservationConvention convention = DefaultTaskExecuteObservationConvention.INSTANCE;
		assertThat(keys(convention.getLowCardinalityKeyValues(context)))
			.containsExactlyInAnyOrder(names(TaskObservationDocumentation.TASK_EXECUTE.getLowCardinalityKeyNames()));
		assertThat(keys(convention.getHighCardinalityKeyValues(context)))
			.containsExactlyInAnyOrder(names(TaskObservationDocumentation.TASK_EXECUTE.getHighCardinalityKeyNames()));
		assertThat(TaskObservationDocumentation.TASK_EXECUTE.getDefaultConvention()).isEqualTo(convention.getClass());
	}

	@Test
	void executionNotYetEndedHasAnUnknownOutcomeAndWorker() {
		TaskExecuteContext context = new TaskExecuteContext("id-1", "doc.task", "root-1", "tasks", 0, Map.of());
		assertThat(DefaultTaskExecuteObservationConvention.INSTANCE.getLowCardinalityKeyValues(context)).contains(
				KeyValue.of("taskqueue.outcome", "unknown"), KeyValue.of("taskqueue.worker.name", "unknown"),
				KeyValue.of("messaging.destination.name", "tasks"));
		context.setWorker("worker-a");
		context.setOutcome("retry");
		assertThat(DefaultTaskExecuteObservationConvention.INSTANCE.getLowCardinalityKeyValues(context))
			.contains(KeyValue.of("taskqueue.outcome", "retry"), KeyValue.of("taskqueue.worker.name", "worker-a"));
	}

	@Test
	void executeContextReadsTheTraceContextFromTheMessagesHeaders() {
		TaskExecuteContext context = new TaskExecuteContext("id-1", "doc.task", "root-1", "tasks", 0,
				Map.of("traceparent", "00-abc-def-01"));
		assertThat(context.getGetter().get(context.getCarrier(), "traceparent")).isEqualTo("00-abc-def-01");
		assertThat(context.getGetter().get(context.getCarrier(), "b3")).isNull();
	}

	@Test
	void configuredWorkerNameIsItsOwnTag() {
		assertThat(TaskExecuteContext.workerTag("divide@host-1")).isEqualTo("divide@host-1");
	}

	@Test
	void defaultWorkerNameLosesItsProcessId() {
		assertThat(TaskExecuteContext.workerTag(WorkerSettings.defaultName()))
			.isEqualTo("taskqueue@" + ProcessIdentity.hostname());
	}

	private static String[] keys(KeyValues values) {
		return values.stream().map(KeyValue::getKey).toArray(String[]::new);
	}

	private static String[] names(KeyName[] names) {
		return Arrays.stream(names).map(KeyName::asString).toArray(String[]::new);
	}

}
