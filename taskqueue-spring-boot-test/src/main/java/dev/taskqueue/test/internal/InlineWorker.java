package dev.taskqueue.test.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.Channel;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.worker.TaskListener;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.internal.TaskRegistry;
import dev.taskqueue.worker.internal.WorkerParts;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;

/**
 * Runs published tasks in the test's JVM with the parts of a real worker: each message,
 * as the publisher would have sent it to the broker, goes to the worker's own
 * {@code TaskMessageListener}, which decodes it, binds the arguments, invokes the task,
 * stores the outcome and publishes the callbacks, errbacks, chain steps, chord bodies and
 * retries it calls for, which come back here. Messages published while a task runs wait
 * until it has finished, so a send returns once everything it caused has run. Messages
 * parked until later are run when the test clock reaches them.
 */
public final class InlineWorker implements ApplicationEventPublisherAware, DisposableBean {

	private static final Log logger = LogFactory.getLog(InlineWorker.class);

	private final WorkerParts parts;

	private final TestDelayQueues delayQueues;

	private final Channel channel = NoBrokerChannel.create(this::returned);

	private final Deque<TestPublisher.SentMessage> pending = new ArrayDeque<>();

	private final AtomicLong deliveryTags = new AtomicLong();

	private boolean draining;

	/**
	 * Create a worker for the registered tasks.
	 * @param registry the tasks
	 * @param codec the message codec
	 * @param backend the result backend
	 * @param client sends callbacks and errbacks
	 * @param publisher where callbacks, errbacks and retries are published
	 * @param declarer declares nothing
	 * @param delayQueues keeps parked messages
	 * @param settings the worker settings the application configures
	 * @param clock the clock of etas, expiry times and rate limits
	 */
	public InlineWorker(TaskRegistry registry, TaskMessageCodec codec, ResultBackend backend, TaskClient client,
			TestPublisher publisher, TestQueueDeclarer declarer, TestDelayQueues delayQueues, WorkerSettings settings,
			Clock clock) {
		this.delayQueues = delayQueues;
		this.parts = WorkerParts.assemble(this, registry, codec, backend, client, publisher, declarer, delayQueues,
				settings, clock);
		this.parts.executors().start(1);
		this.parts.control().resumeTakingTasks();
		this.parts.acks().start();
	}

	/**
	 * Tell these listeners what happens to tasks, as a worker's listeners are told.
	 * @param listeners the listeners
	 */
	public void setTaskListeners(List<TaskListener> listeners) {
		this.parts.lifecycle().setTaskListeners(listeners);
		this.parts.runtimes().refresh();
	}

	/**
	 * Observe task runs with this registry.
	 * @param registry the observation registry
	 */
	public void setObservationRegistry(ObservationRegistry registry) {
		this.parts.lifecycle().setObservationRegistry(registry);
		this.parts.timeLimits().setObservationRegistry(registry);
		this.parts.runtimes().refresh();
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher publisher) {
		this.parts.lifecycle().setEventPublisher(publisher);
	}

	/**
	 * Run the messages that became due at this time.
	 * @param now the test clock's new time
	 */
	public void runDue(Instant now) {
		for (TestDelayQueues.Parked parked : this.delayQueues.takeDue(now)) {
			MessageProperties props = new org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter()
				.toMessageProperties(parked.properties(), null, "UTF-8");
			props.setConsumerQueue(parked.queue());
			props.setReceivedRoutingKey(parked.queue());
			props.setReceivedExchange("");
			deliver(new TestPublisher.SentMessage("", parked.queue(), props, parked.body()));
		}
	}

	/**
	 * Run a message now, or once the task running on this thread has finished.
	 * @param message the message
	 */
	void deliver(TestPublisher.SentMessage message) {
		synchronized (this.pending) {
			this.pending.add(message);
			if (this.draining) {
				return;
			}
			this.draining = true;
		}
		try {
			while (true) {
				TestPublisher.SentMessage next;
				synchronized (this.pending) {
					next = this.pending.poll();
					if (next == null) {
						this.draining = false;
						return;
					}
				}
				run(next);
			}
		}
		catch (RuntimeException | Error ex) {
			synchronized (this.pending) {
				this.draining = false;
			}
			throw ex;
		}
	}

	private void run(TestPublisher.SentMessage sent) {
		MessageProperties props = sent.properties();
		props.setDeliveryTag(this.deliveryTags.incrementAndGet());
		props.setRedelivered(false);
		this.parts.listener().onMessage(new Message(sent.body(), props), this.channel);
	}

	private void returned(long deliveryTag) {
		// A worker returns a message to its queue when it could not store an outcome or
		// publish what it calls for; here that cannot get better by trying again.
		logger.error("The in-process worker could not finish message " + deliveryTag
				+ " (see the error above); it is dropped, not run again");
	}

	@Override
	public void destroy() {
		this.parts.acks().stop(java.time.Duration.ofSeconds(1));
		this.parts.executors().shutdown();
	}

}
