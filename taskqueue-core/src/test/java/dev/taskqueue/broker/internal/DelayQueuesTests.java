package dev.taskqueue.broker.internal;

import org.junit.jupiter.api.Test;

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

}
