package dev.taskqueue.beat;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts a {@link dev.taskqueue.worker.QueueTask @QueueTask} method's task on a schedule:
 * the beat sends it, from whichever application holds the lock. Give exactly one of
 * {@link #cron()} and {@link #every()}. <pre class="code">
 * &#64;QueueTask("reports.daily")
 * &#64;Periodic(cron = "0 30 9 * * MON-FRI", zone = "Europe/Berlin")
 * void dailyReport() { ... }
 * </pre> Values may use {@code ${...}} placeholders. An entry of the same name in
 * {@code taskqueue.beat.schedule} replaces the annotation's.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(Periodic.List.class)
public @interface Periodic {

	/**
	 * The entry's name; the task's name by default. Two schedules of one task need two
	 * names.
	 * @return the entry's name
	 */
	String name() default "";

	/**
	 * A crontab: Spring's six fields or Celery's five (see
	 * {@link Schedule#cron(String)}).
	 * @return the expression
	 */
	String cron() default "";

	/**
	 * An interval: {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 500ms} or
	 * ISO-8601 ({@code PT10S}).
	 * @return the interval
	 */
	String every() default "";

	/**
	 * Whether an interval's runs are rounded down to its unit, as Celery's
	 * {@code relative=True}.
	 * @return whether runs are rounded
	 */
	boolean relative() default false;

	/**
	 * The IANA zone the crontab is evaluated in; the beat's ({@code taskqueue.beat.zone})
	 * by default.
	 * @return the zone
	 */
	String zone() default "";

	/**
	 * Positional arguments as a JSON array, e.g. {@code [2, 3]}.
	 * @return the arguments
	 */
	String args() default "";

	/**
	 * Keyword arguments as a JSON object, e.g. <code>{"kind": "daily"}</code>.
	 * @return the arguments
	 */
	String kwargs() default "";

	/**
	 * The queue to send to; routed as any send by default.
	 * @return the queue
	 */
	String queue() default "";

	/**
	 * What the entry does about missed runs.
	 * @return the policy
	 */
	MissedRunPolicy missedRuns() default MissedRunPolicy.ONCE;

	/**
	 * How many missed runs {@link MissedRunPolicy#ALL} fires at most.
	 * @return the limit
	 */
	int missedRunLimit() default PeriodicTask.DEFAULT_MISSED_RUN_LIMIT;

	/**
	 * Whether the entry fires.
	 * @return whether the entry fires
	 */
	boolean enabled() default true;

	/**
	 * Several schedules on one method.
	 */
	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@interface List {

		/**
		 * Return the schedules.
		 * @return the schedules
		 */
		Periodic[] value();

	}

}
