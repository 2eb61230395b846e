package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;

import dev.taskqueue.result.ExceptionInfo;

/**
 * The outcome of a task that was still running at its hard time limit: the worker stopped
 * waiting for it, stored this failure and went on to other messages (Celery's
 * {@code celery.exceptions.TimeLimitExceeded}, stored as Celery stores it: module
 * {@code billiard.exceptions}, args {@code [limit in seconds]}).
 */
public class TimeLimitExceeded extends RuntimeException implements ExceptionInfo.CeleryType {

	private final Duration limit;

	/**
	 * Create a new instance.
	 * @param limit the hard time limit
	 */
	public TimeLimitExceeded(Duration limit) {
		super("Hard time limit (" + seconds(limit) + "s) exceeded");
		this.limit = limit;
	}

	/**
	 * Return the hard time limit.
	 * @return the hard time limit
	 */
	public Duration getLimit() {
		return this.limit;
	}

	@Override
	public String celeryType() {
		return "TimeLimitExceeded";
	}

	@Override
	public String celeryModule() {
		return "billiard.exceptions";
	}

	@Override
	public List<?> celeryArgs() {
		return List.of(seconds(this.limit));
	}

	/**
	 * A duration in seconds as Celery writes limits: {@code 1.5}.
	 */
	static double seconds(Duration duration) {
		return duration.toNanos() / 1_000_000_000d;
	}

}
