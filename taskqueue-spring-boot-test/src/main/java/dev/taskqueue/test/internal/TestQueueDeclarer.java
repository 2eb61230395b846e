package dev.taskqueue.test.internal;

import dev.taskqueue.broker.internal.QueueDeclarer;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Declares nothing: in the record and inline modes no queue exists.
 */
public final class TestQueueDeclarer extends QueueDeclarer {

	/**
	 * Create a declarer that never uses its connection factory.
	 * @param connectionFactory the application's connection factory
	 */
	public TestQueueDeclarer(ConnectionFactory connectionFactory) {
		super(connectionFactory);
	}

	@Override
	public void declareConsumedQueue(String queue) {
	}

	@Override
	public void declareQueue(String queue) {
	}

	@Override
	public String declareDeadLetterQueue(String queue) {
		return queue + DLQ_SUFFIX;
	}

	@Override
	public void reset() {
	}

}
