package dev.taskqueue.beat.internal;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

import dev.taskqueue.beat.Schedule;
import org.jspecify.annotations.Nullable;

/**
 * Celery's interval {@code schedule(run_every, relative)}: the next run is the previous
 * one plus the interval; with {@code relative}, rounded down to the interval's unit (the
 * day if it is a day or more, else the hour, else the minute) and to the second, as
 * Celery's {@code remaining(..., relative=True)} does. Like Python's, the arithmetic is
 * on the wall clock of the previous run's zone (the same as on the timeline in UTC).
 */
public final class IntervalSchedule implements Schedule {

	private final Duration every;

	private final boolean relative;

	private IntervalSchedule(Duration every, boolean relative) {
		this.every = every;
		this.relative = relative;
	}

	/**
	 * An interval.
	 * @param every the interval
	 * @param relative whether runs are rounded down to the interval's unit
	 * @return the schedule
	 * @throws IllegalArgumentException if the interval is not positive
	 */
	public static IntervalSchedule of(Duration every, boolean relative) {
		if (every.isNegative() || every.isZero()) {
			throw new IllegalArgumentException("An interval must be positive, got " + every);
		}
		return new IntervalSchedule(every, relative);
	}

	/**
	 * An interval of a number of seconds, as RedBeat stores it.
	 * @param seconds the seconds
	 * @param relative whether runs are rounded
	 * @return the schedule
	 */
	static IntervalSchedule ofSeconds(double seconds, boolean relative) {
		if (!(seconds > 0) || Double.isInfinite(seconds)) {
			throw new IllegalArgumentException("An interval must be a positive number of seconds, got " + seconds);
		}
		return of(Duration.ofNanos(Math.round(seconds * 1_000_000_000d)), relative);
	}

	/**
	 * Return the interval.
	 * @return the interval
	 */
	public Duration getEvery() {
		return this.every;
	}

	/**
	 * Return whether runs are rounded down to the interval's unit.
	 * @return whether runs are rounded down to the interval's unit
	 */
	public boolean isRelative() {
		return this.relative;
	}

	/**
	 * Return the interval in seconds, as RedBeat's {@code every}.
	 * @return the interval in seconds
	 */
	double seconds() {
		return this.every.toNanos() / 1_000_000_000d;
	}

	@Override
	public ZonedDateTime next(ZonedDateTime lastRunAt) {
		// On the wall clock, as Python adds a timedelta to an aware datetime.
		ZonedDateTime next = ZonedDateTime.ofLocal(lastRunAt.toLocalDateTime().plus(this.every), lastRunAt.getZone(),
				null);
		if (!this.relative) {
			return next;
		}
		if (this.every.compareTo(Duration.ofDays(1)) >= 0) {
			return next.truncatedTo(ChronoUnit.DAYS);
		}
		if (this.every.compareTo(Duration.ofHours(1)) >= 0) {
			return next.truncatedTo(ChronoUnit.HOURS);
		}
		if (this.every.compareTo(Duration.ofMinutes(1)) >= 0) {
			return next.truncatedTo(ChronoUnit.MINUTES);
		}
		return next.truncatedTo(ChronoUnit.SECONDS);
	}

	@Override
	public String describe() {
		return "every " + Durations.format(this.every) + (this.relative ? " (relative)" : "");
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof IntervalSchedule that && this.every.equals(that.every)
				&& this.relative == that.relative);
	}

	@Override
	public int hashCode() {
		return this.every.hashCode() * 31 + Boolean.hashCode(this.relative);
	}

	@Override
	public String toString() {
		return describe();
	}

}
