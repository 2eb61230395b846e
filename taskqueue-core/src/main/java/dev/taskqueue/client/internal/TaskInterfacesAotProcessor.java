package dev.taskqueue.client.internal;

import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskCallOptions;
import dev.taskqueue.client.TaskResult;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.ResolvableType;

/**
 * Runtime hints for the task interfaces imported as beans: the JDK proxy of each, its
 * methods (their annotations are read when the proxy is created) and binding hints for
 * the types its methods send and receive as JSON.
 */
public final class TaskInterfacesAotProcessor implements BeanFactoryInitializationAotProcessor {

	private static final BindingReflectionHintsRegistrar bindingHints = new BindingReflectionHintsRegistrar();

	@Override
	public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
			ConfigurableListableBeanFactory beanFactory) {
		Set<Class<?>> types = new LinkedHashSet<>();
		for (String name : beanFactory.getBeanDefinitionNames()) {
			Class<?> type = TaskInterfacesRegistrar.taskInterfaceOf(beanFactory.getMergedBeanDefinition(name));
			if (type != null) {
				types.add(type);
			}
		}
		if (types.isEmpty()) {
			return null;
		}
		return (generationContext, code) -> types
			.forEach((type) -> registerHints(generationContext.getRuntimeHints(), type));
	}

	/**
	 * Register the hints a task interface needs.
	 * @param hints the hints to add to
	 * @param type the task interface
	 */
	public static void registerHints(RuntimeHints hints, Class<?> type) {
		hints.proxies().registerJdkProxy(AopProxyUtils.completeJdkProxyInterfaces(type));
		hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS);
		for (Method method : TaskInterfaceMethod.taskMethods(type)) {
			for (int i = 0; i < method.getParameterCount(); i++) {
				Class<?> parameterType = method.getParameterTypes()[i];
				if (parameterType != TaskCallOptions.class) {
					bindingHints.registerReflectionHints(hints.reflection(),
							ResolvableType.forMethodParameter(method, i, type).getType());
				}
			}
			Class<?> returnType = method.getReturnType();
			if (returnType == CompletableFuture.class) {
				bindingHints.registerReflectionHints(hints.reflection(),
						ResolvableType.forMethodReturnType(method, type).getGeneric(0).getType());
			}
			else if (returnType != void.class && returnType != TaskResult.class && returnType != Signature.class) {
				bindingHints.registerReflectionHints(hints.reflection(), method.getGenericReturnType());
			}
		}
	}

}
