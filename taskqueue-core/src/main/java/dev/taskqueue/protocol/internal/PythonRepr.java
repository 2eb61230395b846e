package dev.taskqueue.protocol.internal;

import java.util.List;
import java.util.Map;

import dev.taskqueue.protocol.TaskSerializer;
import org.jspecify.annotations.Nullable;

/**
 * Python's text forms of values, as Celery writes them where a receiver shows or parses
 * Python text rather than JSON: monitoring events ({@code args}, {@code kwargs},
 * {@code result}) and remote-control replies. Values are the JSON-like model of
 * {@link TaskSerializer}; anything else is shown with {@code toString()}.
 */
public final class PythonRepr {

	/**
	 * Celery's {@code argsrepr_maxsize}, {@code kwargsrepr_maxsize} and
	 * {@code resultrepr_maxsize}.
	 */
	public static final int MAX_LENGTH = PyRepr.MAX_LENGTH;

	private PythonRepr() {
	}

	/**
	 * Python's {@code repr}: {@code None}, {@code True}, {@code 'text'}, {@code [1, 2]},
	 * <code>{'k': 1.5}</code>.
	 * @param value the value
	 * @return the text
	 */
	public static String repr(@Nullable Object value) {
		return PyRepr.repr(value);
	}

	/**
	 * Celery's {@code saferepr(value, 1024)}, as it writes a task's result into
	 * {@code task-succeeded}.
	 * @param value the value
	 * @return the text, at most about {@value #MAX_LENGTH} characters
	 */
	public static String saferepr(@Nullable Object value) {
		return PyRepr.saferepr(value, MAX_LENGTH);
	}

	/**
	 * The {@code argsrepr} of positional arguments: a tuple, {@code (2, 3)},
	 * {@code (40,)}.
	 * @param args the arguments
	 * @return the text
	 */
	public static String args(List<?> args) {
		return PyRepr.args(args);
	}

	/**
	 * The {@code kwargsrepr} of keyword arguments: <code>{'x': 5}</code>.
	 * @param kwargs the keyword arguments
	 * @return the text
	 */
	public static String kwargs(Map<String, ?> kwargs) {
		return PyRepr.kwargs(kwargs);
	}

}
