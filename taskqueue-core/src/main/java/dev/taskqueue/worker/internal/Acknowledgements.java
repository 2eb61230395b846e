package dev.taskqueue.worker.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.result.internal.ResultMeta;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Acknowledges a task's message once its outcome is stored, without holding the consumer
 * thread while the store is on its way to Redis.
 * <p>
 * A plain success (nothing published after it: no callbacks, no chain step, no chord) is
 * stored with {@link ResultBackend#storeAsync}: the consumer goes on to its next message
 * and the acknowledgement follows in the store's completion, so stores of consecutive
 * tasks are pipelined instead of costing one Redis round trip each. The prefetch still
 * bounds how many messages wait for their store. A store that fails sends the message
 * back to its queue after the redelivery backoff ({@link BackoffRequeue}), since the
 * completion runs on the Redis client's I/O thread. Everything else is stored
 * synchronously, before the steps it triggers are published.
 */
public final class Acknowledgements {

	private static final Log logger = LogFactory.getLog(Acknowledgements.class);

	private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

	private final ResultBackend backend;

	private final BackoffRequeue requeue;

	private final RepeatedFailures failures = new RepeatedFailures();

	/** Acknowledgements waiting for their store; guarded by this. */
	private int pending;

	/**
	 * Set once the worker stops: stores are then awaited, so no acknowledgement is left
	 * behind.
	 */
	private volatile boolean stopping;

	Acknowledgements(ResultBackend backend, BackoffRequeue requeue) {
		this.backend = backend;
		this.requeue = requeue;
	}

	/**
	 * Store a successful task's record; the message is acknowledged by
	 * {@link #acknowledge} once the returned future completes.
	 * @param meta the record
	 * @param followedBySteps whether anything is published after the store (callbacks,
	 * the next chain step, a chord body), which must not run before the parent's result
	 * is readable
	 * @param replyTo the reply channel the task's message named, or {@code null}
	 * @return a future completed once the record is stored
	 */
	CompletableFuture<Void> storeSuccess(ResultMeta meta, boolean followedBySteps, @Nullable String replyTo) {
		if (followedBySteps || this.stopping) {
			this.backend.store(meta, replyTo);
			return DONE;
		}
		return this.backend.storeAsync(meta, replyTo);
	}

	/**
	 * Return a future for outcomes that have nothing left in flight.
	 * @return a future for outcomes that have nothing left in flight
	 */
	static CompletableFuture<Void> done() {
		return DONE;
	}

	/**
	 * Acknowledge a message once its outcome is stored. Already stored: at once, on this
	 * thread, and a failure to acknowledge is thrown as before. Still in flight: from the
	 * store's completion; if the store failed, the message is returned to its queue after
	 * the redelivery backoff.
	 * @param channel the consumer's channel
	 * @param tag the delivery tag
	 * @param stored the store of the message's outcome
	 * @param taskId the task id, for the logs
	 * @throws Exception if an immediate acknowledgement fails, or the store failed at
	 * once
	 */
	void acknowledge(Channel channel, long tag, CompletableFuture<Void> stored, String taskId) throws Exception {
		acknowledge(channel, tag, stored, taskId, "store the result of task " + taskId);
	}

	/**
	 * Acknowledge a message once what it waits for is done, as
	 * {@link #acknowledge(Channel, long, CompletableFuture, String)} does.
	 * @param channel the consumer's channel
	 * @param tag the delivery tag
	 * @param done what the acknowledgement waits for
	 * @param taskId the task id, for the logs
	 * @param action what it waits for, for the log when it fails ("Could not ...")
	 * @throws Exception if an immediate acknowledgement fails, or the wait failed at once
	 */
	void acknowledge(Channel channel, long tag, CompletableFuture<Void> done, String taskId, String action)
			throws Exception {
		CompletableFuture<Void> stored = done;
		if (stored.isDone() && !stored.isCompletedExceptionally()) {
			channel.basicAck(tag, false);
			return;
		}
		if (stored.isDone()) {
			stored.join();
		}
		synchronized (this) {
			this.pending++;
		}
		stored.whenComplete((ignored, ex) -> {
			try {
				if (ex == null) {
					ackQuietly(channel, tag, taskId);
				}
				else {
					this.failures.error(logger, "Could not " + action + "; returning it to its queue in "
							+ this.requeue.backoff().toMillis() + " ms", ex);
					this.requeue.requeue(channel, tag, "task " + taskId);
				}
			}
			finally {
				synchronized (this) {
					this.pending--;
					notifyAll();
				}
			}
		});
	}

	/**
	 * Store synchronously from now on and wait for acknowledgements still waiting for
	 * their store, so that stopping the consumers (which closes their channels) does not
	 * send back messages whose tasks have already run.
	 * @param timeout the longest wait
	 * @return whether none is left
	 */
	public boolean stop(Duration timeout) {
		this.stopping = true;
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this) {
			while (this.pending > 0) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					return false;
				}
				try {
					wait(left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}
	}

	/**
	 * Return a message to its queue after the redelivery backoff, without holding the
	 * calling thread: it could not be finished for a reason outside its task.
	 * @param channel the channel it came on
	 * @param tag its delivery tag
	 * @param what the message, for the logs
	 */
	void requeue(Channel channel, long tag, String what) {
		this.requeue.requeue(channel, tag, what);
	}

	/** Take stores asynchronously again, after a {@link #stop} (the worker restarts). */
	public void start() {
		this.stopping = false;
	}

	private static void ackQuietly(Channel channel, long tag, String taskId) {
		try {
			channel.basicAck(tag, false);
		}
		catch (Exception ex) {
			// The channel closed: the broker has put the message back and another
			// delivery will
			// find the stored result overwritten by the same outcome.
			logger.warn("Could not acknowledge task " + taskId + " after storing its result (" + ex
					+ "); the broker will deliver it again");
		}
	}

}
