package dev.taskqueue.beat.internal;

import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.taskqueue.beat.Schedule;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;

/**
 * Celery's {@code crontab}: five sets of values that a run's minute, hour, day of week,
 * day of month and month must all match. The next run is computed as Celery computes it:
 * on the wall clock of the previous run's zone, a time that does not exist (clocks go
 * forward) moved forward by the gap, a time that happens twice (clocks go back) taken at
 * its first occurrence. Each field keeps the form it was given in (text, number or list
 * of numbers), so what Python wrote is written back unchanged.
 */
public final class CrontabSchedule implements Schedule {

	private static final int CACHE_SIZE = 1024;

	private static final Map<Object, CrontabSchedule> CACHE = new ConcurrentHashMap<>();

	/** A time far enough back that every valid crontab has a later run. */
	private static final LocalDateTime PROBE = LocalDateTime.of(2000, 1, 1, 0, 0);

	private final Map<CrontabField, Object> values;

	private final Map<CrontabField, Long> masks;

	private final @Nullable String expression;

	private final CronExpression cron;

	private CrontabSchedule(Map<CrontabField, Object> values, Map<CrontabField, Long> masks,
			@Nullable String expression) {
		this.values = values;
		this.masks = masks;
		this.expression = expression;
		StringJoiner spring = new StringJoiner(" ", "0 ", "");
		for (CrontabField field : List.of(CrontabField.MINUTE, CrontabField.HOUR, CrontabField.DAY_OF_MONTH,
				CrontabField.MONTH_OF_YEAR, CrontabField.DAY_OF_WEEK)) {
			spring.add(list(field, masks.get(field), ","));
		}
		// Spring reads day of week 0 as Sunday, as Celery does.
		this.cron = CronExpression.parse(spring.toString());
		if (this.cron.next(PROBE) == null) {
			throw new IllegalArgumentException("Crontab " + describe() + " never matches a date (Python's beat "
					+ "would stop at it on every tick)");
		}
	}

	/**
	 * A crontab from Spring's six fields (or a macro) or Celery's five.
	 * @param expression the expression
	 * @return the crontab
	 * @throws IllegalArgumentException if the expression is invalid or Celery cannot
	 * express it
	 */
	public static CrontabSchedule parse(String expression) {
		String text = expression.strip();
		return cached("cron\u0000" + text, () -> parseText(expression, text));
	}

	private static CrontabSchedule parseText(String expression, String text) {
		String[] fields = text.split("\\s+");
		if (fields.length == 5) {
			return ofFields(fields[0], fields[1], fields[4], fields[2], fields[3]);
		}
		if (fields.length != 6 && !text.startsWith("@")) {
			throw new IllegalArgumentException("Cron expression '" + expression + "' has " + fields.length
					+ " fields: give Spring's six (second minute hour day-of-month month day-of-week) "
					+ "or Celery's five (minute hour day-of-month month day-of-week)");
		}
		Map<CrontabField, Long> masks = SpringCronTranslator.translate(text);
		Map<CrontabField, Object> values = new EnumMap<>(CrontabField.class);
		masks.forEach((field, mask) -> values.put(field, list(field, mask, ",")));
		return new CrontabSchedule(values, masks, text);
	}

	/**
	 * A crontab from Celery's fields.
	 * @param minute the minutes
	 * @param hour the hours
	 * @param dayOfWeek the days of the week
	 * @param dayOfMonth the days of the month
	 * @param monthOfYear the months
	 * @return the crontab
	 */
	public static CrontabSchedule ofFields(String minute, String hour, String dayOfWeek, String dayOfMonth,
			String monthOfYear) {
		Map<CrontabField, Object> values = new EnumMap<>(CrontabField.class);
		values.put(CrontabField.MINUTE, minute);
		values.put(CrontabField.HOUR, hour);
		values.put(CrontabField.DAY_OF_WEEK, dayOfWeek);
		values.put(CrontabField.DAY_OF_MONTH, dayOfMonth);
		values.put(CrontabField.MONTH_OF_YEAR, monthOfYear);
		return of(values);
	}

	/**
	 * A crontab from the fields RedBeat stores: text, an integer or a list of integers
	 * each, {@code "*"} when absent.
	 * @param stored the fields by RedBeat's key
	 * @return the crontab
	 * @throws IllegalArgumentException if Celery would refuse a field
	 */
	static CrontabSchedule fromStored(Map<String, @Nullable Object> stored) {
		Map<CrontabField, Object> values = new EnumMap<>(CrontabField.class);
		for (CrontabField field : CrontabField.values()) {
			Object value = stored.get(field.key());
			values.put(field, (value != null) ? value : "*");
		}
		return of(values);
	}

