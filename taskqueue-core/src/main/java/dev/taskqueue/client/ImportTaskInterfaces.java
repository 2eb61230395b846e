package dev.taskqueue.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.taskqueue.client.internal.TaskInterfacesRegistrar;

import org.springframework.context.annotation.Import;

/**
 * Makes task interfaces ({@link TaskExchange}) beans, as Spring Boot's
 * {@code @ImportHttpServices} does for HTTP service interfaces. Each bean is a proxy that
 * sends through the application's {@link TaskClient}. <pre class="code">
 * &#64;SpringBootApplication
 * &#64;ImportTaskInterfaces(MathTasks.class)
 * class Application {
 * }
 * </pre> Interfaces listed in {@link #types()} are imported as they are; in the scanned
 * packages, interfaces annotated with {@code @TaskExchange} are. Each proxy is the
 * primary bean of its interface's type, so a worker bean of the same application that
 * implements the interface is injected by its own class.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(TaskInterfacesRegistrar.class)
public @interface ImportTaskInterfaces {

	/**
	 * Alias for {@link #types()}.
	 * @return the task interfaces
	 */
	Class<?>[] value() default {};

	/**
	 * The task interfaces to import.
	 * @return the task interfaces
	 */
	Class<?>[] types() default {};

	/**
	 * Packages to scan for interfaces annotated with {@link TaskExchange}.
	 * @return the packages
	 */
	String[] basePackages() default {};

	/**
	 * Classes whose packages are scanned for interfaces annotated with
	 * {@link TaskExchange}.
	 * @return the classes
	 */
	Class<?>[] basePackageClasses() default {};

}
