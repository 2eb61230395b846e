package dev.taskqueue.protocol.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Times as Celery writes them: Python's {@code datetime.isoformat()}, with microseconds
 * when they are not zero.
 */
public final class CeleryTime {

	private static final DateTimeFormatter WITH_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

	private static final DateTimeFormatter WITHOUT_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

	private CeleryTime() {
	}

	/**
	 * Format an aware time as the {@code eta} and {@code expires} headers carry it, e.g.
	 * {@code 2026-11-28T02:18:53.406277+00:00}.
	 * @param time the time
	 * @return the ISO-8601 text with offset
	 */
	public static String formatAware(OffsetDateTime time) {
		OffsetDateTime t = time.truncatedTo(ChronoUnit.MICROS);
		return local(t.toLocalDateTime()) + offset(t.getOffset());
	}

	/**
	 * Format an instant as a naive UTC time, as Celery writes {@code date_done}, e.g.
	 * {@code 2026-11-28T02:18:50.418976}.
	 * @param instant the instant
	 * @return the ISO-8601 text without offset
	 */
	public static String formatNaiveUtc(Instant instant) {
		return local(LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
	}

	/**
	 * Format a naive time as Python's {@code datetime.isoformat()} does, e.g.
	 * {@code 2026-11-28T02:18:50.418976}.
	 * @param time the time
	 * @return the ISO-8601 text without offset
	 */
	static String formatLocal(LocalDateTime time) {
		return local(time.truncatedTo(ChronoUnit.MICROS));
	}

	/**
	 * Format a {@code date_done} as Celery writes it: naive UTC before 5.3, with
	 * {@code +00:00} from 5.3 on.
	 * @param instant when the task finished
	 * @param aware whether to write the offset
	 * @return the ISO-8601 text
	 */
	public static String formatDateDone(Instant instant, boolean aware) {
		return aware ? formatAware(instant.atOffset(ZoneOffset.UTC)) : formatNaiveUtc(instant);
	}

	/**
	 * Parse a time from a header. Text without an offset is taken as UTC, as Celery does
	 * with {@code enable_utc}.
	 * @param text the ISO-8601 text
	 * @return the time
	 * @throws DateTimeParseException if the text is not an ISO-8601 date-time
	 */
	public static OffsetDateTime parse(String text) {
		try {
			return OffsetDateTime.parse(text);
		}
		catch (DateTimeParseException ex) {
			return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
		}
	}

	private static String local(LocalDateTime time) {
		int year = time.getYear();
		if (year < 1000 || year > 9999) {
			return (time.getNano() == 0) ? WITHOUT_MICROS.format(time) : WITH_MICROS.format(time);
		}
		// Digit by digit: a worker writes one for every result, and the formatter's
		// general machinery cost more than the rest of the record's encoding.
		boolean micros = time.getNano() != 0;
		char[] text = new char[micros ? 26 : 19];
		digits(text, 0, year, 4);
		text[4] = '-';
		digits(text, 5, time.getMonthValue(), 2);
		text[7] = '-';
		digits(text, 8, time.getDayOfMonth(), 2);
		text[10] = 'T';
		digits(text, 11, time.getHour(), 2);
		text[13] = ':';
		digits(text, 14, time.getMinute(), 2);
		text[16] = ':';
		digits(text, 17, time.getSecond(), 2);
		if (micros) {
			text[19] = '.';
			digits(text, 20, time.getNano() / 1000, 6);
		}
		return new String(text);
	}

	/** Write a number's last {@code count} digits, with leading zeros. */
	private static void digits(char[] text, int at, int value, int count) {
		int rest = value;
		for (int i = at + count - 1; i >= at; i--) {
			text[i] = (char) ('0' + rest % 10);
			rest /= 10;
		}
	}

	/**
	 * Format an offset as Python's {@code isoformat()} does: {@code +00:00}, never
	 * {@code Z}.
	 * @param offset the offset
	 * @return the text
	 */
	static String formatOffset(ZoneOffset offset) {
		return offset(offset);
	}

	private static String offset(ZoneOffset offset) {
		// Python writes +00:00 where Java would write Z.
		int seconds = offset.getTotalSeconds();
		int abs = Math.abs(seconds);
		return String.format("%s%02d:%02d", (seconds < 0) ? "-" : "+", abs / 3600, (abs / 60) % 60);
	}

}
