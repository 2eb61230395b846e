package dev.taskqueue.broker.internal;

import java.time.Duration;

import dev.taskqueue.broker.QueueType;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

class DelayQueuesTests {

	@Test
	void routingKeySpellsTheDelayInBinaryMostSignificantLevelFirst() {
		String key = DelayQueues.routingKey(5, "divide");
		assertThat(key).isEqualTo("0.".repeat(DelayQueues.LEVELS - 3) + "1.0.1.divide");
	}

	@Test
	void routingKeyKeepsDotsOfTheTargetQueue() {
		assertThat(DelayQueues.routingKey(1, "a.b.dlq")).endsWith(".1.a.b.dlq");
		assertThat(DelayQueues.routingKey(0, "q")).isEqualTo("0.".repeat(DelayQueues.LEVELS) + "q");
	}

	@Test
	void longestDelayUsesEveryLevel() {
		assertThat(DelayQueues.routingKey(DelayQueues.MAX_DELAY_SECONDS, "q"))
			.isEqualTo("1.".repeat(DelayQueues.LEVELS) + "q");
	}

	@Test
	void parkedMessageEntersTheCascadeAtTheLevelOfItsHighestBit() {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory("localhost");
		try {
			DelayQueues delayQueues = new DelayQueues(connectionFactory,
					new ConfirmedPublisher(connectionFactory, Duration.ofSeconds(1), 1));
			assertThat(delayQueues.entryOf(1)).isEqualTo(DelayQueues.levelName(0));
			assertThat(delayQueues.entryOf(5)).isEqualTo(DelayQueues.levelName(2));
			assertThat(delayQueues.entryOf(120)).isEqualTo(DelayQueues.levelName(6));
			assertThat(delayQueues.entryOf(DelayQueues.MAX_DELAY_SECONDS))
				.isEqualTo(DelayQueues.levelName(DelayQueues.LEVELS - 1));
			assertThat(delayQueues.entryOf(0)).isEqualTo("taskqueue.delay.deliver");
			DelayQueues quorum = new DelayQueues(connectionFactory,
					new ConfirmedPublisher(connectionFactory, Duration.ofSeconds(1), 1), QueueType.QUORUM);
			assertThat(quorum.entryOf(5)).isEqualTo(quorum.nameOf(2));
		}
		finally {
			connectionFactory.destroy();
		}
	}

}
