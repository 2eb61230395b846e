package dev.taskqueue.client.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;

import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskCallOptions;
import dev.taskqueue.client.TaskExchange;
import dev.taskqueue.client.TaskExchange.ArgumentStyle;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.protocol.internal.CeleryTime;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.Nullness;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * One method of a task interface: the task it calls, how its parameters become the task's
 * arguments, the options it sends with and what it returns.
 */
public final class TaskInterfaceMethod {

	private static final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private final Method method;

	private final String taskName;

	private final Kind kind;

	private final @Nullable JavaType resultType;

	private final int argumentCount;

	private final boolean takesOptions;

	private final String @Nullable [] keywords;

	private final boolean[] nonNull;

	private final @Nullable String queue;

	private final int priority;

	private final double countdown;

	private final double expires;

	private final @Nullable String serializer;

	private final Duration timeout;

	private TaskInterfaceMethod(Class<?> type, Method method, JsonMapper mapper, Duration defaultTimeout) {
		this.method = method;
		TaskExchange onType = AnnotatedElementUtils.findMergedAnnotation(type, TaskExchange.class);
		TaskExchange onMethod = AnnotatedElementUtils.getMergedAnnotation(method, TaskExchange.class);
		this.taskName = taskName(onType, onMethod, type, method);
		Class<?>[] parameterTypes = method.getParameterTypes();
		this.takesOptions = parameterTypes.length > 0
				&& parameterTypes[parameterTypes.length - 1] == TaskCallOptions.class;
		this.argumentCount = parameterTypes.length - (this.takesOptions ? 1 : 0);
		for (int i = 0; i < this.argumentCount; i++) {
			if (parameterTypes[i] == TaskCallOptions.class) {
				throw new IllegalStateException("Task interface method " + describe(method)
						+ " takes TaskCallOptions before its last parameter: options must come last");
			}
		}
		this.nonNull = new boolean[this.argumentCount];
		for (int i = 0; i < this.argumentCount; i++) {
			this.nonNull[i] = !parameterTypes[i].isPrimitive()
					&& Nullness.forMethodParameter(MethodParameter.forExecutable(method, i)) == Nullness.NON_NULL;
		}
		this.keywords = (style(onType, onMethod) == ArgumentStyle.KEYWORD) ? keywords(method, this.argumentCount)
				: null;
		ResolvableType returnType = ResolvableType.forMethodReturnType(method, type);
		Class<?> rawReturn = method.getReturnType();
		if (rawReturn == void.class || rawReturn == Void.class) {
			this.kind = Kind.SEND;
			this.resultType = null;
		}
		else if (rawReturn == TaskResult.class) {
			this.kind = Kind.HANDLE;
			this.resultType = null;
		}
		else if (rawReturn == Signature.class) {
			this.kind = Kind.SIGNATURE;
			this.resultType = null;
		}
		else if (rawReturn == CompletableFuture.class) {
			this.kind = Kind.FUTURE;
			ResolvableType element = returnType.getGeneric(0);
			this.resultType = mapper.constructType((element.resolve() != null) ? element.getType() : Object.class);
		}
		else {
			this.kind = Kind.RESULT;
			this.resultType = mapper.constructType(returnType.getType());
		}
		this.queue = text((onMethod != null) ? onMethod.queue() : "", (onType != null) ? onType.queue() : "");
		this.priority = number((onMethod != null) ? onMethod.priority() : -1,
				(onType != null) ? onType.priority() : -1);
		this.countdown = number((onMethod != null) ? onMethod.countdown() : -1,
				(onType != null) ? onType.countdown() : -1);
		this.expires = number((onMethod != null) ? onMethod.expires() : -1, (onType != null) ? onType.expires() : -1);
		this.serializer = text((onMethod != null) ? onMethod.serializer() : "",
				(onType != null) ? onType.serializer() : "");
		double timeoutSeconds = number((onMethod != null) ? onMethod.timeout() : -1,
				(onType != null) ? onType.timeout() : -1);
		this.timeout = (timeoutSeconds > 0) ? Duration.ofNanos((long) (timeoutSeconds * 1_000_000_000L))
				: defaultTimeout;
		if (this.priority > 255) {
			throw new IllegalStateException("@TaskExchange(priority = " + this.priority + ") of " + describe(method)
					+ " is out of range: use 0-255");
		}
	}

