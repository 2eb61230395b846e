package dev.taskqueue.client;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.taskqueue.client.internal.TaskInterfaceInterceptor;
import dev.taskqueue.client.internal.TaskInterfaceMethod;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.framework.ProxyFactory;

/**
 * Creates proxies of task interfaces ({@link TaskExchange}) that send through a
 * {@link TaskClient}, as Spring's {@code HttpServiceProxyFactory} does for HTTP service
 * interfaces. With Spring Boot, {@link ImportTaskInterfaces} makes them beans through the
 * auto-configured factory. <pre class="code">
 * MathTasks tasks = new TaskInterfaceFactory(client).createClient(MathTasks.class);
 * double quotient = tasks.divide(16, 2);
 * </pre>
 */
public final class TaskInterfaceFactory {

	/** How long a method that returns the result waits for it, unless told otherwise. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	private final TaskClient client;

	private final JsonMapper mapper;

	private final Duration timeout;

	/**
	 * Create a factory that converts results with a default mapper and waits
	 * {@link #DEFAULT_TIMEOUT} for them.
	 * @param client sends the tasks
	 */
	public TaskInterfaceFactory(TaskClient client) {
		this(client, JsonMapper.shared(), DEFAULT_TIMEOUT);
	}

	/**
	 * Create a factory.
	 * @param client sends the tasks
	 * @param mapper converts results to the methods' return types
	 * @param timeout how long a method that returns the result waits for it, unless its
	 * {@link TaskExchange#timeout()} or the call's options say otherwise
	 */
	public TaskInterfaceFactory(TaskClient client, JsonMapper mapper, Duration timeout) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("Timeout of task interfaces must be positive, got " + timeout);
		}
		this.client = client;
		this.mapper = mapper;
		this.timeout = timeout;
	}

	/**
	 * Create a proxy of a task interface.
	 * @param <S> the interface
	 * @param type the interface
	 * @return a proxy whose methods send the tasks they name
	 * @throws IllegalStateException if the type is not a task interface, naming the
	 * method at fault
	 */
	public <S> S createClient(Class<S> type) {
		Map<Method, TaskInterfaceMethod> methods = new LinkedHashMap<>();
		for (Method method : TaskInterfaceMethod.taskMethods(type)) {
			methods.put(method, TaskInterfaceMethod.of(type, method, this.mapper, this.timeout));
		}
		ProxyFactory proxyFactory = new ProxyFactory(type,
				new TaskInterfaceInterceptor(type, methods, this.client, this.mapper));
		return type.cast(proxyFactory.getProxy(type.getClassLoader()));
	}

}
