package dev.taskqueue.benchmarks.worker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.Channel;
import dev.taskqueue.benchmarks.stages.AmqpTimestamps;
import dev.taskqueue.benchmarks.stages.WallClock;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.worker.TaskContext;
import dev.taskqueue.worker.TaskListener;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * The worker's side of the stage breakdown, present only with {@code bench.stages=true}:
 * for each task, when its delivery reached the connection (the RabbitMQ client's metrics
 * hook), when the consumer thread took it, when the task was about to start (decoded,
 * before its arguments are bound) and had returned (its result's store sent), when the
 * consumer thread was free again, and when the message was acknowledged (the store's
 * reply). All in wall-clock micros, which the driver can set against its own.
 */
public final class WorkerStages implements TaskListener {

	private static final int MAX_KEPT = 100_000;

	private final AmqpTimestamps amqp = new AmqpTimestamps();

	private final Map<String, Task> tasks = new ConcurrentHashMap<>();

	private final ThreadLocal<@Nullable Task> current = new ThreadLocal<>();

	/**
	 * Return the hook to install on the worker's RabbitMQ connection factory.
	 * @return the hook to install on the worker's RabbitMQ connection factory
	 */
	public AmqpTimestamps amqp() {
		return this.amqp;
	}

	/**
	 * Wrap a consumer's listener so it notes when the consumer thread takes and leaves
	 * each message.
	 * @param delegate the worker's listener
	 * @return the wrapping listener
	 */
	ChannelAwareMessageListener wrap(ChannelAwareMessageListener delegate) {
		return (message, channel) -> {
			long taken = WallClock.micros();
			Task task = begin(message, channel, taken);
			try {
				delegate.onMessage(message, channel);
			}
			finally {
				this.current.remove();
				if (task != null) {
					task.left = WallClock.micros();
				}
			}
		};
	}

	private @Nullable Task begin(Message message, @Nullable Channel channel, long taken) {
		String id = message.getMessageProperties().getCorrelationId();
		if (id == null || channel == null) {
			return null;
		}
		Channel target = AmqpTimestamps.target(channel);
		long tag = message.getMessageProperties().getDeliveryTag();
		Task task = new Task(target, tag, this.amqp.delivered(target, tag), taken);
		if (this.tasks.size() > MAX_KEPT) {
			this.tasks.clear();
		}
		this.tasks.put(id, task);
		this.current.set(task);
		return task;
	}

	@Override
	public void beforeStart(TaskContext task) {
		Task mine = this.current.get();
		if (mine != null) {
			mine.started = WallClock.micros();
		}
	}

	@Override
	public void afterReturn(TaskContext task, TaskState state, @Nullable Object result) {
		Task mine = this.current.get();
		if (mine != null) {
			mine.returned = WallClock.micros();
		}
	}

	/**
	 * Return every task seen since the last call, one per line: {@code id delivered
	 * taken started returned left acked} (wall-clock micros, 0 when not seen), and forget
	 * them.
	 * @return every task seen since the last call, one per line
	 */
	String drain() {
		StringBuilder out = new StringBuilder();
		for (String id : this.tasks.keySet()) {
			Task task = this.tasks.remove(id);
			if (task == null) {
				continue;
			}
			long acked = this.amqp.acked(task.channel, task.tag);
			out.append(id)
				.append(' ')
				.append(task.delivered)
				.append(' ')
				.append(task.taken)
				.append(' ')
				.append(task.started)
				.append(' ')
				.append(task.returned)
				.append(' ')
				.append(task.left)
				.append(' ')
				.append(acked)
				.append('\n');
		}
		return out.toString();
	}

	/**
	 * One task's timestamps.
	 */
	private static final class Task {

		final Channel channel;

		final long tag;

		final long delivered;

		final long taken;

		volatile long started;

		volatile long returned;

		volatile long left;

		Task(Channel channel, long tag, long delivered, long taken) {
			this.channel = channel;
			this.tag = tag;
			this.delivered = delivered;
			this.taken = taken;
		}

	}

}