	/**
	 * Read a task interface method.
	 * @param type the task interface
	 * @param method the method (abstract, declared or inherited by the interface)
	 * @param mapper resolves result types
	 * @param defaultTimeout how long a method that returns the result waits, unless its
	 * annotations say otherwise
	 * @return the method
	 * @throws IllegalStateException if the method cannot call a task
	 */
	public static TaskInterfaceMethod of(Class<?> type, Method method, JsonMapper mapper, Duration defaultTimeout) {
		return new TaskInterfaceMethod(type, method, mapper, defaultTimeout);
	}

	/**
	 * The methods of a task interface that call tasks: its abstract methods. Each must
	 * carry {@link TaskExchange}, unless the interface does.
	 * @param type the task interface
	 * @return the methods
	 * @throws IllegalStateException if the type is not an interface or a method is not a
	 * task call
	 */
	public static List<Method> taskMethods(Class<?> type) {
		if (!type.isInterface()) {
			throw new IllegalStateException(type.getName() + " is not an interface: only interfaces can be task "
					+ "interfaces (declare the tasks' calls on an interface with @TaskExchange)");
		}
		boolean typeLevel = AnnotatedElementUtils.hasAnnotation(type, TaskExchange.class);
		List<Method> methods = new ArrayList<>();
		for (Method method : type.getMethods()) {
			if (!Modifier.isAbstract(method.getModifiers()) || Modifier.isStatic(method.getModifiers())) {
				continue;
			}
			if (!typeLevel && !AnnotatedElementUtils.hasAnnotation(method, TaskExchange.class)) {
				throw new IllegalStateException("Task interface method " + describe(method) + " names no task: "
						+ "annotate it (or the interface " + type.getName() + ") with @TaskExchange");
			}
			methods.add(method);
		}
		return methods;
	}

	/**
	 * The name of the task an interface method calls, when it is a task call.
	 * @param method a method of an interface
	 * @return the task name, or {@code null} if neither the method nor its interface
	 * carries {@link TaskExchange}
	 */
	public static @Nullable String taskNameOf(Method method) {
		Class<?> type = method.getDeclaringClass();
		TaskExchange onType = AnnotatedElementUtils.findMergedAnnotation(type, TaskExchange.class);
		TaskExchange onMethod = AnnotatedElementUtils.getMergedAnnotation(method, TaskExchange.class);
		if (!type.isInterface() || (onType == null && onMethod == null)) {
			return null;
		}
		return taskName(onType, onMethod, type, method);
	}

	private static String taskName(@Nullable TaskExchange onType, @Nullable TaskExchange onMethod, Class<?> type,
			Method method) {
		String prefix = (onType != null) ? onType.name().trim() : "";
		String name = (onMethod != null) ? onMethod.name().trim() : "";
		if (name.isEmpty()) {
			return prefix.isEmpty() ? type.getName() + "." + method.getName() : prefix + "." + method.getName();
		}
		return prefix.isEmpty() ? name : prefix + "." + name;
	}

	private static ArgumentStyle style(@Nullable TaskExchange onType, @Nullable TaskExchange onMethod) {
		if (onMethod != null && onMethod.arguments() != ArgumentStyle.DEFAULT) {
			return onMethod.arguments();
		}
		return (onType != null && onType.arguments() != ArgumentStyle.DEFAULT) ? onType.arguments()
				: ArgumentStyle.POSITIONAL;
	}

	private static String[] keywords(Method method, int count) {
		String[] names = parameterNames.getParameterNames(method);
		if (names == null) {
			throw new IllegalStateException("Task interface method " + describe(method) + " sends keyword arguments, "
					+ "but the names of its parameters are not available: compile "
					+ method.getDeclaringClass().getName() + " with -parameters (Maven: <parameters>true</parameters> "
					+ "in the maven-compiler-plugin's configuration; Gradle: options.compilerArgs.add(\"-parameters\"); "
					+ "Kotlin: -java-parameters), or send positional arguments");
		}
		String[] keywords = new String[count];
		System.arraycopy(names, 0, keywords, 0, count);
		return keywords;
	}

	private static @Nullable String text(String onMethod, String onType) {
		String value = !onMethod.isBlank() ? onMethod : onType;
		return value.isBlank() ? null : value.trim();
	}

