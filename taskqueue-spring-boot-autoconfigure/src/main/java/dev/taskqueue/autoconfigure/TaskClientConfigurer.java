package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.taskqueue.client.DefaultTaskClient;
import dev.taskqueue.client.internal.UniqueLocks;
import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.internal.ControlBus;
import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.worker.internal.TaskRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.Assert;

/**
 * Configure a {@link DefaultTaskClient} with the settings of {@code taskqueue.*} and the
 * application's collaborators: the serializers tasks choose
 * ({@code taskqueue.tasks.*.serializer}, then {@code @QueueTask(serializer)}), where
 * revocations are kept and where unique tasks are locked.
 * <p>
 * Can be injected into application code and used to define a custom
 * {@code DefaultTaskClient} whose configuration is based upon that produced by
 * auto-configuration: <pre class="code">
 * &#64;Bean
 * DefaultTaskClient taskClient(TaskClientConfigurer configurer, TaskMessageCodec codec,
 *         ConfirmedPublisher publisher, QueueDeclarer declarer, TaskRouter router, ResultBackend backend) {
 *     DefaultTaskClient client = new DefaultTaskClient(codec, publisher, declarer, router, backend,
 *             configurer::queueOf);
 *     configurer.configure(client);
 *     return client;
 * }</pre>
 *
 * @see TaskClientCustomizer
 */
public final class TaskClientConfigurer {

	private final TaskQueueProperties properties;

	private Supplier<@Nullable TaskRegistry> registry = () -> null;

	private @Nullable ControlBus controlBus;

	private @Nullable UniqueLocks uniqueLocks;

	private @Nullable ClusterControl clusterControl;

	private @Nullable EventDispatcher sentEventDispatcher;

	/**
	 * Create a configurer that applies the given properties.
	 * @param properties the properties
	 */
	public TaskClientConfigurer(TaskQueueProperties properties) {
		Assert.notNull(properties, "'properties' must not be null");
		this.properties = properties;
	}

	/**
	 * Set where this application's tasks are registered; looked up at the first send, as
	 * tasks may inject the client.
	 */
	void setTaskRegistry(Supplier<@Nullable TaskRegistry> registry) {
		this.registry = registry;
	}

	void setControlBus(@Nullable ControlBus controlBus) {
		this.controlBus = controlBus;
	}

	void setUniqueLocks(@Nullable UniqueLocks uniqueLocks) {
		this.uniqueLocks = uniqueLocks;
	}

	void setClusterControl(@Nullable ClusterControl clusterControl) {
		this.clusterControl = clusterControl;
	}

	void setSentEventDispatcher(@Nullable EventDispatcher sentEventDispatcher) {
		this.sentEventDispatcher = sentEventDispatcher;
	}

	/**
	 * Return the queue a task of this application names for itself
	 * ({@code @QueueTask(queue)}): the lookup {@link DefaultTaskClient}'s constructor
	 * takes.
	 * @param taskName the task name
	 * @return the queue, or {@code null} if the task names none or does not run here
	 */
	public @Nullable String queueOf(String taskName) {
		TaskRegistry tasks = this.registry.get();
		return (tasks != null) ? tasks.queueOf(taskName) : null;
	}

	/**
	 * Configure the specified client. The client can be further tuned and default
	 * settings can be overridden.
	 * @param client the client to configure
	 */
	public void configure(DefaultTaskClient client) {
		PropertyMapper map = PropertyMapper.get();
		Map<String, String> configured = new LinkedHashMap<>();
		this.properties.getTasks()
			.forEach(
					(name, task) -> map.from(task::getSerializer).to((serializer) -> configured.put(name, serializer)));
		client.setTaskSerializers((name) -> {
			String serializer = configured.get(name);
			if (serializer != null) {
				return serializer;
			}
			TaskRegistry tasks = this.registry.get();
			return (tasks != null) ? tasks.serializerOf(name) : null;
		});
		map.from(this.controlBus).to(client::setControlBus);
		map.from(this.uniqueLocks).to(client::setUniqueLocks);
		map.from(this.clusterControl).to(client::setClusterControl);
		map.from(this.sentEventDispatcher).to(client::setSentEventDispatcher);
		Duration subscribeBeforeSend = this.properties.getClient().getSubscribeBeforeSend();
		client.setSubscribeBeforeSend((subscribeBeforeSend != null)
				? PropertyChecks.notNegative("taskqueue.client.subscribe-before-send", subscribeBeforeSend) : null);
	}

}
