package dev.taskqueue.control.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Celery's logical clock ({@code app.clock}, kombu's {@code LamportClock}): every event a
 * process publishes carries {@link #forward()}, every event or pidbox message it receives
 * moves it past the sender's ({@link #adjust(long)}). Tools order a task's events by it.
 * One clock serves a whole process. Thread-safe.
 */
public final class LamportClock {

	private final AtomicLong value = new AtomicLong();

	/**
	 * Move the clock one step for an event this process sends.
	 * @return the new value
	 */
	public long forward() {
		return this.value.incrementAndGet();
	}

	/**
	 * Move the clock past a value another process sent.
	 * @param other the other process's clock
	 * @return the new value: one past the larger of the two
	 */
	public long adjust(long other) {
		return this.value.updateAndGet((current) -> Math.max(current, other) + 1);
	}

	/**
	 * Return the current value.
	 * @return the current value
	 */
	public long value() {
		return this.value.get();
	}

}
