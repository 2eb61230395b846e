package dev.taskqueue.beat.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Celery's crontab field syntax ({@code celery.schedules.crontab_parser}), read into the
 * set of values it means: {@code *}, <code>*&#47;n</code>, {@code a-b} (wrapping around
 * when {@code b < a}, as {@code fri-mon} or {@code 22-2}), {@code a-b/n}, numbers and
 * names (the first three letters of a month, else of a weekday, in every field), joined
 * by commas. Anything else, such as Spring's {@code L}, {@code W}, {@code #}, {@code ?}
 * or {@code 5/15}, is refused as Celery refuses it.
 */
final class CeleryCrontabParser {

	private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
			Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
			Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));

	private static final Map<String, Integer> WEEKDAYS = Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri",
			5, "sat", 6);

	private CeleryCrontabParser() {
	}

	/**
	 * Read a field as Celery does.
	 * @param field the field
	 * @param spec its text
	 * @return the values, as a bit mask (bit {@code v} set for value {@code v})
	 * @throws IllegalArgumentException if Celery refuses the text
	 */
	static long parse(CrontabField field, String spec) {
		long mask = 0;
		for (String part : spec.split(",", -1)) {
			if (part.isEmpty()) {
				throw invalid(field, spec, "empty part");
			}
			for (int value : parsePart(field, part)) {
				mask |= 1L << value;
			}
		}
		return mask;
	}

	private static List<Integer> parsePart(CrontabField field, String part) {
		int slash = part.indexOf('/');
		if (slash >= 0) {
			String left = part.substring(0, slash);
			int step = step(field, part, part.substring(slash + 1));
			List<Integer> values;
			if (left.equals("*")) {
				values = star(field);
			}
			else if (left.indexOf('-') > 0) {
				values = range(field, left);
			}
			else {
				throw invalid(field, part, "a step needs '*' or a range before it (Celery has no 'n/step')");
			}
			List<Integer> stepped = new ArrayList<>();
			for (int i = 0; i < values.size(); i += step) {
				stepped.add(values.get(i));
			}
			return stepped;
		}
		if (part.equals("*")) {
			return star(field);
		}
		if (part.indexOf('-') > 0) {
			return range(field, part);
		}
		return List.of(number(field, part.strip()));
	}

	private static int step(CrontabField field, String part, String text) {
		if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
			throw invalid(field, part, "the step must be a number");
		}
		int step = Integer.parseInt(text);
		if (step == 0) {
			throw invalid(field, part, "the step must not be 0");
		}
		return step;
	}

	private static List<Integer> star(CrontabField field) {
		List<Integer> values = new ArrayList<>();
		for (int v = field.min(); v < field.min() + field.size(); v++) {
			values.add(v);
		}
		return values;
	}

	private static List<Integer> range(CrontabField field, String text) {
		int dash = text.indexOf('-');
		int from = number(field, text.substring(0, dash));
		int to = number(field, text.substring(dash + 1));
		List<Integer> values = new ArrayList<>();
		if (to < from) {
			// Celery wraps around the field's end: hour 22-2 is 22, 23, 0, 1, 2.
			for (int v = from; v < field.min() + field.size(); v++) {
				values.add(v);
			}
			for (int v = field.min(); v <= to; v++) {
				values.add(v);
			}
		}
		else {
			for (int v = from; v <= to; v++) {
				values.add(v);
			}
		}
		return values;
	}

	private static int number(CrontabField field, String token) {
		if (token.isEmpty() || token.startsWith("-")) {
			throw invalid(field, token, "negative numbers and empty parts are not supported");
		}
		int value;
		if (token.chars().allMatch(Character::isDigit)) {
			try {
				value = Integer.parseInt(token);
			}
			catch (NumberFormatException ex) {
				throw invalid(field, token, "number out of range");
			}
		}
		else {
			String abbreviation = token.substring(0, Math.min(3, token.length())).toLowerCase(Locale.ROOT);
			Integer named = MONTHS.get(abbreviation);
			if (named == null) {
				named = WEEKDAYS.get(abbreviation);
			}
			if (named == null || !token.chars().allMatch(Character::isLetterOrDigit)) {
				throw invalid(field, token, "invalid literal (Celery: \"Invalid weekday literal\")");
			}
			value = named;
		}
		int max = field.min() + field.size() - 1;
		if (value > max) {
			throw invalid(field, token, "invalid end range: " + value + " > " + max);
		}
		if (value < field.min()) {
			throw invalid(field, token, "invalid beginning range: " + value + " < " + field.min());
		}
		return value;
	}

	/**
	 * Check an integer field value (Celery takes ints and lists of ints as they are).
	 * @param field the field
	 * @param value the value
	 * @return its bit
	 */
	static long integer(CrontabField field, long value) {
		if (value < field.min() || value >= field.min() + field.size()) {
			throw new IllegalArgumentException("Invalid crontab " + field.key() + " " + value + ": it must be between "
					+ field.min() + " and " + (field.min() + field.size() - 1));
		}
		return 1L << value;
	}

	private static IllegalArgumentException invalid(CrontabField field, String text, String reason) {
		return new IllegalArgumentException("Invalid crontab " + field.key() + " '" + text + "': " + reason);
	}

}
