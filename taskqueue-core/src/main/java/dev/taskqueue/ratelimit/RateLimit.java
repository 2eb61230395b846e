package dev.taskqueue.ratelimit;

import java.time.Duration;
import java.util.Locale;

/**
 * A rate: so many task starts per second, minute or hour, written as Celery writes it
 * ({@code "10/s"}, {@code "100/m"}, {@code "1000/h"}, or a plain number meaning per
 * second), with how many starts may follow each other without spacing after an idle
 * period (the burst) and where the limit is enforced.
 *
 * @param permits how many starts
 * @param per in how long
 * @param burst how many starts may happen at once after an idle period (the token
 * bucket's capacity); 1 spaces every start one interval from the previous, as Celery does
 * @param scope where the limit is enforced
 */
public record RateLimit(double permits, Duration per, int burst, RateLimitScope scope) {

	/** The forms {@link #parse(String)} accepts, for error messages. */
	public static final String ACCEPTED_FORMS = "a positive number of starts per second (10), minute (100/m) or "
			+ "hour (1000/h), e.g. 10/s, 100/m, 1000/h or 0.5";

	/**
	 * Create a rate limit.
	 * @param permits how many starts
	 * @param per in how long
	 * @param burst the bucket's capacity, at least 1
	 * @param scope where the limit is enforced
	 * @throws IllegalArgumentException if the rate is not positive or the burst below 1
	 */
	public RateLimit {
		if (!(permits > 0) || Double.isInfinite(permits)) {
			throw new IllegalArgumentException("The rate must be positive, got " + permits);
		}
		if (per.isNegative() || per.isZero()) {
			throw new IllegalArgumentException("The period must be positive, got " + per);
		}
		if (burst < 1) {
			throw new IllegalArgumentException("The burst must be at least 1, got " + burst);
		}
	}

	/**
	 * Create a per-worker rate limit without burst, as Celery's.
	 * @param permits how many starts
	 * @param per in how long
	 */
	public RateLimit(double permits, Duration per) {
		this(permits, per, 1, RateLimitScope.WORKER);
	}

	/**
	 * Parse a rate limit (per worker, burst 1).
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
			default -> throw new IllegalArgumentException(
					"Invalid rate limit '" + text + "': the unit must be s, m or h; expected " + ACCEPTED_FORMS);
		};
		double permits;
		try {
			permits = Double.parseDouble(number);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(
					"Invalid rate limit '" + text + "': '" + number + "' is not a number; expected " + ACCEPTED_FORMS);
		}
		if (!(permits > 0) || Double.isInfinite(permits)) {
			throw new IllegalArgumentException(
					"Invalid rate limit '" + text + "': the rate must be positive; expected " + ACCEPTED_FORMS);
		}
		return new RateLimit(permits, per);
	}

	/**
	 * This rate with another burst.
	 * @param burst the bucket's capacity, at least 1
	 * @return the rate limit
	 */
	public RateLimit withBurst(int burst) {
		return new RateLimit(this.permits, this.per, burst, this.scope);
	}

	/**
	 * This rate enforced elsewhere.
	 * @param scope where the limit is enforced
	 * @return the rate limit
	 */
	public RateLimit withScope(RateLimitScope scope) {
		return new RateLimit(this.permits, this.per, this.burst, scope);
	}

	/**
	 * Return the time between two starts at this rate, in nanoseconds.
	 * @return the time between two starts at this rate, in nanoseconds
	 */
	public long intervalNanos() {
		return (long) (this.per.toNanos() / this.permits);
	}

	/**
	 * The rate in Celery's notation, with the burst and scope when they are not the
	 * defaults: {@code 10/s}, {@code 100/m (burst 5, cluster)}.
	 * @return the description
	 */
	public String describe() {
		String count = (this.permits == Math.rint(this.permits)) ? String.valueOf((long) this.permits)
				: String.valueOf(this.permits);
		String unit = this.per.equals(Duration.ofSeconds(1)) ? "s" : this.per.equals(Duration.ofMinutes(1)) ? "m"
				: this.per.equals(Duration.ofHours(1)) ? "h" : this.per.toMillis() + "ms";
		StringBuilder text = new StringBuilder(count).append('/').append(unit);
		if (this.burst != 1 || this.scope != RateLimitScope.WORKER) {
			text.append(" (");
			if (this.burst != 1) {
				text.append("burst ").append(this.burst).append(", ");
			}
			text.append(this.scope.name().toLowerCase(Locale.ROOT)).append(')');
		}
		return text.toString();
	}

}
