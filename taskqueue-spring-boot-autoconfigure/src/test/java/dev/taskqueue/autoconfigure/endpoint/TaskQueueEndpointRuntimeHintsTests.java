package dev.taskqueue.autoconfigure.endpoint;

import dev.taskqueue.autoconfigure.beat.BeatOperations;
import dev.taskqueue.control.WorkerInfo;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint's descriptors, nested ones included, are bindable in a native image.
 */
class TaskQueueEndpointRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	TaskQueueEndpointRuntimeHintsTests() {
		AotServices.factories()
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(this.hints, getClass().getClassLoader()));
	}

	@Test
	void workerDescriptorAndItsNestedDescriptorsAreBindable() {
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(TaskQueueEndpoint.WorkerDescriptor.class, "tasks")).accepts(this.hints);
		assertThat(
				RuntimeHintsPredicates.reflection().onMethodInvocation(TaskQueueEndpoint.TaskDescriptor.class, "name"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(TaskQueueEndpoint.Option.class, "source"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(TaskQueueEndpoint.QueueDescriptor.class, "messages")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(TaskQueueEndpoint.ActiveTaskDescriptor.class, "id")).accepts(this.hints);
	}

	@Test
	void workerDirectoryEntriesAreBindable() {
		assertThat(RuntimeHintsPredicates.reflection().onType(WorkerInfo.class)).accepts(this.hints);
	}

	@Test
	void operationResultsAreBindable() {
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(TaskQueueEndpoint.RevokeResult.class, "id"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(TaskQueueEndpoint.RedriveResult.class, "messages")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(TaskQueueEndpoint.RateLimitChange.class, "receivers")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(BeatOperations.EntryChange.class, "action"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(BeatOperations.BeatDescriptor.class, "state"))
			.accepts(this.hints);
	}

}
