package dev.taskqueue.worker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.taskqueue.ratelimit.RateLimitScope;
import dev.taskqueue.worker.internal.QueueTaskReflectiveProcessor;

import org.springframework.aot.hint.annotation.Reflective;
import org.springframework.core.annotation.AliasFor;

/**
 * Marks a method of a Spring bean as a task (Celery's {@code @app.task}). Workers that
 * consume the task's queue run it when a message names it; clients send it by name.
 * <p>
 * Positional arguments bind to the parameters in order and keyword arguments by parameter
 * name (compile with {@code -parameters}: without the names, a task that takes arguments
 * fails at start-up); Jackson converts each value to the declared type. The return value
 * is the task's result ({@code void} gives {@code null}). <pre class="code">
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
@Reflective(QueueTaskReflectiveProcessor.class)
public @interface QueueTask {

	/**
	 * Alias for {@link #name()}.
	 * @return the task name
	 */
	@AliasFor("name")
	String value() default "";

	/**
	 * The task name that senders use. Defaults to the name of the task interface method
	 * ({@link dev.taskqueue.client.TaskExchange}) this method implements, if any, else to
	 * the fully qualified name of the declaring class, a dot and the method name (e.g.
	 * {@code com.example.Reports.render}), as Celery names a task by module and function.
	 * @return the task name
	 */
	@AliasFor("value")
	String name() default "";

	/**
	 * The queue the task is sent to when no route in {@code taskqueue.routes} names one.
	 * Defaults to {@code taskqueue.default-queue}.
	 * @return the queue name
	 */
	String queue() default "";

	/**
	 * Whether to store no result (Celery's {@code ignore_result}). Failures are still
	 * stored when {@code taskqueue.result.store-errors-even-if-ignored} is set.
	 * @return whether the result is ignored
	 */
	boolean ignoreResult() default false;

	/**
	 * How often each worker may start this task (Celery's {@code rate_limit}):
	 * {@code "10/s"}, {@code "100/m"}, {@code "1000/h"}, or a plain number per second.
	 * Empty for no limit. {@code taskqueue.tasks.<name>.rate-limit} overrides it.
	 * @return the rate limit
	 */
	String rateLimit() default "";

	/**
	 * How many starts of this task may follow each other without spacing after an idle
	 * period (the token bucket's capacity); 1, the default, spaces every start one
	 * interval apart, as Celery does. Only with a {@link #rateLimit()};
	 * {@code taskqueue.tasks.<name>.rate-limit} (with its {@code rate-limit-burst})
	 * overrides it.
	 * @return the burst
	 */
	int rateLimitBurst() default 1;

	/**
	 * Where the {@link #rateLimit()} is enforced: by each worker on its own
	 * ({@link RateLimitScope#WORKER}, Celery's semantics) or for all workers together
	 * ({@link RateLimitScope#CLUSTER}, a token bucket in Redis).
	 * @return the scope
	 */
	RateLimitScope rateLimitScope() default RateLimitScope.WORKER;

	/**
	 * How many times the task may be retried (Celery's {@code max_retries}); {@code -1}
	 * for no limit. Past it the task ends {@code FAILURE} with its last exception.
	 * @return the maximum number of retries
	 */
	int maxRetries() default 3;

	/**
	 * Exceptions that retry the task automatically (Celery's {@code autoretry_for}).
	 * @return the exception types
	 */
	Class<? extends Throwable>[] autoRetryFor() default {};

	/**
	 * Exceptions that never retry the task automatically, even when they match
	 * {@link #autoRetryFor()} (Celery's {@code dont_autoretry_for}).
	 * @return the exception types
	 */
	Class<? extends Throwable>[] dontAutoRetryFor() default {};

	/**
	 * Whether automatic retries wait exponentially longer: 1 s, 2 s, 4 s, ... (Celery's
	 * {@code retry_backoff}).
	 * @return whether to back off
	 */
	boolean retryBackoff() default false;

	/**
	 * The longest exponential retry delay, in seconds (Celery's
	 * {@code retry_backoff_max}).
	 * @return the maximum delay in seconds
	 */
	long retryBackoffMax() default 600;

	/**
	 * Whether exponential retry delays are drawn at random between zero and the delay
	 * (Celery's {@code retry_jitter}).
	 * @return whether to add jitter
	 */
	boolean retryJitter() default true;

	/**
	 * The retry delay without back-off, in seconds (Celery's
	 * {@code default_retry_delay}).
	 * @return the delay in seconds
	 */
	long defaultRetryDelay() default 180;

	/**
	 * Listeners for this task only, in addition to the {@link TaskListener} beans. A
	 * listener class that is a bean is taken from the application context; otherwise it
	 * is created with its no-argument constructor.
	 * @return the listener types
	 */
	Class<? extends TaskListener>[] listeners() default {};

	/**
	 * The serializer this task is sent with by this application's client (Celery's
	 * {@code Task.serializer}): {@code json}, {@code msgpack}, an application's own
	 * serializer's name, or a content type. Defaults to {@code taskqueue.serializer};
	 * {@code taskqueue.tasks.<name>.serializer} and a request's own choice win over it.
	 * The workers must accept it ({@code taskqueue.accept-content}). Results are written
	 * in {@code taskqueue.result.serializer} whatever the task's serializer.
	 * @return the serializer, or {@code ""} for the default
	 */
	String serializer() default "";

	/**
	 * The hard time limit in seconds (Celery's {@code time_limit}); {@code 0} for the
	 * worker's default ({@code taskqueue.worker.time-limit}). A task still running at it
	 * ends {@code FAILURE} with {@code TimeLimitExceeded}; the worker abandons its thread
	 * and goes on. {@code taskqueue.tasks.<name>.time-limit} and the message's
	 * {@code timelimit} header win.
	 * @return the hard time limit in seconds
	 */
	double timeLimit() default 0;

	/**
	 * The soft time limit in seconds (Celery's {@code soft_time_limit}); {@code 0} for
	 * the worker's default ({@code taskqueue.worker.soft-time-limit}). At it the task's
	 * thread is interrupted; a task that then throws ends {@code FAILURE} with
	 * {@code SoftTimeLimitExceeded}. {@code taskqueue.tasks.<name>.soft-time-limit} and
	 * the message's {@code timelimit} header win.
	 * @return the soft time limit in seconds
	 */
	double softTimeLimit() default 0;

}
