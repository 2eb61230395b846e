package dev.taskqueue.beat.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in annotations: {@code 500ms}, {@code 10s}, {@code 5m},
 * {@code 2h}, {@code 1d}, or ISO-8601 ({@code PT10S}).
 */
public final class Durations {

	private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

	private Durations() {
	}

	/**
	 * Read a duration.
	 * @param text the text
	 * @return the duration
	 * @throws IllegalArgumentException if the text is neither form
	 */
	public static Duration parse(String text) {
		String trimmed = text.strip();
		Matcher simple = SIMPLE.matcher(trimmed);
		if (simple.matches()) {
			long amount = Long.parseLong(simple.group(1));
			return switch (simple.group(2)) {
				case "ms" -> Duration.ofMillis(amount);
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				default -> Duration.ofDays(amount);
			};
		}
		try {
			return Duration.parse(trimmed);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(
					"Invalid duration '" + text + "': use 500ms, 10s, 5m, 2h, 1d or ISO-8601 such as PT10S", ex);
		}
	}

	/**
	 * Write a duration in the short form where it fits one unit.
	 * @param duration the duration
	 * @return the text
	 */
	static String format(Duration duration) {
		if (duration.getNano() % 1_000_000 != 0) {
			return duration.toString();
		}
		long millis = duration.toMillis();
		if (millis % 86_400_000 == 0) {
			return (millis / 86_400_000) + "d";
		}
		if (millis % 3_600_000 == 0) {
			return (millis / 3_600_000) + "h";
		}
		if (millis % 60_000 == 0) {
			return (millis / 60_000) + "m";
		}
		if (millis % 1000 == 0) {
			return (millis / 1000) + "s";
		}
		return millis + "ms";
	}

}
