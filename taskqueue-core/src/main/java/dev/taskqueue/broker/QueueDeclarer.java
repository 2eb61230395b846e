package dev.taskqueue.broker;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Declares queues as Celery declares them: durable, not auto-delete, no arguments, bound to a
 * durable direct exchange of the same name with the queue name as key. A Python worker and a Java
 * worker can therefore declare and share the same queue without {@code PRECONDITION_FAILED}.
 * Dead-letter queues ({@code <queue>.dlq}) are declared the same way.
 */
public class QueueDeclarer {

	/** The suffix of the dead-letter queue of each task queue. */
	public static final String DLQ_SUFFIX = ".dlq";

	private final RabbitAdmin admin;

	private final Set<String> declared = ConcurrentHashMap.newKeySet();

	/**
	 * Create a declarer.
	 * @param connectionFactory the connection factory
	 */
	public QueueDeclarer(ConnectionFactory connectionFactory) {
		this.admin = new RabbitAdmin(connectionFactory);
		// Declarations here are explicit; the admin must not redeclare the application's beans.
		this.admin.setAutoStartup(false);
	}

	/**
	 * Declare a task queue, its exchange and binding, once per declarer.
	 * @param queue the queue name
	 */
	public void declareQueue(String queue) {
		if (this.declared.contains(queue)) {
			return;
		}
		Queue q = new Queue(queue, true, false, false);
		DirectExchange exchange = new DirectExchange(queue, true, false);
		Binding binding = BindingBuilder.bind(q).to(exchange).with(queue);
		this.admin.declareQueue(q);
		this.admin.declareExchange(exchange);
		this.admin.declareBinding(binding);
		this.declared.add(queue);
	}

	/**
	 * Declare the dead-letter queue of a task queue.
	 * @param queue the task queue name
	 * @return the dead-letter queue name
	 */
	public String declareDeadLetterQueue(String queue) {
		String dlq = queue + DLQ_SUFFIX;
		declareQueue(dlq);
		return dlq;
	}

	/**
	 * Forget what was declared, so the next use declares again (after the broker lost its state).
	 */
	public void reset() {
		this.declared.clear();
	}

}
