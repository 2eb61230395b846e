package dev.taskqueue.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Annotation for a test class (a {@code @SpringBootTest}, or any test with an application
 * context built by Spring's TestContext framework) whose taskqueue
 * {@link dev.taskqueue.client.TaskClient} records the tasks it sends, runs them in the
 * test's JVM, or uses the real broker, as {@link #mode()} says. The application's
 * {@link dev.taskqueue.worker.QueueTask @QueueTask} beans and {@code taskqueue.*}
 * properties apply in every mode.
 * <p>
 * In the {@link TaskQueueTestMode#RECORD record} and {@link TaskQueueTestMode#INLINE
 * inline} modes nothing connects to RabbitMQ or Redis: the worker does not consume, and
 * results are kept in memory. The context then has a {@link TaskRecorder} and a
 * {@link TestClock} to inject. <pre class="code">
 * &#64;SpringBootTest
 * &#64;AutoConfigureTaskQueue(mode = TaskQueueTestMode.INLINE)
 * class OrderServiceTests {
 *
 *     &#64;Autowired
 *     OrderService orders;
 *
 *     &#64;Autowired
 *     TaskRecorder recorder;
 *
 *     &#64;Test
 *     void placingAnOrderSendsTheInvoice() {
 *         this.orders.place(42);
 *         assertThat(this.recorder).sent("billing.invoice").withArgs(42).onQueue("billing");
 *     }
 *
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@PropertyMapping("taskqueue.test")
public @interface AutoConfigureTaskQueue {

	/**
	 * What the client does with the tasks it sends; the property
	 * {@code taskqueue.test.mode} sets it too.
	 * @return the mode
	 */
	TaskQueueTestMode mode() default TaskQueueTestMode.RECORD;

}
