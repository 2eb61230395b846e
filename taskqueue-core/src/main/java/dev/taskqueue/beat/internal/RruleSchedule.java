package dev.taskqueue.beat.internal;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.taskqueue.beat.Schedule;
import org.jspecify.annotations.Nullable;

/**
 * RedBeat's {@code rrule} schedule (python-dateutil's recurrence rules), as RedBeat
 * stores it: {@code dtstart} and {@code until} in UTC epoch seconds with offsets in
 * minutes (a fixed offset: RedBeat drops IANA zones), weekdays numbered from 0 = Monday.
 * Runs follow dateutil's rules for {@code freq}, {@code interval}, {@code count},
 * {@code until}, {@code bymonth}, {@code bymonthday}, {@code byweekday}, {@code byhour},
 * {@code byminute} and {@code bysecond}; a rule that uses {@code bysetpos},
 * {@code byyearday}, {@code byweekno}, {@code byeaster} or a weekday with an {@code n} is
 * refused, so the beat leaves it to Python. Java never writes rrules; it reads and keeps
 * the ones Python wrote.
 */
public final class RruleSchedule implements Schedule {

	private static final String[] FREQUENCIES = { "YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY",
			"SECONDLY" };

	private static final int MONTHLY = 1;

	private static final int WEEKLY = 2;

	private static final int DAILY = 3;

	private static final int HOURLY = 4;

	private static final int MINUTELY = 5;

	/** A bound on the candidates one computation may look at. */
	private static final int MAX_CANDIDATES = 5_000_000;

	private final Map<String, @Nullable Object> stored;

	private final int freq;

	private final int interval;

	private final @Nullable Integer count;

	private final LocalDateTime start;

	private final ZoneOffset offset;

	private final @Nullable Instant until;

	private final DayOfWeek weekStart;

	private final @Nullable List<Integer> months;

	private final @Nullable List<Integer> monthDays;

	private final @Nullable List<Integer> weekdays;

	private final List<Integer> hours;

	private final List<Integer> minutes;

	private final List<Integer> seconds;

	private final boolean hoursGiven;

	private final boolean minutesGiven;

	private final boolean secondsGiven;

	private RruleSchedule(Map<String, @Nullable Object> stored) {
		this.stored = Collections.unmodifiableMap(new LinkedHashMap<>(stored));
		for (String unsupported : List.of("bysetpos", "byyearday", "byweekno", "byeaster")) {
			if (stored.get(unsupported) != null) {
				throw new IllegalArgumentException("rrule " + unsupported + " is not supported by the Java beat");
			}
		}
		this.freq = frequency(stored.get("freq"));
		this.interval = (stored.get("interval") != null) ? integer("interval", stored.get("interval")) : 1;
		if (this.interval < 1) {
			throw new IllegalArgumentException("rrule interval must be positive, got " + this.interval);
		}
		this.count = (stored.get("count") != null) ? integer("count", stored.get("count")) : null;
		Object dtstart = stored.get("dtstart");
		if (dtstart == null) {
			throw new IllegalArgumentException("rrule without dtstart (RedBeat takes 'now' at every load)");
		}
		this.offset = offset(stored.get("dtstart_tz"));
		this.start = LocalDateTime.ofEpochSecond(integer("dtstart", dtstart), 0, this.offset);
		Object until = stored.get("until");
		this.until = (until != null) ? Instant.ofEpochSecond(integer("until", until)) : null;
		Object wkst = stored.get("wkst");
		this.weekStart = DayOfWeek.of(((wkst != null) ? weekday(wkst) : 0) + 1);
		List<Integer> months = list("bymonth", stored.get("bymonth"));
		List<Integer> monthDays = list("bymonthday", stored.get("bymonthday"));
		List<Integer> weekdays = weekdays(stored.get("byweekday"));
		// dateutil's defaults: a rule with no day given repeats dtstart's day.
		if (monthDays == null && weekdays == null) {
			if (this.freq == 0) {
				if (months == null) {
					months = List.of(this.start.getMonthValue());
				}
				monthDays = List.of(this.start.getDayOfMonth());
			}
			else if (this.freq == MONTHLY) {
				monthDays = List.of(this.start.getDayOfMonth());
			}
			else if (this.freq == WEEKLY) {
				weekdays = List.of(this.start.getDayOfWeek().getValue() - 1);
			}
		}
		this.months = months;
		this.monthDays = monthDays;
		this.weekdays = weekdays;
		List<Integer> hours = list("byhour", stored.get("byhour"));
		List<Integer> minutes = list("byminute", stored.get("byminute"));
		List<Integer> seconds = list("bysecond", stored.get("bysecond"));
		this.hoursGiven = hours != null;
		this.minutesGiven = minutes != null;
		this.secondsGiven = seconds != null;
		this.hours = (hours != null) ? sorted(hours) : List.of(this.start.getHour());
		this.minutes = (minutes != null) ? sorted(minutes) : List.of(this.start.getMinute());
		this.seconds = (seconds != null) ? sorted(seconds) : List.of(this.start.getSecond());
	}

