package dev.taskqueue.worker;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link TaskContext#retry} to ask the worker to run the task again later
 * (Celery's {@code celery.exceptions.Retry}).
 */
public class RetryException extends RuntimeException {

	private final @Nullable Duration countdown;

	/**
	 * Create a new instance.
	 * @param countdown how long to wait, or {@code null} for the task's default retry
	 * delay
	 * @param cause why the attempt failed, or {@code null}
	 */
	public RetryException(@Nullable Duration countdown, @Nullable Throwable cause) {
		super("Retry" + ((countdown != null) ? " in " + countdown.toMillis() / 1000.0 + "s" : "")
				+ ((cause != null) ? ": " + cause : ""), cause, false, false);
		this.countdown = countdown;
	}

	/**
	 * Return how long to wait, or {@code null} for the task's default.
	 * @return how long to wait, or {@code null} for the task's default
	 */
	public @Nullable Duration getCountdown() {
		return this.countdown;
	}

}
