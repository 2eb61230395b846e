package dev.taskqueue.worker.internal;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskListener;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds {@link QueueTask} methods on beans and registers them in a {@link TaskRegistry}.
 */
public class QueueTaskBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware {

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
			String name = annotation.name().isEmpty()
					? ClassUtils.getUserClass(targetClass).getName() + "." + method.getName() : annotation.name();
			this.registry.register(new TaskMethod(name, bean, invocable,
					annotation.queue().isEmpty() ? null : annotation.queue(), annotation.ignoreResult(),
					rateLimit(name, annotation), retryPolicy(annotation), listeners(annotation), this.mapper));
			if (!annotation.serializer().isBlank()) {
				this.registry.setSerializer(name, annotation.serializer().trim());
			}
		});
		return bean;
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
