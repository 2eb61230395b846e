package dev.taskqueue.worker.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.springframework.core.NestedExceptionUtils;

/**
 * Logs failures that repeat while something the worker depends on is down — every
 * redelivery during a Redis outage fails the same way — with the stack trace once a
 * minute per cause and as one line in between, so an outage does not bury the log in
 * identical traces.
 */
final class RepeatedFailures {

	private static final long TRACE_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	private final Map<Class<?>, Long> lastTraced = new ConcurrentHashMap<>();

	private final LongSupplier nanoTime;

	RepeatedFailures() {
		this(System::nanoTime);
	}

	RepeatedFailures(LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
	}

	/**
	 * Log a failure at error level.
	 * @param logger the logger
	 * @param message what could not be done and what happens next
	 * @param ex the failure
	 */
	void error(Log logger, String message, Throwable ex) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		long now = this.nanoTime.getAsLong();
		boolean[] trace = new boolean[1];
		this.lastTraced.compute(cause.getClass(), (type, last) -> {
			trace[0] = (last == null) || now - last >= TRACE_INTERVAL_NANOS;
			return trace[0] ? now : last;
		});
		if (trace[0]) {
			logger.error(message, ex);
		}
		else {
			logger.error(message + ": " + cause + " (the stack trace of this cause was logged less than a minute ago)");
		}
	}

}
