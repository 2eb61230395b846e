package dev.taskqueue.result;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * An exception as Celery encodes it in a result: {@code exc_type}, {@code exc_message}
 * (the exception's args) and {@code exc_module}, plus the traceback kept beside it.
 *
 * @param type the exception type's simple name (e.g. {@code ZeroDivisionError},
 * {@code ArithmeticException})
 * @param module the module or package (e.g. {@code builtins}, {@code java.lang}), or
 * {@code null}
 * @param messageArgs the exception's args; for Java exceptions the message alone
 * @param traceback the formatted traceback or stack trace, or {@code null}
 */
public record ExceptionInfo(String type, @Nullable String module, List<?> messageArgs, @Nullable String traceback) {

	/**
	 * Encode a Java exception.
	 * @param ex the exception
	 * @param traceback the stack trace text, or {@code null}
	 * @return the exception info
	 */
	public static ExceptionInfo of(Throwable ex, @Nullable String traceback) {
		if (ex instanceof CeleryType celery) {
			return new ExceptionInfo(celery.celeryType(), celery.celeryModule(), celery.celeryArgs(), traceback);
		}
		Class<?> type = ex.getClass();
		String module = (type.getPackageName().isEmpty()) ? null : type.getPackageName();
		String simpleName = type.getName()
			.substring(type.getPackageName().isEmpty() ? 0 : type.getPackageName().length() + 1);
		List<Object> args = new ArrayList<>(1);
		args.add(ex.getMessage());
		return new ExceptionInfo(simpleName, module, args, traceback);
	}

	/**
	 * Return the message, as Python prints {@code str(exc)}: the single arg, or the args
	 * joined.
	 * @return the message, as Python prints {@code str(exc)}: the single arg, or the args
	 * joined
	 */
	public String message() {
		if (this.messageArgs.size() == 1) {
			return String.valueOf(this.messageArgs.get(0));
		}
		return this.messageArgs.stream().map(String::valueOf).collect(Collectors.joining(", "));
	}

	/**
	 * Return the qualified type name ({@code module.type}), or the type alone without a
	 * module.
	 * @return the qualified type name ({@code module.type}), or the type alone without a
	 * module
	 */
	public String qualifiedType() {
		return (this.module == null || this.module.equals("builtins")) ? this.type : this.module + "." + this.type;
	}

	/**
	 * An exception that stands for one of Celery's own and is stored under that type's
	 * name and module, so a Python client raises the real Celery class (for example
	 * {@code billiard.exceptions.TimeLimitExceeded}, which {@code celery.exceptions}
	 * re-exports).
	 */
	public interface CeleryType {

		/**
		 * Return the Python type's name.
		 * @return the Python type's name
		 */
		String celeryType();

		/**
		 * Return the Python module that defines it.
		 * @return the Python module that defines it
		 */
		String celeryModule();

		/**
		 * Return the exception's args as Celery would store them.
		 * @return the exception's args as Celery would store them
		 */
		List<?> celeryArgs();

	}

}
