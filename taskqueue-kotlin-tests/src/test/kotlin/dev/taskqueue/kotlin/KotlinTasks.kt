package dev.taskqueue.kotlin

import dev.taskqueue.client.Signature
import dev.taskqueue.client.TaskCallOptions
import dev.taskqueue.client.TaskExchange
import dev.taskqueue.client.TaskResult
import dev.taskqueue.worker.QueueTask
import java.util.concurrent.CompletableFuture

data class Point(val x: Int, val y: Int)

/** A task interface written in Kotlin, implemented by a Kotlin worker. */
@TaskExchange("kotlin.geometry")
interface Geometry {

    fun divide(x: Double, y: Double): Double

    @TaskExchange(arguments = TaskExchange.ArgumentStyle.KEYWORD)
    fun scale(point: Point, factor: Double): Point

}

/** A Kotlin worker implementing the interface: its tasks take the interface's names. */
class GeometryWorker : Geometry {

    @QueueTask
    override fun divide(x: Double, y: Double): Double = x / y

    @QueueTask
    override fun scale(point: Point, factor: Double): Point =
        Point((point.x * factor).toInt(), (point.y * factor).toInt())

}

/** The calls a Kotlin dispatcher makes: nullability and parameter names are Kotlin's. */
@TaskExchange
interface GeometryCalls {

    @TaskExchange(arguments = TaskExchange.ArgumentStyle.KEYWORD)
    fun label(point: Point, caption: String?): TaskResult

    fun diagonal(size: Int): CompletableFuture<List<Point>>

    @TaskExchange("kotlin.geometry.divide")
    fun divideStep(x: Double, y: Double, options: TaskCallOptions?): Signature

}

/** A Kotlin task class that implements no interface. */
class Greeter {

    @QueueTask("kotlin.greet")
    fun greet(name: String, greeting: String): String = "$greeting, $name"

}
