package dev.taskqueue.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Declares a method of a task interface as a call of a task, by the task's name: the name
 * is the contract between sender and worker, in any language, and survives renaming the
 * Java method. Make the interface a bean with {@link ImportTaskInterfaces} (or create it
 * with {@link TaskInterfaceFactory}). <pre class="code">
 * &#64;TaskExchange(queue = "math")
 * interface MathTasks {
 *
 *     &#64;TaskExchange("worker.divide")
 *     double divide(double x, double y);
 *
 * }
 * </pre> The method's return type chooses what a call does:
 * <ul>
 * <li>{@code void}: send the task and return once the broker has confirmed it;</li>
 * <li>{@link TaskResult}: send it and return its handle;</li>
 * <li>{@code CompletableFuture<T>}: send it and return a future of its result converted
 * to {@code T} (generic types such as {@code List<Point>} included);</li>
 * <li>{@link Signature}: send nothing, return the call as a signature for a chain, group
 * or chord;</li>
 * <li>any other type {@code T}: send it and wait for its result (up to the
 * {@link #timeout()}), failures thrown as {@link TaskFailedException} and
 * {@link TaskTimeoutException}.</li>
 * </ul>
 * A last parameter of type {@link TaskCallOptions} is not an argument of the task: it
 * sets this call's options, over the method's and the interface's.
 * <p>
 * On the interface, the attributes are the defaults of its methods, and a name is a
 * prefix: {@code @TaskExchange("worker")} on the interface and
 * {@code @TaskExchange("divide")} on a method call {@code worker.divide}. A method with
 * no name calls the task named by the interface's fully qualified name and the method
 * name, as a {@code @QueueTask} is named by default.
 * <p>
 * Named {@code TaskExchange} after Spring's {@code @HttpExchange}, which does the same
 * for HTTP; {@code @Task} would clash with the many {@code Task} types applications
 * already have, and {@code @QueueTask} marks the method that runs the task, not the one
 * that calls it. A worker may implement the interface with its {@code @QueueTask}
 * methods: those then take the interface's task names.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskExchange {

	/**
	 * Alias for {@link #name()}.
	 * @return the task name, or the prefix of its methods' names on an interface
	 */
	@AliasFor("name")
	String value() default "";

	/**
	 * The task name (on an interface: the prefix of its methods' task names, joined with
	 * a dot).
	 * @return the task name
	 */
	@AliasFor("value")
	String name() default "";

	/**
	 * The queue to send to; empty for the interface's, then the task's route
	 * ({@code taskqueue.routes}, the task's {@code @QueueTask(queue)} or the default
	 * queue).
	 * @return the queue
	 */
	String queue() default "";

	/**
	 * The message priority (0-255); {@code -1} for the interface's, then none.
	 * @return the priority
	 */
	int priority() default -1;

	/**
	 * How many seconds after sending the task may run at the earliest (Celery's
	 * {@code countdown}); {@code -1} for the interface's, then none.
	 * @return the countdown in seconds
	 */
	double countdown() default -1;

	/**
	 * How many seconds after sending the task expires (Celery's {@code expires}); a
	 * worker that receives it later does not run it. {@code -1} for the interface's, then
	 * none.
	 * @return the time to live in seconds
	 */
	double expires() default -1;

	/**
	 * The serializer to send with ({@code json}, {@code msgpack}, an application's own
	 * serializer name or a content type); empty for the interface's, then the task's or
	 * the client's.
	 * @return the serializer
	 */
	String serializer() default "";

	/**
	 * How many seconds a method that returns the result waits for it; {@code -1} for the
	 * interface's, then the factory's ({@code taskqueue.task-interfaces.timeout} with
	 * Spring Boot).
	 * @return the timeout in seconds
	 */
	double timeout() default -1;

	/**
	 * How the method's parameters travel: as positional arguments (Celery's {@code args},
	 * the default) or as keyword arguments named after the parameters (Celery's
	 * {@code kwargs}).
	 * @return the argument style
	 */
	ArgumentStyle arguments() default ArgumentStyle.DEFAULT;

	/**
	 * How a task interface method passes its parameters.
	 */
	enum ArgumentStyle {

		/**
		 * The interface's style on a method; {@link #POSITIONAL} on an interface.
		 */
		DEFAULT,

		/**
		 * Positional arguments, in parameter order (Celery's {@code task.delay(x, y)}):
		 * what a Celery task written as {@code def divide(x, y)} and a {@code @QueueTask}
		 * both take, whatever their parameter names.
		 */
		POSITIONAL,

		/**
		 * Keyword arguments named after the parameters (Celery's
		 * {@code task.delay(x=1, y=2)}): robust against reordered parameters, but the
		 * names are then part of the contract, and the interface must be compiled with
		 * {@code -parameters}.
		 */
		KEYWORD

	}

}