	private static CrontabSchedule of(Map<CrontabField, Object> values) {
		return cached(new ArrayList<>(values.values()), () -> {
			Map<CrontabField, Long> masks = new EnumMap<>(CrontabField.class);
			values.forEach((field, value) -> masks.put(field, mask(field, value)));
			return new CrontabSchedule(values, masks, null);
		});
	}

	/**
	 * Crontabs are immutable and schedules repeat them (every entry of a large schedule
	 * may have the same): each is parsed once, which spares a tick thousands of parses.
	 */
	private static CrontabSchedule cached(Object key, Supplier<CrontabSchedule> parse) {
		CrontabSchedule crontab = CACHE.get(key);
		if (crontab == null) {
			crontab = parse.get();
			if (CACHE.size() >= CACHE_SIZE) {
				CACHE.clear();
			}
			CACHE.put(key, crontab);
		}
		return crontab;
	}

	private static long mask(CrontabField field, Object value) {
		if (value instanceof String text) {
			return CeleryCrontabParser.parse(field, text);
		}
		if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
			return CeleryCrontabParser.integer(field, number.longValue());
		}
		if (value instanceof List<?> list && !list.isEmpty()) {
			long mask = 0;
			for (Object element : list) {
				if (!(element instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
					throw new IllegalArgumentException(
							"Invalid crontab " + field.key() + " " + list + ": a list must hold integers");
				}
				mask |= CeleryCrontabParser.integer(field, number.longValue());
			}
			return mask;
		}
		throw new IllegalArgumentException(
				"Invalid crontab " + field.key() + " " + value + ": use text, an integer or a list of integers");
	}

	/**
	 * Return the fields as RedBeat stores them, in its order.
	 * @return the fields as RedBeat stores them, in its order
	 */
	Map<String, Object> stored() {
		Map<String, Object> stored = new LinkedHashMap<>();
		for (CrontabField field : CrontabField.values()) {
			stored.put(field.key(), this.values.get(field));
		}
		return stored;
	}

	/**
	 * Return the Spring or Celery expression this crontab was parsed from, if it was.
	 * @return the expression, or {@code null}
	 */
	@Nullable String getExpression() {
		return this.expression;
	}

	/**
	 * Whether another crontab runs at the same times.
	 * @param other the other crontab
	 * @return whether they match the same times
	 */
	boolean sameTimes(CrontabSchedule other) {
		return this.masks.equals(other.masks);
	}

	/**
	 * Return the set of values of a field, for tests and descriptions.
	 * @param field the field's RedBeat key
	 * @return the values in ascending order
	 */
	List<Integer> expanded(String field) {
		CrontabField which = Arrays.stream(CrontabField.values())
			.filter((candidate) -> candidate.key().equals(field))
			.findFirst()
			.orElseThrow();
		List<Integer> values = new ArrayList<>();
		long mask = this.masks.get(which);
		for (int v = 0; v < 64; v++) {
			if ((mask & (1L << v)) != 0) {
				values.add(v);
			}
		}
		return values;
	}

	@Override
	public @Nullable ZonedDateTime next(ZonedDateTime lastRunAt) {
		LocalDateTime next = this.cron.next(lastRunAt.toLocalDateTime());
		return (next != null) ? ZonedDateTime.ofLocal(next, lastRunAt.getZone(), null) : null;
	}

	@Override
	public String describe() {
		if (this.expression != null) {
			return "cron " + this.expression;
		}
		StringJoiner text = new StringJoiner(" ", "crontab ", " (m h dom mon dow)");
		for (CrontabField field : List.of(CrontabField.MINUTE, CrontabField.HOUR, CrontabField.DAY_OF_MONTH,
				CrontabField.MONTH_OF_YEAR, CrontabField.DAY_OF_WEEK)) {
			Object value = this.values.get(field);
			text.add((value instanceof List<?> list) ? list.toString().replace(" ", "") : String.valueOf(value));
		}
		return text.toString();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof CrontabSchedule that && this.values.equals(that.values));
	}

	@Override
	public int hashCode() {
		return this.values.hashCode();
	}

	@Override
	public String toString() {
		return describe();
	}

	/**
	 * Write a set as Celery and Spring both read it: {@code *} for every value, runs of
	 * three or more as ranges, commas between.
	 */
	private static String list(CrontabField field, long mask, String separator) {
		if (mask == field.full()) {
			return "*";
		}
		StringJoiner list = new StringJoiner(separator);
		int v = field.min();
		int end = field.min() + field.size();
		while (v < end) {
			if ((mask & (1L << v)) == 0) {
				v++;
				continue;
			}
			int run = v;
			while (run + 1 < end && (mask & (1L << (run + 1))) != 0) {
				run++;
			}
			if (run - v >= 2) {
				list.add(v + "-" + run);
			}
			else {
				for (int each = v; each <= run; each++) {
					list.add(Integer.toString(each));
				}
			}
			v = run + 1;
		}
		return list.toString();
	}

}
