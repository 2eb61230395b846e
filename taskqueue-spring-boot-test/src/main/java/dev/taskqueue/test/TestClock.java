package dev.taskqueue.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.springframework.util.Assert;

/**
 * A clock that moves only when a test moves it. In the {@link TaskQueueTestMode#INLINE
 * inline} mode the client counts countdowns and expiry durations from it, and the
 * in-process worker its etas, expiry times, retry countdowns and rate limits:
 * {@link #advance(Duration)} runs the tasks that become due, at once, without sleeping.
 * The application context of a test has one; an application that reads the time from a
 * {@link Clock} bean (the beat does when there is exactly one) gets it.
 */
public final class TestClock extends Clock {

	private final ZoneId zone;

	private final Shared shared;

	/**
	 * Create a clock at the given instant, in UTC.
	 * @param instant where the clock starts
	 */
	public TestClock(Instant instant) {
		this(new Shared(instant), ZoneOffset.UTC);
	}

	private TestClock(Shared shared, ZoneId zone) {
		this.shared = shared;
		this.zone = zone;
	}

	@Override
	public ZoneId getZone() {
		return this.zone;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		// The same time, seen in another zone: it moves with this clock.
		return new TestClock(this.shared, zone);
	}

	@Override
	public Instant instant() {
		return this.shared.instant;
	}

	/**
	 * Move the clock forward, then run what became due.
	 * @param duration how far, not negative
	 * @return this clock
	 */
	public TestClock advance(Duration duration) {
		Assert.isTrue(!duration.isNegative(), () -> "A test clock moves forward only, not by " + duration);
		return setInstant(this.shared.instant.plus(duration));
	}

	/**
	 * Move the clock to an instant, then run what became due.
	 * @param instant the new time, not before the current one
	 * @return this clock
	 */
	public TestClock setInstant(Instant instant) {
		Assert.isTrue(!instant.isBefore(this.shared.instant),
				() -> "A test clock moves forward only: " + instant + " is before " + this.shared.instant);
		this.shared.instant = instant;
		this.shared.listeners.forEach((listener) -> listener.accept(instant));
		return this;
	}

	/**
	 * Be told each time the clock moves (the in-process worker runs what became due).
	 * @param listener called with the new time
	 */
	public void addListener(Consumer<Instant> listener) {
		this.shared.listeners.add(listener);
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof TestClock clock) && clock.shared == this.shared && clock.zone.equals(this.zone);
	}

	@Override
	public int hashCode() {
		return System.identityHashCode(this.shared) * 31 + this.zone.hashCode();
	}

	@Override
	public String toString() {
		return "TestClock[" + this.shared.instant + "," + this.zone + "]";
	}

	private static final class Shared {

		private volatile Instant instant;

		private final List<Consumer<Instant>> listeners = new CopyOnWriteArrayList<>();

		Shared(Instant instant) {
			this.instant = instant;
		}

	}

}
