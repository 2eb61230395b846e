package dev.taskqueue.autoconfigure;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Removes what a test's worker declared on the local broker.
 */
public final class TestQueues {

	private TestQueues() {
	}

	/**
	 * Delete a task queue, its dead-letter queue and their exchanges.
	 * @param queue the task queue
	 */
	public static void delete(String queue) {
		CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1");
		try {
			RabbitAdmin admin = new RabbitAdmin(factory);
			admin.deleteQueue(queue);
			admin.deleteQueue(queue + ".dlq");
			admin.deleteExchange(queue);
			admin.deleteExchange(queue + ".dlq");
		}
		finally {
			factory.destroy();
		}
	}

}