	private static int number(int onMethod, int onType) {
		return (onMethod >= 0) ? onMethod : onType;
	}

	private static double number(double onMethod, double onType) {
		return (onMethod >= 0) ? onMethod : onType;
	}

	static String describe(Method method) {
		StringJoiner params = new StringJoiner(", ", "(", ")");
		for (Class<?> type : method.getParameterTypes()) {
			params.add(type.getSimpleName());
		}
		return method.getDeclaringClass().getName() + "." + method.getName() + params;
	}

	/**
	 * Return the method.
	 * @return the method
	 */
	public Method getMethod() {
		return this.method;
	}

	/**
	 * Return the name of the task this method calls.
	 * @return the task name
	 */
	public String getTaskName() {
		return this.taskName;
	}

	/**
	 * Return how many of the method's parameters are the task's arguments (all but a
	 * trailing {@link TaskCallOptions}).
	 * @return the number of task arguments
	 */
	public int getArgumentCount() {
		return this.argumentCount;
	}

	/**
	 * Return the keyword names the arguments are sent under, or {@code null} when they
	 * are sent as positional arguments.
	 * @return the keyword names, or {@code null}
	 */
	public @Nullable List<String> getKeywords() {
		return (this.keywords != null) ? List.of(this.keywords) : null;
	}

	/**
	 * Return what a call does.
	 * @return the kind of call
	 */
	public Kind getKind() {
		return this.kind;
	}

	/**
	 * Return the type the result is converted to, for a method that returns the result or
	 * a future of it.
	 * @return the result type, or {@code null}
	 */
	public @Nullable JavaType getResultType() {
		return this.resultType;
	}

	/**
	 * Return how long a call that returns the result waits for it.
	 * @param options the call's options
	 * @return the timeout
	 */
	Duration timeout(TaskCallOptions options) {
		return (options.getTimeout() != null) ? options.getTimeout() : this.timeout;
	}

	/**
	 * The options of a call: its trailing {@link TaskCallOptions}, or none.
	 * @param args the call's arguments
	 * @return the options
	 */
	TaskCallOptions options(@Nullable Object[] args) {
		if (this.takesOptions) {
			Object options = args[args.length - 1];
			if (options != null) {
				return (TaskCallOptions) options;
			}
		}
		return TaskCallOptions.NONE;
	}

	/**
	 * The request a call sends.
	 * @param args the call's arguments
	 * @param options the call's options
	 * @return the request
	 * @throws IllegalArgumentException if an argument that must not be {@code null} is
	 */
	TaskRequest request(@Nullable Object[] args, TaskCallOptions options) {
		TaskRequest.Builder builder = TaskRequest.builder(this.taskName);
		if (this.keywords != null) {
			builder.kwargs(keywordArguments(args));
		}
		else {
			builder.args(positionalArguments(args));
		}
		String queue = (options.getQueue() != null) ? options.getQueue() : this.queue;
		if (queue != null) {
			builder.queue(queue);
		}
		Integer priority = (options.getPriority() != null) ? options.getPriority()
				: ((this.priority >= 0) ? this.priority : null);
		if (priority != null) {
			builder.priority(priority);
		}
		if (options.getEta() != null) {
			builder.eta(options.getEta());
		}
		else if (options.getCountdown() != null) {
			builder.countdown(options.getCountdown());
		}
		else if (this.countdown >= 0) {
			builder.countdown(seconds(this.countdown));
		}
		if (options.getExpires() != null) {
			builder.expires(options.getExpires());
		}
		else if (this.expires >= 0) {
			builder.expires(seconds(this.expires));
		}
		String serializer = (options.getSerializer() != null) ? options.getSerializer() : this.serializer;
		if (serializer != null) {
			builder.serializer(serializer);
		}
		if (options.getTaskId() != null) {
			builder.taskId(options.getTaskId());
		}
		if (options.getIgnoreResult() != null) {
			builder.ignoreResult(options.getIgnoreResult());
		}
		return builder.build();
	}

