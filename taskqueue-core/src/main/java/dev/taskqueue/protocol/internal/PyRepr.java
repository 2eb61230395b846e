package dev.taskqueue.protocol.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The {@code argsrepr} and {@code kwargsrepr} headers as Celery writes them, and Python's
 * {@code repr} of JSON-like values for error messages.
 * <p>
 * Celery does not use {@code repr} for those headers but
 * {@code celery.utils.saferepr.saferepr} with a limit of 1024 characters, which differs
 * from it: strings are always in single quotes with only {@code '} escaped (as
 * {@code \'}), containers nested deeper than three levels show as {@code [...]} or
 * {@code {...}}, and past the limit each further token is cut at its last space and
 * marked {@code ...}, then {@code , ...} and the pending closing brackets end the text.
 * {@link #args(List)} and {@link #kwargs(Map)} reproduce that (Celery 5.2) token by
 * token. Values that are neither JSON scalars nor collections are shown with
 * {@code toString()}.
 */
final class PyRepr {

	/** Celery's {@code argsrepr_maxsize} and {@code kwargsrepr_maxsize}. */
	static final int MAX_LENGTH = 1024;

	/** saferepr's default {@code maxlevels}. */
	private static final int MAX_LEVELS = 3;

	private PyRepr() {
	}

	/**
	 * The {@code argsrepr} of positional arguments: {@code saferepr(tuple(args), 1024)}.
	 * @param args the arguments
	 * @return the text
	 */
	static String args(List<?> args) {
		return saferepr(new Tuple(args), MAX_LENGTH);
	}

	/**
	 * The {@code kwargsrepr} of keyword arguments: {@code saferepr(kwargs, 1024)}.
	 * @param kwargs the keyword arguments
	 * @return the text
	 */
	static String kwargs(Map<String, ?> kwargs) {
		return saferepr(kwargs, MAX_LENGTH);
	}

	/**
	 * Python's {@code repr} of a value (strings quoted and escaped as Python does), for
	 * diagnostics.
	 * @param value the value
	 * @return the text
	 */
	static String repr(@Nullable Object value) {
		StringBuilder sb = new StringBuilder();
		append(sb, value);
		return sb.toString();
	}

	// ---- saferepr
	// --------------------------------------------------------------------------

	/** The positional arguments, shown as a Python tuple. */
	private record Tuple(List<?> values) {
	}

	/**
	 * Literal text; {@code truncatable} separators are dropped after the limit, brackets
	 * kept.
	 */
	private record Literal(String value, boolean truncatable, int direction) {
	}

	/** A dict key, shown with its own saferepr. */
	private record Key(@Nullable Object value) {
	}

	/** A string value. */
	private record Quoted(String value) {
	}

	/** Any other text: numbers, None, elided containers. */
	private record Text(String value) {
	}

	private static final Literal LIST_SEP = new Literal(", ", true, 0);

	private static final Literal KV_SEP = new Literal(": ", true, 0);

	static String saferepr(@Nullable Object value, int maxLength) {
		Tokens tokens = new Tokens(value);
		StringBuilder out = new StringBuilder();
		int remaining = maxLength;
		boolean cut = false;
		Object token;
		while ((token = tokens.next()) != null) {
			if (remaining <= 0) {
				// The token that found the limit exhausted is dropped, even a closing
				// bracket.
				out.append(", ...");
				cut = true;
				break;
			}
			String text;
			if (token instanceof Literal literal) {
				text = literal.value();
			}
			else if (token instanceof Key key) {
				text = saferepr(key.value(), remaining);
			}
			else if (token instanceof Quoted quoted) {
				text = "'" + truncate(quoted.value(), remaining).replace("'", "\\'") + "'";
			}
			else {
				text = truncate(((Text) token).value(), remaining);
			}
			out.append(text);
			remaining -= length(text);
		}
		if (cut) {
			tokens.remainingClosers(out);
		}
		return out.toString();
	}

	/** Python's {@code celery.utils.text.truncate(s, maxlen)}, counting code points. */
	private static String truncate(String s, int maxLength) {
		if (maxLength <= 0 || length(s) < maxLength) {
			return s;
		}
		String head = s.substring(0, s.offsetByCodePoints(0, maxLength));
		int space = head.lastIndexOf(' ');
		return ((space >= 0) ? head.substring(0, space) : head) + "...";
	}

	private static int length(String s) {
		return s.codePointCount(0, s.length());
	}

	/**
	 * saferepr's token stream: containers are opened lazily, so what is left when the
	 * limit is reached still holds the closing brackets of every open container.
	 */
	private static final class Tokens {

		private final Deque<Iterator<?>> stack = new ArrayDeque<>();

		private int level;

		Tokens(@Nullable Object value) {
			this.stack.push(Collections.singletonList(value).iterator());
		}

		/**
		 * Return the next token, or {@code null} at the end.
		 * @return the next token, or {@code null} at the end
		 */
		@Nullable Object next() {
			while (!this.stack.isEmpty()) {
				Iterator<?> it = this.stack.peek();
				if (!it.hasNext()) {
					this.stack.pop();
					continue;
				}
				Object item = it.next();
				if (item instanceof Literal literal) {
					this.level += literal.direction();
					return literal;
				}
				if (item instanceof Key) {
					return item;
				}
				Object token = scalar(item);
				if (token != null) {
					return token;
				}
				Literal start;
				Literal end;
				List<Object> items = new ArrayList<>();
				if (item instanceof Tuple tuple) {
					start = new Literal("(", false, 1);
					end = new Literal((tuple.values().size() == 1) ? ",)" : ")", false, -1);
					elements(items, tuple.values());
				}
				else if (item instanceof Map<?, ?> map) {
					start = new Literal("{", false, 1);
					end = new Literal("}", false, -1);
					int i = 0;
					for (Map.Entry<?, ?> entry : map.entrySet()) {
						if (i++ > 0) {
							items.add(LIST_SEP);
						}
						items.add(new Key(entry.getKey()));
						items.add(KV_SEP);
						items.add(entry.getValue());
					}
				}
				else {
					start = new Literal("[", false, 1);
					end = new Literal("]", false, -1);
					elements(items, (item instanceof Collection<?> c) ? c : Arrays.asList((Object[]) item));
				}
				if (this.level >= MAX_LEVELS) {
					return new Text(start.value() + "..." + end.value());
				}
				this.stack.push(List.of(end).iterator());
				this.stack.push(items.iterator());
				this.stack.push(List.of(start).iterator());
			}
			return null;
		}

		/** After the limit: the closing brackets still pending, innermost first. */
		void remainingClosers(StringBuilder out) {
			while (!this.stack.isEmpty()) {
				Iterator<?> it = this.stack.pop();
				while (it.hasNext()) {
					if (it.next() instanceof Literal literal && !literal.truncatable()) {
						out.append(literal.value());
					}
				}
			}
		}

		private static void elements(List<Object> items, Collection<?> values) {
			int i = 0;
			for (Object value : values) {
				if (i++ > 0) {
					items.add(LIST_SEP);
				}
				items.add(value);
			}
		}

		/**
		 * Return the token of a scalar, or {@code null} for a container.
		 * @return the token of a scalar, or {@code null} for a container
		 */
		private static @Nullable Object scalar(@Nullable Object value) {
			if (value == null) {
				return new Text("None");
			}
			if (value instanceof Boolean b) {
				return new Text(b ? "True" : "False");
			}
			if (value instanceof CharSequence || value instanceof Character) {
				return new Quoted(value.toString());
			}
			if (value instanceof Enum<?> e) {
				return new Quoted(e.name());
			}
			if (value instanceof Double || value instanceof BigDecimal) {
				return new Text(pyFloat(((Number) value).doubleValue()));
			}
			if (value instanceof Float f) {
				// Jackson writes a float as Float.toString does; Python reads that as a
				// double.
				return new Text(pyFloat(Double.parseDouble(f.toString())));
			}
			if (value instanceof Number) {
				return new Text(value.toString());
			}
			if (value instanceof Tuple || value instanceof Map || value instanceof Collection
					|| value instanceof Object[]) {
				return null;
			}
			return new Text(value.toString());
		}

	}

	// ---- repr
	// --------------------------------------------------------------------------------

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

	/**
	 * Python's {@code repr} of a float: the shortest digits that read back as the same
	 * double, in positional notation when the decimal exponent is in [-4, 16), else as
	 * {@code 1e+16}.
	 */
	static String pyFloat(double d) {
		if (Double.isNaN(d)) {
			return "nan";
		}
		if (Double.isInfinite(d)) {
			return (d > 0) ? "inf" : "-inf";
		}
		if (d == 0) {
			return (1 / d < 0) ? "-0.0" : "0.0";
		}
		BigDecimal exact = new BigDecimal(d);
		BigDecimal shortest = exact;
		for (int precision = 1; precision <= 17; precision++) {
			BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
			if (rounded.doubleValue() == d) {
				shortest = rounded;
				break;
			}
		}
		shortest = shortest.stripTrailingZeros();
		String digits = shortest.unscaledValue().abs().toString();
		// the position of the decimal point relative to the first digit, as Python's dtoa
		// has it
		int point = digits.length() - shortest.scale();
		String sign = (d < 0) ? "-" : "";
		if (point > -4 && point <= 16) {
			if (point <= 0) {
				return sign + "0." + "0".repeat(-point) + digits;
			}
			if (point >= digits.length()) {
				return sign + digits + "0".repeat(point - digits.length()) + ".0";
			}
			return sign + digits.substring(0, point) + "." + digits.substring(point);
		}
		int exponent = point - 1;
		String mantissa = (digits.length() == 1) ? digits : digits.charAt(0) + "." + digits.substring(1);
		return sign + mantissa + "e" + ((exponent < 0) ? "-" : "+") + String.format("%02d", Math.abs(exponent));
	}

}
