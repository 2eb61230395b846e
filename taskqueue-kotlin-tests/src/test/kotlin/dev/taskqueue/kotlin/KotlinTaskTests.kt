package dev.taskqueue.kotlin

import dev.taskqueue.client.CanvasCall
import dev.taskqueue.client.GroupResult
import dev.taskqueue.client.Signature
import dev.taskqueue.client.TaskCallOptions
import dev.taskqueue.client.TaskClient
import dev.taskqueue.client.TaskInterfaceFactory
import dev.taskqueue.client.TaskRecord
import dev.taskqueue.client.TaskRequest
import dev.taskqueue.client.TaskResult
import dev.taskqueue.result.TaskState
import dev.taskqueue.worker.internal.QueueTaskBeanPostProcessor
import dev.taskqueue.worker.internal.TaskRegistry
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatIllegalArgumentException
import org.junit.jupiter.api.Test
import tools.jackson.databind.json.JsonMapper
import java.lang.reflect.InvocationTargetException
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CompletableFuture

/**
 * Kotlin task classes and task interfaces: parameter names from `-java-parameters`,
 * nullability from Kotlin's types, results converted to Kotlin data classes.
 */
class KotlinTaskTests {

    private val mapper = JsonMapper.builder().build()

    private val registry = TaskRegistry()

    private val processor = QueueTaskBeanPostProcessor(registry, mapper)

    private val client = RecordingClient()

    private val factory = TaskInterfaceFactory(client, mapper, Duration.ofSeconds(5))

    @Test
    fun kotlinTaskBindsKeywordArgumentsByItsParameterNames() {
        processor.postProcessAfterInitialization(Greeter(), "greeter")
        val task = registry.get("kotlin.greet")!!
        assertThat(task.argumentNames).containsExactly("name", "greeting")
        val values = task.bind(listOf<Any>(), mapOf("greeting" to "Hi", "name" to "Ada"), mapper, null) {
            throw IllegalStateException("no failures here")
        }
        assertThat(task.invoke(values)).isEqualTo("Hi, Ada")
    }

    @Test
    fun kotlinWorkerTakesTheTaskNamesOfTheKotlinInterfaceItImplements() {
        processor.postProcessAfterInitialization(GeometryWorker(), "geometry")
        assertThat(registry.get("kotlin.geometry.divide")).isNotNull()
        assertThat(registry.get("kotlin.geometry.scale")!!.argumentNames).containsExactly("point", "factor")
        processor.check(Geometry::class.java)
    }

    @Test
    fun kotlinInterfaceSendsKeywordArgumentsNamedAfterItsParameters() {
        factory.createClient(Geometry::class.java).scale(Point(1, 2), 3.0)
        assertThat(client.sent.last().kwargs).containsOnlyKeys("point", "factor")
    }

    @Test
    fun kotlinInterfaceConvertsResultsToDataClasses() {
        client.result = mapOf("x" to 3, "y" to 6)
        assertThat(factory.createClient(Geometry::class.java).scale(Point(1, 2), 3.0)).isEqualTo(Point(3, 6))
        client.result = listOf(mapOf("x" to 0, "y" to 0), mapOf("x" to 1, "y" to 1))
        assertThat(factory.createClient(GeometryCalls::class.java).diagonal(2).join())
            .containsExactly(Point(0, 0), Point(1, 1))
    }

    @Test
    fun nullableKotlinParameterAcceptsNull() {
        factory.createClient(GeometryCalls::class.java).label(Point(1, 1), null)
        assertThat(client.sent.last().kwargs).containsEntry("caption", null)
    }

    @Test
    fun nonNullKotlinParameterRejectsNullFromJavaBeforeSending() {
        val calls = factory.createClient(GeometryCalls::class.java)
        val label = GeometryCalls::class.java.getMethod("label", Point::class.java, String::class.java)
        val failure = runCatching { label.invoke(calls, null, "caption") }.exceptionOrNull()
        assertThat(failure).isInstanceOf(InvocationTargetException::class.java)
        assertThatIllegalArgumentException().isThrownBy { throw (failure as InvocationTargetException).targetException }
            .withMessageContaining("Argument 0 of dev.taskqueue.kotlin.GeometryCalls.label(Point, String)")
            .withMessageContaining("not @Nullable")
        assertThat(client.sent).isEmpty()
    }

    @Test
    fun kotlinSignatureWithNullOptions() {
        val signature = factory.createClient(GeometryCalls::class.java).divideStep(8.0, 2.0, null)
        assertThat(signature.taskName).isEqualTo("kotlin.geometry.divide")
        assertThat(signature.args).containsExactly(8.0, 2.0)
    }

    /** A client that keeps what it sends and answers with one result. */
    class RecordingClient : TaskClient {

        val sent = mutableListOf<TaskRequest>()

        var result: Any? = null

        override fun send(name: String, vararg args: Any?): TaskResult =
            send(TaskRequest.builder(name).args(*args).build())

        override fun send(request: TaskRequest): TaskResult {
            sent.add(request)
            return result("task-" + sent.size)
        }

        override fun result(taskId: String): TaskResult {
            val value = result
            return object : TaskResult {
                override fun getId() = taskId
                override fun getRecord() = TaskRecord(taskId, TaskState.SUCCESS, value, null, null, Instant.now(),
                    null, null, null, null, null, null, null, null)
                override fun revoke() {}
                override fun revoke(terminate: Boolean) {}
                override fun <T : Any> get(timeout: Duration, type: Class<T>): T? = type.cast(value)
                override fun <T : Any> toFuture(type: Class<T>): CompletableFuture<T?> =
                    CompletableFuture.completedFuture(type.cast(value))
            }
        }

        override fun revoke(taskId: String, terminate: Boolean) {}

        override fun chain(vararg steps: Signature): CanvasCall<TaskResult> = throw UnsupportedOperationException()

        override fun chain(steps: List<Signature>): CanvasCall<TaskResult> = throw UnsupportedOperationException()

        override fun group(vararg members: Signature): CanvasCall<GroupResult> = throw UnsupportedOperationException()

        override fun group(members: List<Signature>): CanvasCall<GroupResult> = throw UnsupportedOperationException()

        override fun chord(header: List<Signature>, body: Signature): CanvasCall<TaskResult> =
            throw UnsupportedOperationException()

        override fun restoreGroup(groupId: String): GroupResult? = null

    }

}
