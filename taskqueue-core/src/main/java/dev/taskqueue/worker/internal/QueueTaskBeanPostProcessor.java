package dev.taskqueue.worker.internal;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.taskqueue.client.TaskInterfaceFactory;
import dev.taskqueue.client.internal.TaskInterfaceMethod;
import dev.taskqueue.client.internal.TaskInterfacesRegistrar;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskListener;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds {@link QueueTask} methods on beans and registers them in a {@link TaskRegistry}.
 * A {@code @QueueTask} method that implements a task interface method
 * ({@link dev.taskqueue.client.TaskExchange}) takes its task name; once every bean is
 * created, the task interfaces imported in the same application are checked against the
 * tasks registered under their names.
 */
public class QueueTaskBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	private final TaskRegistry registry;

	private final JsonMapper mapper;

	private @Nullable BeanFactory beanFactory;

	/**
	 * Create a post processor.
	 * @param registry the registry to fill
	 * @param mapper the mapper that resolves parameter types
	 */
	public QueueTaskBeanPostProcessor(TaskRegistry registry, JsonMapper mapper) {
		this.registry = registry;
		this.mapper = mapper;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (!AnnotationUtils.isCandidateClass(targetClass, QueueTask.class)) {
			return bean;
		}
		Map<Method, QueueTask> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<QueueTask>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, QueueTask.class));
		methods.forEach((method, annotation) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			String name = taskName(targetClass, method, annotation);
			this.registry.register(new TaskMethod(name, bean, invocable,
					annotation.queue().isEmpty() ? null : annotation.queue(), annotation.ignoreResult(),
					rateLimit(name, annotation), retryPolicy(annotation), listeners(annotation), this.mapper));
			if (!annotation.serializer().isBlank()) {
				this.registry.setSerializer(name, annotation.serializer().trim());
			}
		});
		return bean;
	}

	private static String taskName(Class<?> targetClass, Method method, QueueTask annotation) {
		Method implemented = taskInterfaceMethod(targetClass, method);
		String interfaceName = (implemented != null) ? TaskInterfaceMethod.taskNameOf(implemented) : null;
		if (annotation.name().isEmpty()) {
			return (interfaceName != null) ? interfaceName
					: ClassUtils.getUserClass(targetClass).getName() + "." + method.getName();
		}
		if (interfaceName != null && !interfaceName.equals(annotation.name())) {
			throw new IllegalStateException("@QueueTask method " + TaskMethod.describe(method) + " is named '"
					+ annotation.name() + "' but implements task interface method " + TaskMethod.describe(implemented)
					+ ", which calls '" + interfaceName
					+ "': give both the same name, or leave the @QueueTask name out to take the interface's");
		}
		return annotation.name();
	}

	private static @Nullable Method taskInterfaceMethod(Class<?> targetClass, Method method) {
		for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(targetClass)) {
			Method candidate = ClassUtils.getMethodIfAvailable(type, method.getName(), method.getParameterTypes());
			if (candidate != null && TaskInterfaceMethod.taskNameOf(candidate) != null) {
				return candidate;
			}
		}
		return null;
	}

	/**
	 * Check each task interface imported in this application against the task registered
	 * under the name of each of its methods, if any: a call that the task cannot bind
	 * fails start-up instead of every call.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		if (!(this.beanFactory instanceof ConfigurableListableBeanFactory beans)) {
			return;
		}
		for (String beanName : beans.getBeanDefinitionNames()) {
			Class<?> type = TaskInterfacesRegistrar.taskInterfaceOf(beans.getMergedBeanDefinition(beanName));
			if (type != null) {
				check(type);
			}
		}
	}

	/**
	 * Check a task interface against the registered tasks it calls.
	 * @param type the task interface
	 * @throws IllegalStateException if a method does not fit the task registered under
	 * its name, naming both
	 */
	public void check(Class<?> type) {
		for (Method method : TaskInterfaceMethod.taskMethods(type)) {
			TaskInterfaceMethod call = TaskInterfaceMethod.of(type, method, this.mapper,
					TaskInterfaceFactory.DEFAULT_TIMEOUT);
			TaskMethod task = this.registry.get(call.getTaskName());
			if (task == null) {
				continue;
			}
			List<String> parameters = task.getArgumentNames();
			// A signature may be partial: a chain puts the previous result in front.
			boolean partial = call.getKind() == TaskInterfaceMethod.Kind.SIGNATURE
					&& call.getArgumentCount() < parameters.size();
			if (parameters.size() != call.getArgumentCount() && !partial) {
				throw new IllegalStateException("Task interface method " + call + " sends " + call.getArgumentCount()
						+ " argument" + ((call.getArgumentCount() == 1) ? "" : "s") + ", but task '"
						+ call.getTaskName() + "' registered in this application (" + task.describe() + ") takes "
						+ parameters.size() + ": make their parameters match");
			}
			List<String> keywords = call.getKeywords();
			if (keywords != null && !parameters.containsAll(keywords)) {
				throw new IllegalStateException("Task interface method " + call + " sends the keyword arguments "
						+ keywords + ", but task '" + call.getTaskName() + "' registered in this application ("
						+ task.describe() + ") takes " + parameters + ": make their parameter names match");
			}
		}
	}

	private static @Nullable RateLimit rateLimit(String name, QueueTask annotation) {
		if (annotation.rateLimit().isEmpty()) {
			return null;
		}
		try {
			return RateLimit.parse(annotation.rateLimit())
				.withBurst(annotation.rateLimitBurst())
				.withScope(annotation.rateLimitScope());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Task '" + name + "': " + ex.getMessage(), ex);
		}
	}

	private static RetryPolicy retryPolicy(QueueTask annotation) {
		return new RetryPolicy(annotation.maxRetries(), List.of(annotation.autoRetryFor()),
				List.of(annotation.dontAutoRetryFor()), annotation.retryBackoff(),
				Duration.ofSeconds(annotation.retryBackoffMax()), annotation.retryJitter(),
				Duration.ofSeconds(annotation.defaultRetryDelay()));
	}

	// Resolved on first use, so listener beans are not created while post-processors run.
	private Supplier<List<TaskListener>> listeners(QueueTask annotation) {
		Class<? extends TaskListener>[] types = annotation.listeners();
		return () -> {
			List<TaskListener> listeners = new ArrayList<>(types.length);
			for (Class<? extends TaskListener> type : types) {
				TaskListener bean = (this.beanFactory != null) ? this.beanFactory.getBeanProvider(type).getIfUnique()
						: null;
				listeners.add((bean != null) ? bean : BeanUtils.instantiateClass(type));
			}
			return listeners;
		};
	}

}
