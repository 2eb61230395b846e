package dev.taskqueue.worker.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.scheduling.TaskScheduler;

/**
 * Returns a message to its queue after the redelivery backoff when it could not be
 * finished for a reason outside its task (Redis or the broker down). The return is
 * scheduled, never slept: the thread that gave up on the message (a consumer, the Redis
 * client's, a held task's) goes on at once, and the message stays unacknowledged
 * meanwhile, so the consumer's prefetch still bounds how many wait.
 * <p>
 * The {@code basic.nack} is sent from the scheduler's thread, as {@link Acknowledgements}
 * acknowledges from a store's completion: the client sends each frame whole, and nothing
 * else on the channel concerns this delivery. If the channel closed in between, the
 * delivery went with it and the broker requeues it by itself; nothing is acknowledged
 * that did not finish.
 */
final class BackoffRequeue {

	private static final Log logger = LogFactory.getLog(BackoffRequeue.class);

	private final WorkerExecutors executors;

	private final Duration backoff;

	BackoffRequeue(WorkerExecutors executors, Duration backoff) {
		this.executors = executors;
		this.backoff = backoff;
	}

	/**
	 * Return how long a message waits before it goes back to its queue.
	 * @return how long a message waits before it goes back to its queue
	 */
	Duration backoff() {
		return this.backoff;
	}

	/**
	 * Return a message to its queue once the backoff is over; at once if the worker is
	 * being destroyed and schedules nothing more.
	 * @param channel the channel it came on
	 * @param tag its delivery tag
	 * @param what the message, for the logs
	 */
	void requeue(Channel channel, long tag, String what) {
		try {
			TaskScheduler scheduler = this.executors.scheduler();
			scheduler.schedule(() -> requeueNow(channel, tag, what), scheduler.getClock().instant().plus(this.backoff));
		}
		catch (RejectedExecutionException ex) {
			requeueNow(channel, tag, what);
		}
	}

	private static void requeueNow(Channel channel, long tag, String what) {
		try {
			if (channel.isOpen()) {
				channel.basicNack(tag, false, true);
			}
		}
		catch (Exception ex) {
			// The channel is gone, and with it the delivery: the broker requeues it by
			// itself.
			logger.debug("Could not return " + what + " to its queue; its channel requeues it", ex);
		}
	}

}