	/**
	 * The signature of a call, with the options as Celery names them.
	 * @param args the call's arguments
	 * @param options the call's options
	 * @return the signature
	 */
	Signature signature(@Nullable Object[] args, TaskCallOptions options) {
		Signature signature = (this.keywords != null) ? Signature.of(this.taskName).withKwargs(keywordArguments(args))
				: Signature.of(this.taskName, positionalArguments(args).toArray());
		Map<String, @Nullable Object> celery = new LinkedHashMap<>();
		String queue = (options.getQueue() != null) ? options.getQueue() : this.queue;
		if (queue != null) {
			celery.put("queue", queue);
		}
		Integer priority = (options.getPriority() != null) ? options.getPriority()
				: ((this.priority >= 0) ? this.priority : null);
		if (priority != null) {
			celery.put("priority", priority);
		}
		if (options.getEta() != null) {
			celery.put("eta", CeleryTime.formatAware(options.getEta()));
		}
		else if (options.getCountdown() != null) {
			celery.put("countdown", options.getCountdown().toNanos() / 1e9);
		}
		else if (this.countdown >= 0) {
			celery.put("countdown", this.countdown);
		}
		if (options.getExpires() != null) {
			celery.put("expires", options.getExpires().toNanos() / 1e9);
		}
		else if (this.expires >= 0) {
			celery.put("expires", this.expires);
		}
		String serializer = (options.getSerializer() != null) ? options.getSerializer() : this.serializer;
		if (serializer != null) {
			celery.put("serializer", serializer);
		}
		if (options.getTaskId() != null) {
			celery.put("task_id", options.getTaskId());
		}
		if (options.getIgnoreResult() != null) {
			celery.put("ignore_result", options.getIgnoreResult());
		}
		return celery.isEmpty() ? signature : signature.withOptions(celery);
	}

	private List<@Nullable Object> positionalArguments(@Nullable Object[] args) {
		List<@Nullable Object> positional = new ArrayList<>(this.argumentCount);
		for (int i = 0; i < this.argumentCount; i++) {
			positional.add(checked(args, i));
		}
		return positional;
	}

	private Map<String, @Nullable Object> keywordArguments(@Nullable Object[] args) {
		Map<String, @Nullable Object> keywordArguments = new LinkedHashMap<>();
		String[] names = this.keywords;
		for (int i = 0; i < this.argumentCount; i++) {
			keywordArguments.put((names != null) ? names[i] : "arg" + i, checked(args, i));
		}
		return keywordArguments;
	}

	private @Nullable Object checked(@Nullable Object[] args, int index) {
		Object value = args[index];
		if (value == null && this.nonNull[index]) {
			throw new IllegalArgumentException("Argument " + index + " of " + describe(this.method) + " (task '"
					+ this.taskName + "') is null, and the parameter is not @Nullable: nothing was sent");
		}
		return value;
	}

	/**
	 * Convert a task's result to the method's result type.
	 * @param taskId the task id, for the error
	 * @param value the result, as the result store holds it
	 * @param mapper converts it
	 * @return the converted result
	 * @throws IllegalArgumentException if the result does not convert
	 */
	@Nullable Object convert(String taskId, @Nullable Object value, JsonMapper mapper) {
		JavaType type = this.resultType;
		if (type == null) {
			return value;
		}
		if (value == null) {
			if (type.isPrimitive()) {
				throw new IllegalArgumentException("Task " + taskId + " (" + this.taskName + ") returned null (None), "
						+ "which " + describe(this.method) + " cannot return as a " + type.getRawClass().getName()
						+ ": declare a wrapper type or Optional");
			}
			return null;
		}
		try {
			return mapper.convertValue(value, type);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Result of task " + taskId + " (" + this.taskName
					+ ") cannot be converted to " + type.toCanonical() + ": " + ex.getMessage(), ex);
		}
	}

	private static Duration seconds(double seconds) {
		return Duration.ofNanos((long) (seconds * 1_000_000_000L));
	}

	@Override
	public String toString() {
		return describe(this.method) + " -> " + this.taskName;
	}

	/**
	 * What a call of a task interface method does, by its return type.
	 */
	public enum Kind {

		/** {@code void}: send the task. */
		SEND,

		/** {@code TaskResult}: send the task, return its handle. */
		HANDLE,

		/** {@code CompletableFuture<T>}: send the task, return a future of its result. */
		FUTURE,

		/** Any other type: send the task and wait for its result. */
		RESULT,

		/** {@code Signature}: return the call as a signature, send nothing. */
		SIGNATURE

	}

}
