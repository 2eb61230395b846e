package dev.taskqueue.worker.internal;

import java.io.IOException;

import com.rabbitmq.client.Channel;
import dev.taskqueue.protocol.internal.TaskMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Closed while the worker stops: a consumer drains the messages it had prefetched into
 * the listener even after its subscription is cancelled, and held tasks fall due, but
 * none of them may start now. They go back to their queue unacknowledged, for another
 * worker or the next start.
 */
final class ShutdownGate {

	private static final Log logger = LogFactory.getLog(ShutdownGate.class);

	private volatile boolean closed;

	void close() {
		this.closed = true;
	}

	void open() {
		this.closed = false;
	}

	/**
	 * A task the worker interrupted because its shutdown timeout was up did not fail: it
	 * was cut short. Nothing is stored for it and its message is not acknowledged, so it
	 * runs again.
	 * @param task the task
	 * @param raised what it raised
	 * @throws Abandoned if the worker is stopping and the task was interrupted
	 */
	void abandonIfInterrupted(TaskMessage task, Throwable raised) {
		if (this.closed && (Thread.currentThread().isInterrupted() || isInterruption(raised))) {
			throw new Abandoned("Worker stopping: task " + task.task() + "[" + task.id()
					+ "] was interrupted when the shutdown timeout was up; its message goes back to the queue");
		}
	}

	private static boolean isInterruption(Throwable raised) {
		for (Throwable ex = raised; ex != null; ex = ex.getCause()) {
			if (ex instanceof InterruptedException || ex instanceof java.io.InterruptedIOException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return a message to its queue if the gate is closed.
	 * @param channel the channel it came on
	 * @param tag its delivery tag
	 * @return whether it was refused
	 */
	boolean refuse(Channel channel, long tag) {
		if (!this.closed) {
			return false;
		}
		try {
			if (channel.isOpen()) {
				channel.basicReject(tag, true);
			}
		}
		catch (IOException | RuntimeException ex) {
			// The channel is closing, and the broker requeues what it delivered on it by
			// itself.
			logger.debug("Could not return message " + tag + " to its queue while stopping", ex);
		}
		return true;
	}

	/**
	 * Thrown out of a task cut short by the shutdown, so its message is not acknowledged.
	 */
	static final class Abandoned extends RuntimeException {

		Abandoned(String message) {
			super(message, null, false, false);
		}

	}

}
