package dev.taskqueue.worker.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.worker.TaskArgumentException;
import dev.taskqueue.worker.TaskContext;
import dev.taskqueue.worker.TaskFailure;
import dev.taskqueue.worker.TaskListener;
import org.jspecify.annotations.Nullable;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.function.SingletonSupplier;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * A registered task: a bean method, its name and options, and how message arguments bind
 * to its parameters.
 */
public final class TaskMethod {

	private static final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private final String name;

	private final Object bean;

	private final Method method;

	private final @Nullable String queue;

	private final boolean ignoreResult;

	private final @Nullable RateLimit rateLimit;

	private final RetryPolicy retryPolicy;

	private final Supplier<List<TaskListener>> listeners;

	private final ParameterSlot[] parameters;

	private final boolean takesFailure;

	/**
	 * Create a task method.
	 * @param name the task name
	 * @param bean the bean to invoke on
	 * @param method the method (invocable on the bean)
	 * @param queue the queue the task names for itself, or {@code null}
	 * @param ignoreResult whether the result is ignored
	 * @param rateLimit the task's own rate limit per worker, or {@code null}
	 * @param retryPolicy the task's own retry policy
	 * @param listeners the task's own listeners, resolved on first use
	 * @param mapper the mapper that resolves parameter types
	 */
	public TaskMethod(String name, Object bean, Method method, @Nullable String queue, boolean ignoreResult,
			@Nullable RateLimit rateLimit, RetryPolicy retryPolicy, Supplier<List<TaskListener>> listeners,
			JsonMapper mapper) {
		this.name = name;
		this.bean = bean;
		this.method = method;
		this.queue = queue;
		this.ignoreResult = ignoreResult;
		this.rateLimit = rateLimit;
		this.retryPolicy = retryPolicy;
		this.listeners = SingletonSupplier.of(listeners);
		ReflectionUtils.makeAccessible(method);
		Parameter[] params = method.getParameters();
		this.parameters = new ParameterSlot[params.length];
		String[] names = parameterNames(name, method, params);
		boolean failure = false;
		for (int i = 0; i < params.length; i++) {
			Class<?> type = params[i].getType();
			Kind kind = (type == TaskContext.class) ? Kind.CONTEXT
					: (type == TaskFailure.class) ? Kind.FAILURE : Kind.ARGUMENT;
			if (kind == Kind.FAILURE) {
				if (failure) {
					throw new IllegalStateException(
							"Task '" + name + "' declares more than one TaskFailure parameter: " + describe(method));
				}
				failure = true;
			}
			this.parameters[i] = new ParameterSlot(i, names[i], type,
					mapper.constructType(params[i].getParameterizedType()), kind);
		}
		this.takesFailure = failure;
	}

	// Keyword arguments bind by name, and any task may be sent keyword arguments (a
	// Python caller's apply_async(kwargs=...)): without the real names they would bind
	// to arg0, arg1... or fail with a misleading error on the first such call.
	private static String[] parameterNames(String task, Method method, Parameter[] params) {
		boolean takesArguments = false;
		for (Parameter param : params) {
			if (param.getType() != TaskContext.class && param.getType() != TaskFailure.class) {
				takesArguments = true;
			}
		}
		String[] names = parameterNames.getParameterNames(method);
		if (names == null) {
			names = parameterNames.getParameterNames(BridgeMethodResolver.findBridgedMethod(method));
		}
		if (names != null && names.length == params.length) {
			return names;
		}
		if (takesArguments) {
			throw new IllegalStateException("Task '" + task + "' (" + describe(method) + ") cannot bind keyword "
					+ "arguments: the names of its parameters are not available. Compile "
					+ ClassUtils.getUserClass(method.getDeclaringClass()).getName() + " with -parameters (Maven: "
					+ "<parameters>true</parameters> in the maven-compiler-plugin's configuration, as Spring Boot's "
					+ "parent does; Gradle: options.compilerArgs.add(\"-parameters\"); Kotlin: -java-parameters)");
		}
		String[] placeholders = new String[params.length];
		for (int i = 0; i < params.length; i++) {
			placeholders[i] = params[i].getName();
		}
		return placeholders;
	}

	/**
	 * Return the task name.
	 * @return the task name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * Return the bean the method is invoked on.
	 * @return the bean the method is invoked on
	 */
	public Object getBean() {
		return this.bean;
	}

	/**
	 * Return the method.
	 * @return the method
	 */
	public Method getMethod() {
		return this.method;
	}

