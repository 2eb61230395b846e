package dev.taskqueue.worker.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;

/**
 * A scheduler on a fixed clock that runs nothing by itself: a test sees what was
 * scheduled for when, and runs it.
 */
final class CapturingTaskScheduler implements TaskScheduler {

	static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

	private final List<Scheduled> scheduled = new ArrayList<>();

	private boolean rejecting;

	@Override
	public Clock getClock() {
		return Clock.fixed(NOW, ZoneOffset.UTC);
	}

	@Override
	public synchronized ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
		if (this.rejecting) {
			throw new TaskRejectedException("Scheduler shut down");
		}
		Scheduled scheduled = new Scheduled(task, startTime);
		this.scheduled.add(scheduled);
		return scheduled;
	}

	synchronized List<Scheduled> scheduled() {
		return List.copyOf(this.scheduled);
	}

	synchronized void reject() {
		this.rejecting = true;
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
		throw new UnsupportedOperationException();
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
		throw new UnsupportedOperationException();
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
		throw new UnsupportedOperationException();
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
		throw new UnsupportedOperationException();
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
		throw new UnsupportedOperationException();
	}

	/**
	 * A task and when it is due; {@link #run()} runs it.
	 */
	static final class Scheduled extends FutureTask<Object> implements ScheduledFuture<Object> {

		private final Instant at;

		Scheduled(Runnable task, Instant at) {
			super(task, null);
			this.at = at;
		}

		Instant at() {
			return this.at;
		}

		@Override
		public long getDelay(TimeUnit unit) {
			return unit.convert(Duration.between(NOW, this.at));
		}

		@Override
		public int compareTo(Delayed other) {
			return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
		}

	}

}
