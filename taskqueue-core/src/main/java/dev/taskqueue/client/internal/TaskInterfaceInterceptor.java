package dev.taskqueue.client.internal;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.Map;

import dev.taskqueue.client.TaskCallOptions;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskResult;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.ProxyMethodInvocation;

/**
 * Turns calls of a task interface's methods into sent tasks.
 */
public final class TaskInterfaceInterceptor implements MethodInterceptor {

	private final Class<?> type;

	private final Map<Method, TaskInterfaceMethod> methods;

	private final TaskClient client;

	private final JsonMapper mapper;

	/**
	 * Create an interceptor.
	 * @param type the task interface
	 * @param methods its task methods
	 * @param client sends the tasks
	 * @param mapper converts results
	 */
	public TaskInterfaceInterceptor(Class<?> type, Map<Method, TaskInterfaceMethod> methods, TaskClient client,
			JsonMapper mapper) {
		this.type = type;
		this.methods = Map.copyOf(methods);
		this.client = client;
		this.mapper = mapper;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Method method = invocation.getMethod();
		TaskInterfaceMethod taskMethod = this.methods.get(method);
		if (taskMethod == null) {
			if (method.isDefault() && invocation instanceof ProxyMethodInvocation proxied) {
				// A method handle, as InvocationHandler.invokeDefault refuses interfaces
				// that are not public.
				Class<?> declaring = method.getDeclaringClass();
				return MethodHandles.privateLookupIn(declaring, MethodHandles.lookup())
					.unreflectSpecial(method, declaring)
					.bindTo(proxied.getProxy())
					.invokeWithArguments(invocation.getArguments());
			}
			if (method.getDeclaringClass() == Object.class && method.getName().equals("toString")) {
				return "Task interface " + this.type.getName();
			}
			return invocation.proceed();
		}
		@Nullable Object[] args = invocation.getArguments();
		TaskCallOptions options = taskMethod.options(args);
		if (taskMethod.getKind() == TaskInterfaceMethod.Kind.SIGNATURE) {
			return taskMethod.signature(args, options);
		}
		TaskResult result = this.client.send(taskMethod.request(args, options));
		return switch (taskMethod.getKind()) {
			case SEND -> null;
			case HANDLE -> result;
			case FUTURE ->
				result.toFuture().thenApply((value) -> taskMethod.convert(result.getId(), value, this.mapper));
			default -> taskMethod.convert(result.getId(), result.get(taskMethod.timeout(options)), this.mapper);
		};
	}

}
