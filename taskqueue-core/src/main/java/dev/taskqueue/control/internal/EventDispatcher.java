package dev.taskqueue.control.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.Channel;
import dev.taskqueue.protocol.internal.EncodedMessage;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Publishes Celery monitoring events to the {@code celeryev} exchange, as Celery's
 * {@code EventDispatcher} does, so {@code celery events}, Flower and Celery's own workers
 * see what this process does.
 * <p>
 * Sending never blocks the caller: an event is stamped (clock, timestamp) and queued, and
 * one thread of its own publishes the queue, transient and unconfirmed as Celery does.
 * Buffered events of one sender and group that wait together go out as one array on
 * {@code <group>.multi} ({@code task.multi}, at most {@value #BUFFER_LIMIT} per message),
 * as a Celery worker sends them, a task event waiting up to 100 ms for others to join it;
 * the others each on their own routing key, at once. When the queue is full, because the
 * broker is unreachable or blocks publishers, events are dropped and
 * {@link #getDroppedCount() counted} rather than slowing the caller.
 */
public class EventDispatcher implements DisposableBean {

	private static final Log logger = LogFactory.getLog(EventDispatcher.class);

	/** Celery's {@code buffer_limit}: events per {@code .multi} message. */
	public static final int BUFFER_LIMIT = 24;

	private static final int DEFAULT_CAPACITY = 10_000;

	private static final long RECONNECT_PAUSE_MILLIS = 1000;

	/** Longest wait of a task event for others to share its message. */
	private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private static final long LINGER_STEP_MILLIS = 5;

	private final ConnectionFactory connectionFactory;

	private final LamportClock clock;

	private final long pid = ProcessIdentity.pid();

	private volatile String exchange = EventMessages.DEFAULT_EXCHANGE;

	private volatile BlockingQueue<Object> queue = new ArrayBlockingQueue<>(DEFAULT_CAPACITY);

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicLong published = new AtomicLong();

	private final Object monitor = new Object();

	private volatile @Nullable Thread sender;

	private @Nullable Channel channel;

	private volatile boolean closed;

	private boolean failing;

	/**
	 * Create a dispatcher with a clock of its own.
	 * @param connectionFactory the broker's connection factory
	 */
	public EventDispatcher(ConnectionFactory connectionFactory) {
		this(connectionFactory, new LamportClock());
	}

	/**
	 * Create a dispatcher.
	 * @param connectionFactory the broker's connection factory
	 * @param clock the process's logical clock, shared with its pidbox node
	 */
	public EventDispatcher(ConnectionFactory connectionFactory, LamportClock clock) {
		this.connectionFactory = connectionFactory;
		this.clock = clock;
	}

	/**
	 * Set the exchange (Celery's {@code event_exchange}); before the first event.
	 * @param exchange the exchange, {@code celeryev} by default
	 */
	public void setExchange(String exchange) {
		this.exchange = exchange;
	}

	/**
	 * Set how many events may wait to be published before new ones are dropped; before
	 * the first event.
	 * @param capacity the capacity, 10,000 by default
	 */
	public void setCapacity(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("The event queue's capacity must be positive, got " + capacity);
		}
		this.queue = new ArrayBlockingQueue<>(capacity);
	}

	/**
	 * Return the exchange events go to.
	 * @return the exchange events go to
	 */
	public String getExchange() {
		return this.exchange;
	}

	/**
	 * Return the process's logical clock, which stamps every event.
	 * @return the clock
	 */
	public LamportClock getClock() {
		return this.clock;
	}

	/**
	 * Return how many events were dropped because the queue was full or the broker
	 * refused them.
	 * @return the count
	 */
	public long getDroppedCount() {
		return this.dropped.get();
	}

	/**
	 * Return how many events were handed to the broker.
	 * @return the count
	 */
	public long getPublishedCount() {
		return this.published.get();
	}

	/**
	 * Send an event on its own routing key ({@code worker-heartbeat} on
	 * {@code worker.heartbeat}), as Celery sends worker events and {@code task-sent}.
	 * @param hostname the sender's node name ({@code name@host}, or a client's
	 * {@code gen<pid>@host})
	 * @param type the event type
	 * @param fields the type's fields, in order; values must be JSON values
	 * @return {@code false} if it was dropped
	 */
	public boolean send(String hostname, String type, Map<String, ? extends @Nullable Object> fields) {
		return enqueue(new Pending(hostname, EventMessages.group(type), false, stamp(hostname, type, fields)));
	}

	/**
	 * Send an event that may share a message with others of its sender and group
	 * ({@code task.multi}), as a Celery worker sends task events.
	 * @param hostname the sender's node name
	 * @param type the event type
	 * @param fields the type's fields, in order; values must be JSON values
	 * @return {@code false} if it was dropped
	 */
	public boolean sendBuffered(String hostname, String type, Map<String, ? extends @Nullable Object> fields) {
		return enqueue(new Pending(hostname, EventMessages.group(type), true, stamp(hostname, type, fields)));
	}

	/**
	 * Wait until every event sent so far is handed to the broker (or dropped).
	 * @param timeout how long to wait
	 * @return whether they were
	 */
	public boolean flush(Duration timeout) {
		Barrier barrier = new Barrier();
		if (this.closed || !this.queue.offer(barrier)) {
			return false;
		}
		startSender();
		try {
			return barrier.latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private Map<String, @Nullable Object> stamp(String hostname, String type,
			Map<String, ? extends @Nullable Object> fields) {
		return EventMessages.event(hostname, EventMessages.utcoffset(), this.pid, this.clock.forward(), type, fields,
				EventMessages.now());
	}

	private boolean enqueue(Pending event) {
		if (this.closed || !this.queue.offer(event)) {
			this.dropped.incrementAndGet();
			return false;
		}
		startSender();
		return true;
	}

	private void startSender() {
		if (this.sender != null) {
			return;
		}
		synchronized (this.monitor) {
			if (this.sender == null && !this.closed) {
				Thread thread = new Thread(this::run, "taskqueue-events");
				thread.setDaemon(true);
				thread.start();
				this.sender = thread;
			}
		}
	}

	private void run() {
		List<Object> drained = new ArrayList<>();
		while (!this.closed || !this.queue.isEmpty()) {
			try {
				Object first = this.queue.poll(200, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				drained.add(first);
				this.queue.drainTo(drained, 1024);
				linger(drained);
				publishAll(drained);
			}
			catch (InterruptedException ex) {
				if (this.closed) {
					// destroy() interrupts only after giving the queue its chance to
					// drain.
					break;
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Event sender failed; events are dropped", ex);
			}
			finally {
				drained.clear();
			}
		}
		closeChannel();
	}

	/**
	 * Give task events a moment to fill a {@code task.multi} message rather than send one
	 * message per event: a worker sends several events per task, and the broker's cost is
	 * per message. The events wait in the queue, which keeps its capacity; a flush or an
	 * event that is not buffered ends the wait at once.
	 */
	private void linger(List<Object> drained) throws InterruptedException {
		long deadline = System.nanoTime() + LINGER_NANOS;
		while (drained.size() + this.queue.size() < BUFFER_LIMIT && this.queue.remainingCapacity() > 0
				&& onlyBuffered(drained) && onlyBuffered(this.queue)) {
			if (System.nanoTime() >= deadline) {
				break;
			}
			Thread.sleep(LINGER_STEP_MILLIS);
		}
		this.queue.drainTo(drained, 1024);
	}

	private static boolean onlyBuffered(Iterable<Object> items) {
		for (Object item : items) {
			if (!(item instanceof Pending pending) || !pending.buffered()) {
				return false;
			}
		}
		return true;
	}

	private void publishAll(List<Object> drained) {
		List<Pending> batch = new ArrayList<>();
		for (Object item : drained) {
			if (item instanceof Barrier barrier) {
				publishBatch(batch);
				barrier.latch.countDown();
			}
			else {
				Pending event = (Pending) item;
				if (!event.buffered()) {
					publishBatch(batch);
					publish(event.hostname(), EventMessages.routingKey((String) event.event().get("type")),
							event.event(), 1);
				}
				else {
					if (!batch.isEmpty() && (!batch.get(0).sameStream(event) || batch.size() == BUFFER_LIMIT)) {
						publishBatch(batch);
					}
					batch.add(event);
				}
			}
		}
		publishBatch(batch);
	}

	private void publishBatch(List<Pending> batch) {
		if (batch.isEmpty()) {
			return;
		}
		Pending first = batch.get(0);
		List<Map<String, @Nullable Object>> events = new ArrayList<>(batch.size());
		for (Pending event : batch) {
			events.add(event.event());
		}
		publish(first.hostname(), first.group() + ".multi", events, batch.size());
		batch.clear();
	}

	private void publish(String hostname, String routingKey, Object body, int count) {
		EncodedMessage message = EventMessages.encode(hostname, body);
		try {
			Channel channel = channel();
			channel.basicPublish(this.exchange, routingKey, false, message.properties(), message.body());
			this.published.addAndGet(count);
			if (this.failing) {
				this.failing = false;
				logger.info("Events reach the broker again");
			}
		}
		catch (IOException | RuntimeException ex) {
			this.dropped.addAndGet(count);
			closeChannel();
			if (!this.failing) {
				this.failing = true;
				logger.warn("Could not publish events to " + this.exchange + " (" + ex.getMessage()
						+ "); dropping events until the broker is back");
			}
			pause();
		}
	}

	private Channel channel() throws IOException {
		Channel channel = this.channel;
		if (channel != null && channel.isOpen()) {
			return channel;
		}
		channel = this.connectionFactory.createConnection().createChannel(false);
		// Celery declares it before its first publish, with exactly these attributes.
		channel.exchangeDeclare(this.exchange, "topic", true, false, null);
		this.channel = channel;
		return channel;
	}

	private void closeChannel() {
		Channel channel = this.channel;
		this.channel = null;
		if (channel != null && channel.isOpen()) {
			try {
				channel.close();
			}
			catch (IOException | TimeoutException | RuntimeException ex) {
				// Gone either way.
			}
		}
	}

	private void pause() {
		try {
			Thread.sleep(RECONNECT_PAUSE_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Publish what is queued (waiting up to a second) and stop; later events are dropped.
	 */
	@Override
	public void destroy() {
		flush(Duration.ofSeconds(1));
		Thread sender;
		synchronized (this.monitor) {
			this.closed = true;
			sender = this.sender;
		}
		if (sender != null) {
			sender.interrupt();
			try {
				sender.join(2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private record Pending(String hostname, String group, boolean buffered, Map<String, @Nullable Object> event) {

		boolean sameStream(Pending other) {
			return this.hostname.equals(other.hostname) && this.group.equals(other.group);
		}

	}

	private static final class Barrier {

		private final CountDownLatch latch = new CountDownLatch(1);

	}

}
