package dev.taskqueue.beat.internal;

import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

import org.springframework.scheduling.support.CronExpression;

/**
 * Translates Spring's six-field cron expressions into Celery's crontab, which Python's
 * RedBeat can read: each field's set of values is taken from Spring's own
 * {@link CronExpression} (probing it field by field, so Spring's meaning is kept exactly,
 * day-of-week {@code *}/2 and names included) and day of week renumbered from Spring's 1
 * = Monday … 7 = Sunday to Celery's 0 = Sunday. Celery's crontab has minutes only, so the
 * seconds must be {@code 0}; it has no {@code L}, {@code W} or {@code #}.
 */
final class SpringCronTranslator {

	private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 0 1 1 *", "@annually", "0 0 0 1 1 *",
			"@monthly", "0 0 0 1 * *", "@weekly", "0 0 0 * * 0", "@daily", "0 0 0 * * *", "@midnight", "0 0 0 * * *",
			"@hourly", "0 0 * * * *");

	/** A Monday in January, so every day of the month and of the week can be probed. */
	private static final LocalDateTime BASE = LocalDateTime.of(2001, 1, 1, 0, 0);

	private SpringCronTranslator() {
	}

	/**
	 * Translate an expression.
	 * @param expression Spring's six fields, or one of its macros
	 * @return the values of each Celery field, as bit masks
	 * @throws IllegalArgumentException if Spring refuses the expression or Celery cannot
	 * express it
	 */
	static Map<CrontabField, Long> translate(String expression) {
		String text = MACROS.getOrDefault(expression.strip().toLowerCase(Locale.ROOT), expression.strip());
		try {
			CronExpression.parse(text);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Invalid cron expression '" + expression + "': " + ex.getMessage(), ex);
		}
		String[] fields = text.split("\\s+");
		for (String field : fields) {
			if (hasSpringOnlyToken(field)) {
				throw unsupported(expression, field);
			}
		}
		if (probe(fields[0] + " * * * * *", 60, (i) -> BASE.plusSeconds(i)) != 1L) {
			throw new IllegalArgumentException("Cron expression '" + expression + "' fires on seconds other than 0: "
					+ "Celery's crontab, which Python's RedBeat stores, has a minute's resolution; "
					+ "make the seconds field 0");
		}
		Map<CrontabField, Long> masks = new EnumMap<>(CrontabField.class);
		masks.put(CrontabField.MINUTE, probe("0 " + fields[1] + " * * * *", 60, (i) -> BASE.plusMinutes(i)));
		masks.put(CrontabField.HOUR, probe("0 0 " + fields[2] + " * * *", 24, (i) -> BASE.plusHours(i)));
		masks.put(CrontabField.DAY_OF_MONTH,
				probe("0 0 0 " + anyDay(fields[3]) + " * *", 31, (i) -> BASE.plusDays(i)) << 1);
		masks.put(CrontabField.MONTH_OF_YEAR, probe("0 0 0 1 " + fields[4] + " *", 12, (i) -> BASE.plusMonths(i)) << 1);
		// BASE is a Monday: probe i is Celery weekday (i + 1) % 7.
		long spring = probe("0 0 0 * * " + anyDay(fields[5]), 7, (i) -> BASE.plusDays(i));
		long dayOfWeek = 0;
		for (int i = 0; i < 7; i++) {
			if ((spring & (1L << i)) != 0) {
				dayOfWeek |= 1L << ((i + 1) % 7);
			}
		}
		masks.put(CrontabField.DAY_OF_WEEK, dayOfWeek);
		return masks;
	}

	private static boolean hasSpringOnlyToken(String field) {
		for (String part : field.toUpperCase(Locale.ROOT).split(",")) {
			String stripped = part.replaceAll("(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)", "")
				.replaceAll("(MON|TUE|WED|THU|FRI|SAT|SUN)", "");
			if (stripped.contains("L") || stripped.contains("W") || stripped.contains("#")) {
				return true;
			}
		}
		return false;
	}

	private static String anyDay(String field) {
		return field.equals("?") ? "*" : field;
	}

	private static IllegalArgumentException unsupported(String expression, String field) {
		return new IllegalArgumentException("Cron expression '" + expression + "' uses '" + field
				+ "': Celery's crontab, which Python's RedBeat stores, has no L, W or #; "
				+ "list the days instead (Python would refuse such an entry)");
	}

	private static long probe(String expression, int count, IntFunction<LocalDateTime> time) {
		CronExpression cron = CronExpression.parse(expression);
		long mask = 0;
		for (int i = 0; i < count; i++) {
			LocalDateTime at = time.apply(i);
			if (at.equals(cron.next(at.minusNanos(1)))) {
				mask |= 1L << i;
			}
		}
		return mask;
	}

}