	/**
	 * Return the queue the task names for itself, or {@code null}.
	 * @return the queue the task names for itself, or {@code null}
	 */
	public @Nullable String getQueue() {
		return this.queue;
	}

	/**
	 * Return whether the result is ignored.
	 * @return whether the result is ignored
	 */
	public boolean isIgnoreResult() {
		return this.ignoreResult;
	}

	/**
	 * Return the task's own rate limit, or {@code null}.
	 * @return the task's own rate limit, or {@code null}
	 */
	public @Nullable RateLimit getRateLimit() {
		return this.rateLimit;
	}

	/**
	 * Return the task's own retry policy.
	 * @return the task's own retry policy
	 */
	public RetryPolicy getRetryPolicy() {
		return this.retryPolicy;
	}

	/**
	 * Return the task's own listeners.
	 * @return the task's own listeners
	 */
	public List<TaskListener> getListeners() {
		return this.listeners.get();
	}

	/**
	 * Return the names of the parameters that take the task's arguments (all but
	 * {@link TaskContext} and {@link TaskFailure} parameters), in order.
	 * @return the parameter names
	 */
	public List<String> getArgumentNames() {
		List<String> names = new ArrayList<>();
		for (ParameterSlot slot : this.parameters) {
			if (slot.kind == Kind.ARGUMENT) {
				names.add(slot.name);
			}
		}
		return names;
	}

	/**
	 * Return whether the task is an errback that takes a {@link TaskFailure}.
	 * @return whether the task is an errback that takes a {@link TaskFailure}
	 */
	public boolean takesFailure() {
		return this.takesFailure;
	}

	/**
	 * A readable name of the method, for messages: {@code Class.method(Type, Type)}.
	 * @return the description
	 */
	public String describe() {
		return describe(this.method);
	}

	static String describe(Method method) {
		StringJoiner params = new StringJoiner(", ", "(", ")");
		for (Class<?> type : method.getParameterTypes()) {
			params.add(type.getSimpleName());
		}
		return ClassUtils.getUserClass(method.getDeclaringClass()).getName() + "." + method.getName() + params;
	}

	/**
	 * Bind positional and keyword arguments to the parameters, converting each value to
	 * the parameter's type. {@link TaskContext} and {@link TaskFailure} parameters take
	 * no argument of their own, except that a {@code TaskFailure} consumes the first
	 * positional argument: the failed task's id, as Celery calls errbacks.
	 * @param args the positional arguments
	 * @param kwargs the keyword arguments
	 * @param mapper the mapper that converts values
	 * @param context the running task's context
	 * @param failures looks a failed task up by id
	 * @return the values to invoke the method with
	 * @throws TaskArgumentException if the arguments do not fit
	 */
	public @Nullable Object[] bind(List<?> args, Map<String, ?> kwargs, JsonMapper mapper,
			@Nullable TaskContext context, Function<String, TaskFailure> failures) {
		int count = this.parameters.length;
		@Nullable Object[] values = new Object[count];
		boolean[] bound = new boolean[count];
		int next = 0;
		if (this.takesFailure) {
			if (args.isEmpty() || !(args.get(0) instanceof String failedId)) {
				throw new TaskArgumentException("Task '" + this.name + "' takes a TaskFailure, so its first positional "
						+ "argument must be the failed task's id, got "
						+ (args.isEmpty() ? "no arguments" : args.get(0)));
			}
			for (ParameterSlot slot : this.parameters) {
				if (slot.kind == Kind.FAILURE) {
					values[slot.index] = failures.apply(failedId);
					bound[slot.index] = true;
				}
			}
			next = 1;
		}
		for (ParameterSlot slot : this.parameters) {
			if (slot.kind == Kind.CONTEXT) {
				values[slot.index] = context;
				bound[slot.index] = true;
			}
		}
		int argumentCount = 0;
		for (ParameterSlot slot : this.parameters) {
			if (slot.kind == Kind.ARGUMENT) {
				argumentCount++;
			}
		}
		if (args.size() - next > argumentCount) {
			throw new TaskArgumentException("Task '" + this.name + "' takes " + argumentCount + " positional argument"
					+ ((argumentCount == 1) ? "" : "s") + " but " + (args.size() - next) + " were given");
		}
		for (ParameterSlot slot : this.parameters) {
			if (slot.kind == Kind.ARGUMENT && next < args.size()) {
				values[slot.index] = slot.convert(args.get(next++), this.name, mapper);
				bound[slot.index] = true;
			}
		}
		for (Map.Entry<String, ?> kwarg : kwargs.entrySet()) {
			ParameterSlot slot = find(kwarg.getKey());
			if (slot == null) {
				throw new TaskArgumentException("Task '" + this.name + "' got an unexpected keyword argument '"
						+ kwarg.getKey() + "' (parameters: " + parameterNames() + ")");
			}
			if (bound[slot.index]) {
				throw new TaskArgumentException(
						"Task '" + this.name + "' got multiple values for argument '" + slot.name + "'");
			}
			values[slot.index] = slot.convert(kwarg.getValue(), this.name, mapper);
			bound[slot.index] = true;
		}
		List<String> missing = new ArrayList<>();
		for (ParameterSlot slot : this.parameters) {
			if (!bound[slot.index]) {
				missing.add("'" + slot.name + "'");
			}
		}
		if (!missing.isEmpty()) {
			throw new TaskArgumentException("Task '" + this.name + "' is missing " + missing.size()
					+ " required argument" + ((missing.size() == 1) ? "" : "s") + ": " + String.join(", ", missing));
		}
		return values;
	}

