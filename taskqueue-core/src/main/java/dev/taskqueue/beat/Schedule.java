package dev.taskqueue.beat;

import java.time.Duration;
import java.time.ZonedDateTime;

import dev.taskqueue.beat.internal.CrontabSchedule;
import dev.taskqueue.beat.internal.IntervalSchedule;
import org.jspecify.annotations.Nullable;

/**
 * When a periodic task runs: a crontab, an interval or (read from entries Python wrote) a
 * recurrence rule. Every schedule is stored in a form Python's RedBeat reads, and
 * computes its next run as Celery does, so either language may fire it.
 * <pre class="code">
 * Schedule.cron("0 30 9 * * MON-FRI");              // Spring's six fields (seconds must be 0)
 * Schedule.cron("30 9 * * mon-fri");                // Celery's crontab: minute hour day-of-month month day-of-week
 * Schedule.crontab("30", "9", "mon-fri", "*", "*"); // Celery's crontab(minute, hour, day_of_week, ...)
 * Schedule.every(Duration.ofSeconds(10));
 * </pre>
 */
public interface Schedule {

	/**
	 * The next run strictly after a run, as Celery computes it: a crontab on the wall
	 * clock of {@code lastRunAt}'s zone (a time that does not exist because clocks go
	 * forward moves forward by the gap; a time that happens twice runs at the first), an
	 * interval from {@code lastRunAt}.
	 * @param lastRunAt the previous run, in the zone the schedule is evaluated in
	 * @return the next run, or {@code null} when the schedule has no more runs
	 */
	@Nullable ZonedDateTime next(ZonedDateTime lastRunAt);

	/**
	 * Describe the schedule for people, e.g. {@code cron 0 30 9 * * MON-FRI} or
	 * {@code every 10s}.
	 * @return the description
	 */
	String describe();

	/**
	 * A crontab, from Spring's six fields ({@code second minute hour day-of-month month
	 * day-of-week}, macros such as {@code @daily} included) or Celery's five
	 * ({@code minute hour day-of-month month day-of-week}, in Celery's crontab syntax).
	 * Celery's crontab has a minute's resolution and no {@code L}, {@code W} or
	 * {@code #}: a Spring expression whose seconds are not {@code 0}, or that uses those,
	 * is refused.
	 * @param expression the expression
	 * @return the schedule
	 * @throws IllegalArgumentException if the expression is invalid or cannot be stored
	 * as a Celery crontab
	 */
	static Schedule cron(String expression) {
		return CrontabSchedule.parse(expression);
	}

	/**
	 * A crontab from Celery's fields, each in Celery's syntax ({@code *}, {@code *}/n,
	 * {@code a-b}, {@code a-b/n}, lists, month and weekday names; day of week 0 is
	 * Sunday; a range may wrap around, as {@code fri-mon}).
	 * @param minute the minutes
	 * @param hour the hours
	 * @param dayOfWeek the days of the week
	 * @param dayOfMonth the days of the month
	 * @param monthOfYear the months
	 * @return the schedule
	 * @throws IllegalArgumentException if a field is invalid or the crontab never matches
	 */
	static Schedule crontab(String minute, String hour, String dayOfWeek, String dayOfMonth, String monthOfYear) {
		return CrontabSchedule.ofFields(minute, hour, dayOfWeek, dayOfMonth, monthOfYear);
	}

	/**
	 * Every so often, counted from the previous run.
	 * @param every the interval
	 * @return the schedule
	 * @throws IllegalArgumentException if the interval is not positive
	 */
	static Schedule every(Duration every) {
		return every(every, false);
	}

	/**
	 * Every so often; with {@code relative}, each next run is rounded down to the
	 * interval's unit (the day, hour or minute) as Celery's {@code relative=True} does.
	 * @param every the interval
	 * @param relative whether to round to the interval's unit
	 * @return the schedule
	 * @throws IllegalArgumentException if the interval is not positive
	 */
	static Schedule every(Duration every, boolean relative) {
		return IntervalSchedule.of(every, relative);
	}

}
