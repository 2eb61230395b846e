package dev.taskqueue.beat.internal;

import java.lang.reflect.Method;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.taskqueue.beat.Periodic;
import dev.taskqueue.beat.PeriodicTask;
import dev.taskqueue.beat.Schedule;
import dev.taskqueue.beat.ScheduledTask;
import dev.taskqueue.worker.QueueTask;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EmbeddedValueResolverAware;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringValueResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds {@link Periodic @Periodic} on {@link QueueTask @QueueTask} methods of beans and
 * turns each into an entry of the configuration. A bad annotation stops the application
 * at start-up with a message naming the method.
 */
public class PeriodicAnnotationProcessor implements BeanPostProcessor, EmbeddedValueResolverAware {

	private final List<StaticTask> tasks = new CopyOnWriteArrayList<>();

	private final JsonMapper mapper = JsonMapper.shared();

	private @Nullable StringValueResolver resolver;

	@Override
	public void setEmbeddedValueResolver(StringValueResolver resolver) {
		this.resolver = resolver;
	}

	/**
	 * Return the entries found so far.
	 * @return the entries found so far
	 */
	public List<StaticTask> getTasks() {
		return List.copyOf(this.tasks);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (!AnnotationUtils.isCandidateClass(targetClass, Periodic.class)) {
			return bean;
		}
		Map<Method, Set<Periodic>> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<Set<Periodic>>) (method) -> {
					Set<Periodic> periodic = AnnotatedElementUtils.findMergedRepeatableAnnotations(method,
							Periodic.class);
					return periodic.isEmpty() ? null : periodic;
				});
		methods.forEach((method, annotations) -> {
			String source = "@Periodic on " + ClassUtils.getUserClass(targetClass).getName() + "." + method.getName();
			QueueTask queueTask = AnnotatedElementUtils.findMergedAnnotation(method, QueueTask.class);
			if (queueTask == null) {
				throw new IllegalStateException(source + " needs @QueueTask on the same method: it schedules the "
						+ "method's task (for any other task, use taskqueue.beat.schedule or PeriodicTasks)");
			}
			String task = queueTask.name().isEmpty()
					? ClassUtils.getUserClass(targetClass).getName() + "." + method.getName() : queueTask.name();
			for (Periodic periodic : annotations) {
				try {
					this.tasks.add(new StaticTask(task(task, periodic), ScheduledTask.Origin.ANNOTATION, source));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalStateException(source + ": " + ex.getMessage(), ex);
				}
			}
		});
		return bean;
	}

	private PeriodicTask task(String task, Periodic periodic) {
		String name = resolve(periodic.name());
		String cron = resolve(periodic.cron());
		String every = resolve(periodic.every());
		if (cron.isEmpty() == every.isEmpty()) {
			throw new IllegalArgumentException("give exactly one of cron and every");
		}
		Schedule schedule = cron.isEmpty() ? Schedule.every(Durations.parse(every), periodic.relative())
				: Schedule.cron(cron);
		PeriodicTask.Builder builder = PeriodicTask.builder(name.isEmpty() ? task : name, task)
			.schedule(schedule)
			.enabled(periodic.enabled())
			.missedRuns(periodic.missedRuns())
			.missedRunLimit(periodic.missedRunLimit());
		String zone = resolve(periodic.zone());
		if (!zone.isEmpty()) {
			try {
				builder.zone(ZoneId.of(zone));
			}
			catch (java.time.DateTimeException ex) {
				throw new IllegalArgumentException("zone '" + zone + "' is not a zone: " + ex.getMessage(), ex);
			}
		}
		String args = resolve(periodic.args());
		if (!args.isEmpty()) {
			builder.args(json(args, new TypeReference<List<@Nullable Object>>() {
			}, "args"));
		}
		String kwargs = resolve(periodic.kwargs());
		if (!kwargs.isEmpty()) {
			builder.kwargs(json(kwargs, new TypeReference<Map<String, @Nullable Object>>() {
			}, "kwargs"));
		}
		String queue = resolve(periodic.queue());
		if (!queue.isEmpty()) {
			builder.queue(queue);
		}
		return builder.build();
	}

	private <T> T json(String text, TypeReference<T> type, String what) {
		try {
			return this.mapper.readValue(text, type);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(what + " '" + text + "' is not a JSON "
					+ ("args".equals(what) ? "array" : "object") + ": " + ex.getOriginalMessage(), ex);
		}
	}

	private String resolve(String value) {
		StringValueResolver resolver = this.resolver;
		String resolved = (resolver != null && !value.isEmpty()) ? resolver.resolveStringValue(value) : value;
		return (resolved != null) ? resolved.strip() : "";
	}

}
