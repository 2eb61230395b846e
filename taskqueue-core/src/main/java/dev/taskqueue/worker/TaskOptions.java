package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;

import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.worker.internal.RetryPolicy;
import org.jspecify.annotations.Nullable;

/**
 * Options of one task set by configuration ({@code taskqueue.tasks.<name>.*}, Celery's
 * {@code task_annotations}). Each option that is not {@code null} wins over the task's
 * {@link QueueTask} attribute.
 *
 * @param rateLimit the rate limit per worker
 * @param maxRetries the maximum number of retries
 * @param autoRetryFor exception types retried automatically
 * @param dontAutoRetryFor exception types never retried automatically
 * @param retryBackoff whether retry delays grow exponentially
 * @param retryBackoffMax the longest exponential retry delay
 * @param retryJitter whether exponential delays get full jitter
 * @param defaultRetryDelay the retry delay without back-off
 * @param timeLimit the hard time limit (Celery's {@code time_limit})
 * @param softTimeLimit the soft time limit (Celery's {@code soft_time_limit})
 */
public record TaskOptions(@Nullable RateLimit rateLimit, @Nullable Integer maxRetries,
		@Nullable List<Class<? extends Throwable>> autoRetryFor,
		@Nullable List<Class<? extends Throwable>> dontAutoRetryFor, @Nullable Boolean retryBackoff,
		@Nullable Duration retryBackoffMax, @Nullable Boolean retryJitter, @Nullable Duration defaultRetryDelay,
		@Nullable Duration timeLimit, @Nullable Duration softTimeLimit) {

	/** No options: everything as the annotation says. */
	public static final TaskOptions NONE = new TaskOptions(null, null, null, null, null, null, null, null, null, null);

	/**
	 * Only a rate limit.
	 * @param rateLimit the rate limit
	 * @return the options
	 */
	public static TaskOptions rateLimit(RateLimit rateLimit) {
		return new TaskOptions(rateLimit, null, null, null, null, null, null, null, null, null);
	}

	/**
	 * The retry policy these options make of a task's own.
	 * @param policy the task's own policy
	 * @return the effective policy
	 */
	public RetryPolicy applyTo(RetryPolicy policy) {
		return new RetryPolicy((this.maxRetries != null) ? this.maxRetries : policy.maxRetries(),
				(this.autoRetryFor != null) ? this.autoRetryFor : policy.autoRetryFor(),
				(this.dontAutoRetryFor != null) ? this.dontAutoRetryFor : policy.dontAutoRetryFor(),
				(this.retryBackoff != null) ? this.retryBackoff : policy.backoff(),
				(this.retryBackoffMax != null) ? this.retryBackoffMax : policy.backoffMax(),
				(this.retryJitter != null) ? this.retryJitter : policy.jitter(),
				(this.defaultRetryDelay != null) ? this.defaultRetryDelay : policy.defaultDelay());
	}

}
