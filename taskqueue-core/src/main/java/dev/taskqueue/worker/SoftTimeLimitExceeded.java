package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;

import dev.taskqueue.result.ExceptionInfo;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a task that ended by throwing after its soft time limit interrupted it
 * (Celery's {@code celery.exceptions.SoftTimeLimitExceeded}, stored with Celery's module
 * {@code billiard.exceptions}). The exception the task threw is the cause. A task that
 * catches the interruption and returns normally succeeds, as a Celery task that catches
 * {@code SoftTimeLimitExceeded} does.
 */
public class SoftTimeLimitExceeded extends RuntimeException implements ExceptionInfo.CeleryType {

	private final Duration limit;

	/**
	 * Create a new instance.
	 * @param limit the soft time limit
	 * @param cause what the task threw once interrupted
	 */
	public SoftTimeLimitExceeded(Duration limit, @Nullable Throwable cause) {
		super("Soft time limit (" + TimeLimitExceeded.seconds(limit) + "s) exceeded", cause);
		this.limit = limit;
	}

	/**
	 * Return the soft time limit.
	 * @return the soft time limit
	 */
	public Duration getLimit() {
		return this.limit;
	}

	@Override
	public String celeryType() {
		return "SoftTimeLimitExceeded";
	}

	@Override
	public String celeryModule() {
		return "billiard.exceptions";
	}

	@Override
	public List<?> celeryArgs() {
		return List.of(String.valueOf(getMessage()));
	}

}
