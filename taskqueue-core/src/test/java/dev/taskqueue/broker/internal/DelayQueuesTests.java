package dev.taskqueue.broker.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.taskqueue.broker.QueueType;
import dev.taskqueue.support.TestClock;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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

	@Test
	void bucketIsNamedByItsDueSecond() {
		assertThat(DelayQueues.bucketName(1_800_000_000L)).isEqualTo("taskqueue.delay.at.1800000000");
	}

	@Test
	void bucketRoutingKeyIsItsSecondThenTheWordsTheDeliveryBindingSkips() {
		String key = DelayQueues.bucketRoutingKey(1_800_000_000L, "a.b.dlq");
		assertThat(key).isEqualTo("1800000000." + "0.".repeat(DelayQueues.LEVELS - 1) + "a.b.dlq");
		// As many words before the target as a message leaving the cascade has.
		assertThat(key.split("\\.")).hasSize(DelayQueues.routingKey(0, "a.b.dlq").split("\\.").length);
	}

	@Test
	void messageDueWithinTheHorizonGoesToTheBucketOfItsSecondAndExpiresAtTheStartOfThatSecond() {
		Recording delayQueues = new Recording(QueueType.CLASSIC);
		long now = 1_800_000_000_250L;
		delayQueues.setNow(now);
		DelayQueues.Route route = delayQueues.route("q", now + 3_500);
		assertThat(route.exchange()).isEqualTo("taskqueue.delay.at");
		assertThat(route.routingKey()).isEqualTo(DelayQueues.bucketRoutingKey(1_800_000_003L, "q"));
		assertThat(route.expiration()).isEqualTo("2750");
		assertThat(route.properties(new com.rabbitmq.client.AMQP.BasicProperties.Builder().expiration("10").build())
			.getExpiration()).isEqualTo("2750");
		assertThat(delayQueues.declared).containsExactly(1_800_000_003L);
	}

	@Test
	void messageDueBeyondTheHorizonWaitsInTheCascadeUntilHalfAHorizonBeforeIt() {
		Recording delayQueues = new Recording(QueueType.CLASSIC);
		long now = 1_800_000_000_000L;
		delayQueues.setNow(now);
		long horizon = DelayQueues.Buckets.DEFAULT.horizon().toMillis();
		assertThat(delayQueues.route("q", now + horizon).exchange()).isEqualTo("taskqueue.delay.at");
		DelayQueues.Route beyond = delayQueues.route("q", now + horizon + 1000);
		long cascade = (horizon / 2 + 1000) / 1000;
		assertThat(beyond.routingKey()).isEqualTo(DelayQueues.routingKey(cascade, "q"));
		assertThat(beyond.exchange()).isEqualTo(delayQueues.entryOf(cascade));
		assertThat(beyond.expiration()).isNull();
		assertThat(beyond.properties(new com.rabbitmq.client.AMQP.BasicProperties.Builder().expiration("10").build())
			.getExpiration()).isNull();
	}

	@Test
	void quorumDelaysGoThroughTheQuorumCascadeInWholeSeconds() {
		Recording delayQueues = new Recording(QueueType.QUORUM);
		long now = 1_800_000_000_000L;
		delayQueues.setNow(now);
		DelayQueues.Route route = delayQueues.route("q", now + 5_900);
		assertThat(route.exchange()).isEqualTo(delayQueues.nameOf(2));
		assertThat(route.routingKey()).isEqualTo(DelayQueues.routingKey(5, "q"));
		assertThat(delayQueues.declared).isEmpty();
	}

	@Test
	void messageAlreadyDueGoesStraightToTheDeliveryExchange() {
		Recording delayQueues = new Recording(QueueType.CLASSIC);
		delayQueues.setNow(1_800_000_000_000L);
		DelayQueues.Route route = delayQueues.route("q", 1_799_999_999_000L);
		assertThat(route.exchange()).isEqualTo("taskqueue.delay.deliver");
		assertThat(route.routingKey()).isEqualTo(DelayQueues.routingKey(0, "q"));
	}

	@Test
	void bucketIsDeclaredAgainOnlyOnceItsDeclarationIsOlderThanTheRedeclarePeriod() {
		Recording delayQueues = new Recording(QueueType.CLASSIC);
		long start = 1_800_000_000_000L;
		long due = start + 600_000;
		long redeclare = DelayQueues.Buckets.DEFAULT.redeclare().toMillis();
		delayQueues.setNow(start);
		delayQueues.route("q", due);
		delayQueues.setNow(start + redeclare - 1);
		delayQueues.route("q", due);
		assertThat(delayQueues.declared).hasSize(1);
		delayQueues.setNow(start + redeclare);
		delayQueues.route("q", due);
		assertThat(delayQueues.declared).hasSize(2);
		assertThat(delayQueues.isBucketFresh(due / 1000, start + redeclare)).isTrue();
	}

	@Test
	void failedParkForgetsTheBucketDeclarationItReliedOn() {
		Recording delayQueues = new Recording(QueueType.CLASSIC);
		long now = 1_800_000_000_000L;
		delayQueues.setNow(now);
		DelayQueues.Route route = delayQueues.route("q", now + 10_000);
		route.forget();
		assertThat(delayQueues.isBucketFresh(1_800_000_010L, now)).isFalse();
		delayQueues.route("q", now + 10_000);
		assertThat(delayQueues.declared).hasSize(2);
	}

	@Test
	void resetForgetsDeclaredBuckets() {
		Recording delayQueues = new Recording(QueueType.CLASSIC);
		long now = 1_800_000_000_000L;
		delayQueues.setNow(now);
		delayQueues.route("q", now + 10_000);
		delayQueues.reset();
		delayQueues.route("q", now + 10_000);
		assertThat(delayQueues.declared).hasSize(2);
	}

	@Test
	void bucketsOfPastSecondsAreForgotten() {
		Recording delayQueues = new Recording(QueueType.CLASSIC);
		long now = 1_800_000_000_000L;
		delayQueues.setNow(now);
		delayQueues.route("q", now + 2_000);
		delayQueues.setNow(now + 5_000);
		delayQueues.route("q", now + 10_000);
		assertThat(delayQueues.isBucketFresh(1_800_000_002L, now + 5_000)).isFalse();
		assertThat(delayQueues.isBucketFresh(1_800_000_010L, now + 5_000)).isTrue();
	}

	@Test
	void bucketMustOutliveTheHorizonAndARedeclarePeriod() {
		assertThatIllegalArgumentException().isThrownBy(() -> new DelayQueues.Buckets("x", Duration.ofMinutes(10),
				Duration.ofMinutes(11), Duration.ofMinutes(1)));
	}

	/**
	 * Delay queues on a clock the test sets, which record bucket declarations instead of
	 * making them.
	 */
	private static final class Recording extends DelayQueues {

		/** Never connected: declarations and publishes are the test's. */
		private static final CachingConnectionFactory NOWHERE = new CachingConnectionFactory("localhost");

		private final TestClock clock;

		final List<Long> declared = new ArrayList<>();

		Recording(QueueType type) {
			this(type, new TestClock(Instant.EPOCH));
		}

		private Recording(QueueType type, TestClock clock) {
			super(NOWHERE, new ConfirmedPublisher(NOWHERE, Duration.ofSeconds(1), 1), type, Buckets.DEFAULT, clock);
			this.clock = clock;
		}

		void setNow(long epochMillis) {
			this.clock.set(Instant.ofEpochMilli(epochMillis));
		}

		@Override
		public void declareTopology() {
		}

		@Override
		public void bindTarget(String targetQueue) {
		}

		@Override
		void declareBucketQueue(long epochSecond) {
			this.declared.add(epochSecond);
		}

	}

}
