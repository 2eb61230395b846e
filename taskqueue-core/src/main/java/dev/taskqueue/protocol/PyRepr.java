package dev.taskqueue.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Python's {@code repr} of JSON-like values, for the {@code argsrepr} and {@code kwargsrepr}
 * headers that Celery's tools (Flower, logs, {@code inspect}) show. Values that are neither JSON
 * scalars nor collections are shown with {@code toString()}.
 */
final class PyRepr {

	/** Celery's {@code argsrepr_maxsize} and {@code kwargsrepr_maxsize}. */
	static final int MAX_LENGTH = 1024;

	private PyRepr() {
	}

	static String args(List<?> args) {
		StringBuilder sb = new StringBuilder("(");
		join(sb, args);
		if (args.size() == 1) {
			sb.append(',');
		}
		return truncate(sb.append(')'));
	}

	static String kwargs(Map<String, ?> kwargs) {
		StringBuilder sb = new StringBuilder();
		map(sb, kwargs);
		return truncate(sb);
	}

	static String repr(@Nullable Object value) {
		StringBuilder sb = new StringBuilder();
		append(sb, value);
		return sb.toString();
	}

	private static String truncate(StringBuilder sb) {
		return (sb.length() <= MAX_LENGTH) ? sb.toString() : sb.substring(0, MAX_LENGTH - 3) + "...";
	}

	private static void append(StringBuilder sb, @Nullable Object value) {
		if (sb.length() > MAX_LENGTH) {
			return;
		}
		if (value == null) {
			sb.append("None");
		}
		else if (value instanceof Boolean b) {
			sb.append(b ? "True" : "False");
		}
		else if (value instanceof CharSequence s) {
			string(sb, s.toString());
		}
		else if (value instanceof Double || value instanceof Float) {
			sb.append(pyFloat(((Number) value).doubleValue()));
		}
		else if (value instanceof BigDecimal d) {
			sb.append(pyFloat(d.doubleValue()));
		}
		else if (value instanceof Number || value instanceof BigInteger) {
			sb.append(value);
		}
		else if (value instanceof Map<?, ?> m) {
			map(sb, m);
		}
		else if (value instanceof Collection<?> c) {
			sb.append('[');
			join(sb, c);
			sb.append(']');
		}
		else if (value instanceof Object[] array) {
			sb.append('[');
			join(sb, List.of(array));
			sb.append(']');
		}
		else if (value instanceof Enum<?> e) {
			string(sb, e.name());
		}
		else {
			sb.append(value);
		}
	}

	private static void join(StringBuilder sb, Collection<?> values) {
		Iterator<?> it = values.iterator();
		while (it.hasNext()) {
			append(sb, it.next());
			if (it.hasNext()) {
				sb.append(", ");
			}
		}
	}

	private static void map(StringBuilder sb, Map<?, ?> map) {
		sb.append('{');
		Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
		while (it.hasNext()) {
			Map.Entry<?, ?> entry = it.next();
			append(sb, entry.getKey());
			sb.append(": ");
			append(sb, entry.getValue());
			if (it.hasNext()) {
				sb.append(", ");
			}
		}
		sb.append('}');
	}

	private static void string(StringBuilder sb, String s) {
		char quote = (s.indexOf('\'') >= 0 && s.indexOf('"') < 0) ? '"' : '\'';
		sb.append(quote);
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == quote || c == '\\') {
				sb.append('\\').append(c);
			}
			else if (c == '\n') {
				sb.append("\\n");
			}
			else if (c == '\r') {
				sb.append("\\r");
			}
			else if (c == '\t') {
				sb.append("\\t");
			}
			else if (c < 0x20 || c == 0x7f) {
				sb.append(String.format("\\x%02x", (int) c));
			}
			else {
				sb.append(c);
			}
		}
		sb.append(quote);
	}

	private static String pyFloat(double d) {
		if (Double.isNaN(d)) {
			return "nan";
		}
		if (Double.isInfinite(d)) {
			return (d > 0) ? "inf" : "-inf";
		}
		String s = Double.toString(d);
		int e = s.indexOf('E');
		if (e < 0) {
			return s;
		}
		// Java: 1.0E16, Python: 1e+16
		String mantissa = s.substring(0, e);
		if (mantissa.endsWith(".0")) {
			mantissa = mantissa.substring(0, mantissa.length() - 2);
		}
		int exponent = Integer.parseInt(s.substring(e + 1));
		return mantissa + "e" + ((exponent < 0) ? "-" : "+") + String.format("%02d", Math.abs(exponent));
	}

}
