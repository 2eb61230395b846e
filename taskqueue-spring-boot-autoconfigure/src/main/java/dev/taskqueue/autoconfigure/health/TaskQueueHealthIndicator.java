package dev.taskqueue.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.broker.internal.QueueInspector;
import dev.taskqueue.worker.WorkerContainer;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link org.springframework.boot.health.contributor.HealthIndicator} of taskqueue. Up
 * when the broker can be reached, the result store (when results are stored) answers a
 * {@code PING}, and the worker (when this application runs one) is running with consumers
 * attached to every queue it consumes, as the broker counts them: a worker whose
 * consumers silently went away is down.
 * <p>
 * Details: {@code broker} (server version), {@code resultStore}, and {@code worker}
 * (name, state, consumers of this worker, tasks running now, and per queue the messages
 * waiting and the consumers attached from every worker).
 */
public class TaskQueueHealthIndicator extends AbstractHealthIndicator {

	private final ConnectionFactory connectionFactory;

	private final @Nullable RedisConnectionFactory redisConnectionFactory;

	private final @Nullable WorkerContainer worker;

	private final QueueInspector queues;

	/**
	 * Create an indicator.
	 * @param connectionFactory the broker's connection factory
	 * @param redisConnectionFactory the result store's connection factory, or
	 * {@code null} when results are not stored
	 * @param worker the worker, or {@code null} when this application runs none
	 * @param queues asks the broker about queues
	 */
	public TaskQueueHealthIndicator(ConnectionFactory connectionFactory,
			@Nullable RedisConnectionFactory redisConnectionFactory, @Nullable WorkerContainer worker,
			QueueInspector queues) {
		super("taskqueue health check failed");
		this.connectionFactory = connectionFactory;
		this.redisConnectionFactory = redisConnectionFactory;
		this.worker = worker;
		this.queues = queues;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean up = checkBroker(builder);
		up &= checkResultStore(builder);
		WorkerContainer worker = this.worker;
		if (worker != null && !worker.isRunning() && !worker.isAutoStartup()) {
			// Not meant to consume (no task, or not started yet on purpose): not a fault.
			builder.withDetail("worker", Map.of("status", "NOT_CONSUMING"));
		}
		else if (worker != null && up) {
			up = checkWorker(builder, worker);
		}
		if (up) {
			builder.up();
		}
		else {
			builder.down();
		}
	}

	private boolean checkBroker(Health.Builder builder) {
		Map<String, Object> details = new LinkedHashMap<>();
		boolean up;
		try (Connection connection = this.connectionFactory.createConnection()) {
			up = connection.isOpen();
			Object version = connection.getDelegate().getServerProperties().get("version");
			if (version != null) {
				details.put("version", version.toString());
			}
		}
		catch (RuntimeException ex) {
			up = false;
			details.put("error", describe(ex));
		}
		details.put("status", up ? "UP" : "DOWN");
		builder.withDetail("broker", details);
		return up;
	}

	private boolean checkResultStore(Health.Builder builder) {
		if (this.redisConnectionFactory == null) {
			builder.withDetail("resultStore", Map.of("status", "DISABLED"));
			return true;
		}
		Map<String, Object> details = new LinkedHashMap<>();
		boolean up;
		try (RedisConnection connection = this.redisConnectionFactory.getConnection()) {
			up = "PONG".equalsIgnoreCase(connection.ping());
		}
		catch (RuntimeException ex) {
			up = false;
			details.put("error", describe(ex));
		}
		details.put("status", up ? "UP" : "DOWN");
		builder.withDetail("resultStore", details);
		return up;
	}

	private boolean checkWorker(Health.Builder builder, WorkerContainer worker) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("name", worker.getSettings().name());
		boolean running = true;
		int consumers = 0;
		for (SimpleMessageListenerContainer container : worker.getListenerContainers()) {
			boolean containerRunning = container.isRunning() && container.isActive();
			running &= containerRunning;
			consumers += containerRunning ? container.getActiveConsumerCount() : 0;
		}
		details.put("running", running);
		details.put("consumers", consumers);
		details.put("concurrency", worker.getConcurrency());
		details.put("activeTasks", worker.getActiveTaskCount());
		List<String> problems = new java.util.ArrayList<>();
		if (!running) {
			problems.add("the worker's listener container is not running");
		}
		else if (consumers == 0) {
			problems.add("the worker has no consumer");
		}
		Map<String, Object> queueDetails = new LinkedHashMap<>();
		for (String queue : worker.getQueues()) {
			QueueInspector.QueueState state = this.queues.fetch(queue);
			QueueInspector.QueueState dlq = this.queues.fetch(queue + QueueDeclarer.DLQ_SUFFIX);
			Map<String, Object> q = new LinkedHashMap<>();
			if (state == null) {
				problems.add("queue '" + queue + "' does not exist");
			}
			else {
				q.put("messages", state.messages());
				q.put("consumers", state.consumers());
				if (running && state.consumers() == 0) {
					problems.add("no consumer attached to queue '" + queue + "'");
				}
			}
			if (dlq != null) {
				q.put("deadLetters", dlq.messages());
			}
			queueDetails.put(queue, q);
		}
		details.put("queues", queueDetails);
		if (!problems.isEmpty()) {
			details.put("problems", problems);
		}
		builder.withDetail("worker", details);
		return problems.isEmpty();
	}

	private static String describe(Exception ex) {
		return ex.getClass().getName() + ": " + ex.getMessage();
	}

}