	/**
	 * Read a rule as RedBeat stores it.
	 * @param stored the fields by RedBeat's key
	 * @return the schedule
	 * @throws IllegalArgumentException if the rule is malformed or uses what the Java
	 * beat does not support
	 */
	static RruleSchedule fromStored(Map<String, @Nullable Object> stored) {
		return new RruleSchedule(stored);
	}

	/**
	 * Return the fields as stored, to be written back unchanged.
	 * @return the fields as stored, to be written back unchanged
	 */
	Map<String, @Nullable Object> stored() {
		return this.stored;
	}

	@Override
	public @Nullable ZonedDateTime next(ZonedDateTime lastRunAt) {
		Instant after = lastRunAt.toInstant();
		int found = 0;
		int looked = 0;
		long period = firstPeriod(after);
		while (true) {
			LocalDateTime periodStart = periodStart(period);
			if (periodStart.toLocalDate().getYear() > 9999) {
				return null;
			}
			for (LocalDateTime candidate : candidates(periodStart)) {
				if (++looked > MAX_CANDIDATES) {
					throw new IllegalStateException("rrule " + describe() + " needs more than " + MAX_CANDIDATES
							+ " candidates to find its next run");
				}
				if (candidate.isBefore(this.start)) {
					continue;
				}
				Instant instant = candidate.toInstant(this.offset);
				if (this.until != null && instant.isAfter(this.until)) {
					return null;
				}
				found++;
				if (this.count != null && found > this.count) {
					return null;
				}
				if (instant.isAfter(after)) {
					return candidate.atZone(this.offset);
				}
			}
			period++;
		}
	}

	/**
	 * The first period worth looking at: without a count, the one just before the
	 * previous run (earlier ones cannot hold a later run); with one, the first, since
	 * every run counts.
	 */
	private long firstPeriod(Instant after) {
		if (this.count != null || this.freq < WEEKLY) {
			return 0;
		}
		Duration unit = switch (this.freq) {
			case WEEKLY -> Duration.ofDays(7);
			case DAILY -> Duration.ofDays(1);
			case HOURLY -> Duration.ofHours(1);
			case MINUTELY -> Duration.ofMinutes(1);
			default -> Duration.ofSeconds(1);
		};
		long elapsed = Duration.between(periodStart(0).toInstant(this.offset), after).toSeconds();
		long periods = elapsed / (unit.toSeconds() * this.interval);
		return Math.max(0, periods - 1);
	}

	private LocalDateTime periodStart(long period) {
		long step = period * this.interval;
		return switch (this.freq) {
			case 0 -> this.start.toLocalDate().withDayOfYear(1).atStartOfDay().plusYears(step);
			case MONTHLY -> this.start.toLocalDate().withDayOfMonth(1).atStartOfDay().plusMonths(step);
			case WEEKLY -> this.start.toLocalDate()
				.with(TemporalAdjusters.previousOrSame(this.weekStart))
				.atStartOfDay()
				.plusWeeks(step);
			case DAILY -> this.start.toLocalDate().atStartOfDay().plusDays(step);
			case HOURLY -> this.start.truncatedTo(ChronoUnit.HOURS).plusHours(step);
			case MINUTELY -> this.start.truncatedTo(ChronoUnit.MINUTES).plusMinutes(step);
			default -> this.start.plusSeconds(step);
		};
	}

	private List<LocalDateTime> candidates(LocalDateTime periodStart) {
		List<LocalDate> days = new ArrayList<>();
		LocalDate first = periodStart.toLocalDate();
		LocalDate end = switch (this.freq) {
			case 0 -> first.plusYears(1);
			case MONTHLY -> first.plusMonths(1);
			case WEEKLY -> first.plusWeeks(1);
			default -> first.plusDays(1);
		};
		for (LocalDate day = first; day.isBefore(end); day = day.plusDays(1)) {
			if (matches(day)) {
				days.add(day);
			}
		}
		List<LocalDateTime> candidates = new ArrayList<>();
		for (LocalDate day : days) {
			for (LocalTime time : times(periodStart)) {
				candidates.add(day.atTime(time));
			}
		}
		return candidates;
	}