	/**
	 * Invoke the method.
	 * @param values the bound arguments
	 * @return the return value
	 * @throws Throwable whatever the method throws
	 */
	public @Nullable Object invoke(@Nullable Object[] values) throws Throwable {
		try {
			return this.method.invoke(this.bean, values);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	private @Nullable ParameterSlot find(String name) {
		for (ParameterSlot slot : this.parameters) {
			if (slot.kind == Kind.ARGUMENT && slot.name.equals(name)) {
				return slot;
			}
		}
		return null;
	}

	private String parameterNames() {
		StringJoiner names = new StringJoiner(", ");
		for (ParameterSlot slot : this.parameters) {
			if (slot.kind == Kind.ARGUMENT) {
				names.add(slot.name);
			}
		}
		return names.toString();
	}

	@Override
	public String toString() {
		return this.name + " -> " + describe();
	}

	private enum Kind {

		ARGUMENT, CONTEXT, FAILURE

	}

	private record ParameterSlot(int index, String name, Class<?> rawType, JavaType type, Kind kind) {

		@Nullable Object convert(@Nullable Object value, String task, JsonMapper mapper) {
			if (value == null) {
				if (this.rawType.isPrimitive()) {
					throw new TaskArgumentException(describe(task) + ": null is not a valid " + this.rawType.getName());
				}
				return null;
			}
			if (this.rawType.isInstance(value) && !this.type.hasGenericTypes()) {
				return value;
			}
			if (isIntegral(this.rawType) && value instanceof Number number && !isWhole(number)) {
				throw new TaskArgumentException(describe(task) + ": " + value + " is not a whole number, so it "
						+ "cannot be a " + this.rawType.getSimpleName());
			}
			try {
				return mapper.convertValue(value, this.type);
			}
			catch (RuntimeException ex) {
				throw new TaskArgumentException(describe(task) + ": cannot convert " + preview(value) + " to "
						+ this.type.toCanonical() + ": " + rootMessage(ex), ex);
			}
		}

		private String describe(String task) {
			return "Task '" + task + "' argument '" + this.name + "' (position " + this.index + ")";
		}

		private static boolean isIntegral(Class<?> type) {
			type = ClassUtils.resolvePrimitiveIfNecessary(type);
			return type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
					|| type == BigInteger.class;
		}

		private static boolean isWhole(Number number) {
			if (number instanceof Double || number instanceof Float) {
				double d = number.doubleValue();
				return !Double.isInfinite(d) && d == Math.rint(d);
			}
			if (number instanceof BigDecimal decimal) {
				return decimal.stripTrailingZeros().scale() <= 0;
			}
			return true;
		}

		private static String preview(Object value) {
			String text = (value instanceof String s) ? "'" + s + "'" : String.valueOf(value);
			return (text.length() > 80) ? text.substring(0, 77) + "..." : text;
		}

		private static String rootMessage(Throwable ex) {
			Throwable cause = ex;
			while (cause.getCause() != null && cause.getCause() != cause) {
				cause = cause.getCause();
			}
			String message = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
			int newline = message.indexOf('\n');
			String line = (newline > 0) ? message.substring(0, newline) : message;
			// A huge value would otherwise be repeated in full in the error.
			return (line.length() > 300) ? line.substring(0, 297) + "..." : line;
		}

	}

}
