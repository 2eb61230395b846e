package dev.taskqueue.worker.internal;

import java.lang.reflect.Method;

import dev.taskqueue.worker.TaskContext;
import dev.taskqueue.worker.TaskFailure;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.SimpleReflectiveProcessor;

/**
 * Runtime hints for a {@link dev.taskqueue.worker.QueueTask} method: the worker invokes
 * it reflectively and Jackson binds its arguments and result, so the method needs an
 * invocation hint and its parameter and return types binding hints.
 */
public final class QueueTaskReflectiveProcessor extends SimpleReflectiveProcessor {

	private final BindingReflectionHintsRegistrar bindingHints = new BindingReflectionHintsRegistrar();

	@Override
	protected void registerMethodHint(ReflectionHints hints, Method method) {
		super.registerMethodHint(hints, method);
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			if (types[i] != TaskContext.class && types[i] != TaskFailure.class) {
				this.bindingHints.registerReflectionHints(hints, method.getGenericParameterTypes()[i]);
			}
		}
		if (method.getReturnType() != void.class) {
			this.bindingHints.registerReflectionHints(hints, method.getGenericReturnType());
		}
	}

}
