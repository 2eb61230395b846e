package dev.taskqueue.test.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.AMQP;
import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.DelayQueues;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Keeps the messages a worker parks until they are due (countdowns and etas a second or
 * more away, rate-limited starts, retries) in memory, due by the test clock.
 */
public final class TestDelayQueues extends DelayQueues {

	private final Clock clock;

	private final List<Parked> parked = new ArrayList<>();

	private final AtomicLong sequence = new AtomicLong();

	/**
	 * Create delay queues in memory.
	 * @param connectionFactory the application's connection factory, never used
	 * @param publisher the publisher, never used
	 * @param clock the clock that says when a message is due
	 */
	public TestDelayQueues(ConnectionFactory connectionFactory, ConfirmedPublisher publisher, Clock clock) {
		super(connectionFactory, publisher);
		this.clock = clock;
	}

	@Override
	public synchronized void parkUntil(String targetQueue, long dueMillis, AMQP.BasicProperties properties,
			byte[] body) {
		this.parked.add(new Parked(dueMillis, this.sequence.incrementAndGet(), targetQueue, properties, body));
	}

	@Override
	public CompletableFuture<Void> parkUntilAsync(String targetQueue, long dueMillis, AMQP.BasicProperties properties,
			byte[] body) {
		parkUntil(targetQueue, dueMillis, properties, body);
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public void declareTopology() {
	}

	@Override
	public void bindTarget(String targetQueue) {
	}

	@Override
	public void reset() {
	}

	/**
	 * Take the parked messages due at the given time, the earliest first.
	 * @param now the time
	 * @return the due messages
	 */
	synchronized List<Parked> takeDue(Instant now) {
		List<Parked> due = this.parked.stream()
			.filter((message) -> message.dueMillis() <= now.toEpochMilli())
			.sorted(Comparator.comparingLong(Parked::dueMillis).thenComparingLong(Parked::sequence))
			.toList();
		this.parked.removeAll(due);
		return due;
	}

	synchronized int size() {
		return this.parked.size();
	}

	synchronized void clear() {
		this.parked.clear();
	}

	record Parked(long dueMillis, long sequence, String queue, AMQP.BasicProperties properties, byte[] body) {

	}

}
