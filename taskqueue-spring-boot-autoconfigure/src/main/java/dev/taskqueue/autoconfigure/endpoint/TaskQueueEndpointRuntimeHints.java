package dev.taskqueue.autoconfigure.endpoint;

import dev.taskqueue.autoconfigure.beat.BeatOperations;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Binding hints for the descriptors the {@code taskqueue} actuator endpoint writes as
 * JSON. Spring Boot hints an operation's declared return type; these also cover the
 * descriptors nested in them, which a native image would otherwise write as empty
 * objects.
 */
class TaskQueueEndpointRuntimeHints implements RuntimeHintsRegistrar {

	private final BindingReflectionHintsRegistrar bindingHints = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		this.bindingHints.registerReflectionHints(hints.reflection(), TaskQueueEndpoint.WorkerDescriptor.class,
				TaskQueueEndpoint.WorkersDescriptor.class, TaskQueueEndpoint.TaskDescriptor.class,
				TaskQueueEndpoint.Option.class, TaskQueueEndpoint.QueueDescriptor.class,
				TaskQueueEndpoint.ActiveTaskDescriptor.class, TaskQueueEndpoint.RateLimitChange.class,
				TaskQueueEndpoint.RevokeResult.class, TaskQueueEndpoint.RedriveResult.class,
				BeatOperations.BeatDescriptor.class, BeatOperations.EntryDescriptor.class,
				BeatOperations.EntryChange.class);
	}

}
