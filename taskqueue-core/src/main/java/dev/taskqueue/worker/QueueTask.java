package dev.taskqueue.worker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Marks a method of a Spring bean as a task (Celery's {@code @app.task}). Workers that consume
 * the task's queue run it when a message names it; clients send it by name.
 * <p>
 * Positional arguments bind to the parameters in order and keyword arguments by parameter name
 * (compile with {@code -parameters}); Jackson converts each value to the declared type. The return
 * value is the task's result ({@code void} gives {@code null}).
 * <pre class="code">
 * &#64;Component
 * class Worker {
 *
 *     &#64;QueueTask(name = "worker.divide", queue = "divide")
 *     double divide(double x, double y) {
 *         return x / y;
 *     }
 *
 * }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface QueueTask {

	/**
	 * Alias for {@link #name()}.
	 * @return the task name
	 */
	@AliasFor("name")
	String value() default "";

	/**
	 * The task name that senders use. Defaults to the fully qualified name of the declaring class,
	 * a dot and the method name (e.g. {@code com.example.Reports.render}), as Celery names a task
	 * by module and function.
	 * @return the task name
	 */
	@AliasFor("value")
	String name() default "";

	/**
	 * The queue the task is sent to when no route in {@code taskqueue.routes} names one. Defaults
	 * to {@code taskqueue.default-queue}.
	 * @return the queue name
	 */
	String queue() default "";

	/**
	 * Whether to store no result (Celery's {@code ignore_result}). Failures are still stored when
	 * {@code taskqueue.result.store-errors-even-if-ignored} is set.
	 * @return whether the result is ignored
	 */
	boolean ignoreResult() default false;

	/**
	 * How often each worker may start this task (Celery's {@code rate_limit}): {@code "10/s"},
	 * {@code "100/m"}, {@code "1000/h"}, or a plain number per second. Empty for no limit.
	 * {@code taskqueue.tasks.<name>.rate-limit} overrides it.
	 * @return the rate limit
	 */
	String rateLimit() default "";

}
