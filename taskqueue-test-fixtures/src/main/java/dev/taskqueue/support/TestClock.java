package dev.taskqueue.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock in UTC that a test moves by hand, so schedules, missed runs, DST nights and due
 * times are tested without waiting for them.
 */
public final class TestClock extends Clock {

	private volatile Instant now;

	/**
	 * Create a clock.
	 * @param now the time it shows until it is moved
	 */
	public TestClock(Instant now) {
		this.now = now;
	}

	/**
	 * Move the clock to a time.
	 * @param now the time it shows from now on
	 */
	public void set(Instant now) {
		this.now = now;
	}

	/**
	 * Move the clock forward.
	 * @param duration how far
	 */
	public void advance(Duration duration) {
		this.now = this.now.plus(duration);
	}

	@Override
	public Instant instant() {
		return this.now;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

}
