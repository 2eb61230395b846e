package dev.taskqueue.control.internal;

import java.util.Collection;
import java.util.Iterator;

import dev.taskqueue.protocol.internal.PythonRepr;
import org.jspecify.annotations.Nullable;

/**
 * The Python text Celery's tools show or parse where a reply or event carries text rather
 * than JSON: exception reprs, set reprs and {@code str()} of values.
 */
public final class PythonText {

	private PythonText() {
	}

	/**
	 * An exception as Python's {@code repr} shows it, e.g.
	 * {@code ZeroDivisionError('division by zero')}: a Java exception by its simple class
	 * name, e.g. {@code ArithmeticException('/ by zero')}.
	 * @param exception the exception
	 * @return the text
	 */
	public static String exception(Throwable exception) {
		return exception(exception.getClass().getSimpleName(), exception.getMessage());
	}

	/**
	 * An exception of a Python type, e.g. {@code KeyError('nosuch')}.
	 * @param type the type name
	 * @param message the message, or {@code null} for none
	 * @return the text
	 */
	public static String exception(String type, @Nullable String message) {
		return type + "(" + ((message != null) ? PythonRepr.repr(message) : "") + ")";
	}

	/**
	 * A set of strings as Python shows it: <code>{'a', 'b'}</code>, or {@code set()}.
	 * @param values the strings
	 * @return the text
	 */
	public static String set(Collection<String> values) {
		if (values.isEmpty()) {
			return "set()";
		}
		StringBuilder text = new StringBuilder("{");
		Iterator<String> it = values.iterator();
		while (it.hasNext()) {
			text.append(PythonRepr.repr(it.next()));
			if (it.hasNext()) {
				text.append(", ");
			}
		}
		return text.append('}').toString();
	}

	/**
	 * Python's {@code str()}: text as it is, anything else as its repr ({@code True},
	 * {@code 3}, {@code 2.5}, {@code None}).
	 * @param value the value
	 * @return the text
	 */
	public static String str(@Nullable Object value) {
		return (value instanceof CharSequence text) ? text.toString() : PythonRepr.repr(value);
	}

}
