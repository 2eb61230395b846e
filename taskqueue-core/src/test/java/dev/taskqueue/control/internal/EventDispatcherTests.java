package dev.taskqueue.control.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.control.internal.node.NoBrokerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.rabbit.connection.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EventDispatcher} never makes its caller wait for the broker: when the broker
 * cannot take events, they are dropped and counted.
 */
class EventDispatcherTests {

	@Test
	void whenTheBrokerHoldsThePublisherEventsAreDroppedNotWaitedFor() throws InterruptedException {
		CountDownLatch held = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		EventDispatcher dispatcher = new EventDispatcher(new NoBrokerFactory() {
			@Override
			public Connection createConnection() {
				// As a broker that blocks publishers: the sender waits here.
				held.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				throw new AmqpConnectException(new java.net.ConnectException("released"));
			}
		});
		dispatcher.setCapacity(2);
		try {
			assertThat(dispatcher.sendBuffered("w@h", "task-received", Map.of("uuid", "first"))).isTrue();
			assertThat(held.await(10, TimeUnit.SECONDS)).as("sender holding the first event").isTrue();
			int refused = 0;
			for (int i = 0; i < 10; i++) {
				if (!dispatcher.sendBuffered("w@h", "task-started", Map.of("uuid", "id-" + i))) {
					refused++;
				}
			}
			// The sender is stuck on the first event: two fit in the buffer, the rest are
			// refused at once.
			assertThat(refused).isEqualTo(8);
			assertThat(dispatcher.getDroppedCount()).isEqualTo(8);
			assertThat(dispatcher.getPublishedCount()).isZero();
		}
		finally {
			release.countDown();
			dispatcher.destroy();
		}
	}

	@Test
	void eventsThatCannotBePublishedAreCountedAsDropped() {
		EventDispatcher dispatcher = new EventDispatcher(new NoBrokerFactory());
		try {
			assertThat(dispatcher.send("w@h", "worker-heartbeat", Map.of("freq", 2.0))).isTrue();
			assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();
			assertThat(dispatcher.getDroppedCount()).isEqualTo(1);
		}
		finally {
			dispatcher.destroy();
		}
		assertThat(dispatcher.send("w@h", "worker-heartbeat", Map.of())).as("after destroy").isFalse();
	}

	@Test
	void everyEventGetsTheNextTickOfTheSharedClock() {
		LamportClock clock = new LamportClock();
		clock.adjust(41);
		EventDispatcher dispatcher = new EventDispatcher(new NoBrokerFactory(), clock);
		try {
			dispatcher.send("w@h", "worker-heartbeat", Map.of());
			assertThat(clock.value()).isEqualTo(43);
			assertThat(dispatcher.getClock()).isSameAs(clock);
		}
		finally {
			dispatcher.destroy();
		}
	}

}