	private boolean matches(LocalDate day) {
		if (this.months != null && !this.months.contains(day.getMonthValue())) {
			return false;
		}
		if (this.weekdays != null && !this.weekdays.contains(day.getDayOfWeek().getValue() - 1)) {
			return false;
		}
		if (this.monthDays != null) {
			int negative = day.getDayOfMonth() - day.lengthOfMonth() - 1;
			return this.monthDays.contains(day.getDayOfMonth()) || this.monthDays.contains(negative);
		}
		return true;
	}

	private List<LocalTime> times(LocalDateTime periodStart) {
		List<Integer> hours = this.hours;
		List<Integer> minutes = this.minutes;
		List<Integer> seconds = this.seconds;
		if (this.freq >= HOURLY) {
			hours = within(periodStart.getHour(), this.hoursGiven ? this.hours : null);
		}
		if (this.freq >= MINUTELY) {
			minutes = within(periodStart.getMinute(), this.minutesGiven ? this.minutes : null);
		}
		if (this.freq > MINUTELY) {
			seconds = within(periodStart.getSecond(), this.secondsGiven ? this.seconds : null);
		}
		List<LocalTime> times = new ArrayList<>();
		for (int hour : hours) {
			for (int minute : minutes) {
				for (int second : seconds) {
					times.add(LocalTime.of(hour, minute, second));
				}
			}
		}
		return times;
	}

	private static List<Integer> within(int value, @Nullable List<Integer> allowed) {
		return (allowed == null || allowed.contains(value)) ? List.of(value) : List.of();
	}

	@Override
	public String describe() {
		StringBuilder text = new StringBuilder("rrule ").append(FREQUENCIES[this.freq]);
		if (this.interval != 1) {
			text.append(" interval ").append(this.interval);
		}
		if (this.count != null) {
			text.append(" count ").append(this.count);
		}
		text.append(" from ").append(this.start.atOffset(this.offset));
		if (this.until != null) {
			text.append(" until ").append(this.until);
		}
		this.stored.forEach((key, value) -> {
			if (key.startsWith("by") && value != null) {
				text.append(' ').append(key).append(' ').append(value);
			}
		});
		return text.toString();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof RruleSchedule that && this.stored.equals(that.stored));
	}

	@Override
	public int hashCode() {
		return this.stored.hashCode();
	}

	@Override
	public String toString() {
		return describe();
	}

	private static int frequency(@Nullable Object value) {
		if (value instanceof String name) {
			for (int i = 0; i < FREQUENCIES.length; i++) {
				if (FREQUENCIES[i].equalsIgnoreCase(name)) {
					return i;
				}
			}
			throw new IllegalArgumentException("rrule freq '" + name + "' is not one of " + List.of(FREQUENCIES));
		}
		int freq = integer("freq", value);
		if (freq < 0 || freq >= FREQUENCIES.length) {
			throw new IllegalArgumentException("rrule freq " + freq + " is not between 0 and 6");
		}
		return freq;
	}

	private static ZoneOffset offset(@Nullable Object minutes) {
		if (minutes == null) {
			return ZoneOffset.UTC;
		}
		if (!(minutes instanceof Number number)) {
			throw new IllegalArgumentException("rrule offset " + minutes + " is not a number of minutes");
		}
		return ZoneOffset.ofTotalSeconds((int) Math.round(number.doubleValue() * 60));
	}

	private static int integer(String field, @Nullable Object value) {
		if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
			return (int) number.longValue();
		}
		throw new IllegalArgumentException("rrule " + field + " " + value + " is not an integer");
	}

	private static @Nullable List<Integer> list(String field, @Nullable Object value) {
		if (value == null) {
			return null;
		}
		List<Integer> values = new ArrayList<>();
		if (value instanceof List<?> list) {
			for (Object element : list) {
				values.add(integer(field, element));
			}
		}
		else {
			values.add(integer(field, value));
		}
		return values;
	}

	private static @Nullable List<Integer> weekdays(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		List<Integer> days = new ArrayList<>();
		for (Object element : (value instanceof List<?> list) ? list : List.of(value)) {
			days.add(weekday(element));
		}
		return days;
	}

	private static int weekday(Object value) {
		if (value instanceof Map<?, ?> weekday) {
			if (weekday.get("n") != null) {
				throw new IllegalArgumentException("rrule weekday with n (" + weekday + ") is not supported");
			}
			return checkWeekday(integer("wkday", weekday.get("wkday")));
		}
		return checkWeekday(integer("weekday", value));
	}

	private static int checkWeekday(int day) {
		if (day < 0 || day > 6) {
			throw new IllegalArgumentException("rrule weekday " + day + " is not between 0 (Monday) and 6");
		}
		return day;
	}

	private static List<Integer> sorted(List<Integer> values) {
		return List.copyOf(new TreeSet<>(values));
	}

}
