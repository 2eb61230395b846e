package dev.taskqueue.ratelimit;

import java.time.Duration;
import java.util.Locale;

/**
 * A rate: so many task starts per second, minute or hour, written as Celery writes it
 * ({@code "10/s"}, {@code "100/m"}, {@code "1000/h"}, or a plain number meaning per second).
 *
 * @param permits how many starts
 * @param per in how long
 */
public record RateLimit(double permits, Duration per) {

	/**
	 * Parse a rate limit.
	 * @param text e.g. {@code 1/s}
	 * @return the rate limit
	 * @throws IllegalArgumentException if the text is not a rate limit
	 */
	public static RateLimit parse(String text) {
		String value = text.trim().toLowerCase(Locale.ROOT);
		int slash = value.indexOf('/');
		String number = (slash >= 0) ? value.substring(0, slash).trim() : value;
		String unit = (slash >= 0) ? value.substring(slash + 1).trim() : "s";
		Duration per = switch (unit) {
			case "s", "sec", "second" -> Duration.ofSeconds(1);
			case "m", "min", "minute" -> Duration.ofMinutes(1);
			case "h", "hour" -> Duration.ofHours(1);
			default -> throw new IllegalArgumentException("Invalid rate limit '" + text
					+ "': the unit must be s, m or h (e.g. 10/s, 100/m, 1000/h)");
		};
		double permits;
		try {
			permits = Double.parseDouble(number);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Invalid rate limit '" + text + "': '" + number + "' is not a number");
		}
		if (!(permits > 0) || Double.isInfinite(permits)) {
			throw new IllegalArgumentException("Invalid rate limit '" + text + "': the rate must be positive");
		}
		return new RateLimit(permits, per);
	}

	/** @return the time between two starts at this rate, in nanoseconds */
	public long intervalNanos() {
		return (long) (this.per.toNanos() / this.permits);
	}

}
