package dev.taskqueue.worker.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.taskqueue.worker.TaskContext;
import org.jspecify.annotations.Nullable;

/**
 * When and how a task is retried, with Celery's semantics: automatic retries for
 * {@code autoRetryFor} exceptions (minus {@code dontAutoRetryFor}), at most
 * {@code maxRetries} times, after {@code defaultDelay} or, with {@code backoff}, after
 * {@code min(backoffMax, 2^retries)} seconds, with full jitter when {@code jitter} is on.
 *
 * @param maxRetries how many retries are allowed ({@code -1} for no limit)
 * @param autoRetryFor exception types retried automatically
 * @param dontAutoRetryFor exception types never retried automatically (wins)
 * @param backoff whether delays grow exponentially
 * @param backoffMax the longest exponential delay
 * @param jitter whether exponential delays are drawn at random between 0 and the delay
 * @param defaultDelay the delay without backoff, and of
 * {@link TaskContext#retry(Throwable)}
 */
public record RetryPolicy(int maxRetries, List<Class<? extends Throwable>> autoRetryFor,
		List<Class<? extends Throwable>> dontAutoRetryFor, boolean backoff, Duration backoffMax, boolean jitter,
		Duration defaultDelay) {

	/** Celery's defaults: 3 retries, 3 minutes apart, no automatic retries. */
	public static final RetryPolicy DEFAULT = new RetryPolicy(3, List.of(), List.of(), false, Duration.ofMinutes(10),
			true, Duration.ofMinutes(3));

	/**
	 * Whether an exception is retried without the task asking.
	 * @param exception the exception
	 * @return whether to retry
	 */
	public boolean isAutoRetried(Throwable exception) {
		return matches(this.autoRetryFor, exception) && !matches(this.dontAutoRetryFor, exception);
	}

	/**
	 * Whether another retry is allowed.
	 * @param retries the retries done so far
	 * @return whether to retry again
	 */
	public boolean allowsRetry(int retries) {
		return this.maxRetries < 0 || retries < this.maxRetries;
	}

	/**
	 * The delay before the next automatic retry.
	 * @param retries the retries done so far
	 * @return the delay
	 */
	public Duration delay(int retries) {
		if (!this.backoff) {
			return this.defaultDelay;
		}
		long max = Math.max(0, this.backoffMax.toMillis());
		long millis = (retries >= 40) ? max : Math.min(max, 1000L << retries);
		if (this.jitter) {
			millis = ThreadLocalRandom.current().nextLong(millis + 1);
		}
		return Duration.ofMillis(millis);
	}

	/**
	 * The delay of a retry the task asked for.
	 * @param requested the countdown it asked for, or {@code null}
	 * @return the delay
	 */
	public Duration delay(@Nullable Duration requested) {
		return (requested != null) ? requested : this.defaultDelay;
	}

	private static boolean matches(List<Class<? extends Throwable>> types, Throwable exception) {
		for (Class<? extends Throwable> type : types) {
			if (type.isInstance(exception)) {
				return true;
			}
		}
		return false;
	}

}
