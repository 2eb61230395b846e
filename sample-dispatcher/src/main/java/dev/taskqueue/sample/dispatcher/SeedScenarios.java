package dev.taskqueue.sample.dispatcher;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.taskqueue.client.TaskRequest;

/**
 * The calls of the seed article, in its order. Add a scenario by adding an element: the runner
 * runs them one after another, and a later one may use an earlier one's task id
 * ({@link ScenarioContext#taskIdOf}).
 */
public final class SeedScenarios {

	private static final Duration COUNTDOWN = Duration.ofSeconds(2);

	private SeedScenarios() {
	}

	/** @return the scenarios, in order */
	public static List<Scenario> all() {
		return List.of(
				new Scenario("a", "divide.delay(1, 2)", "client.send(\"worker.divide\", 1, 2)",
						(context) -> context.client().send("worker.divide", 1, 2), Expectation.success(0.5)),
				new Scenario("b", "divide.apply_async((1, 2))",
						"client.send(TaskRequest.builder(\"worker.divide\").args(1, 2).build())",
						(context) -> context.client().send(TaskRequest.builder("worker.divide").args(1, 2).build()),
						Expectation.success(0.5)),
				new Scenario("c", "app.send_task('worker.divide', args=[1, 0])",
						"client.send(TaskRequest.builder(\"worker.divide\").args(List.of(1, 0)).build())",
						(context) -> context.client()
							.send(TaskRequest.builder("worker.divide").args(List.of(1, 0)).build()),
						Expectation.failure("ArithmeticException", "division by zero")),
				// The seed's link_error=error_handler.s(): until links arrive, the dispatcher
				// calls the errback itself with the failed task's id, as Celery would.
				new Scenario("d", "error_handler.delay(<id of c>)  # the seed's link_error=error_handler.s()",
						"client.send(\"worker.error_handler\", <id of c>)",
						(context) -> context.client().send("worker.error_handler", context.taskIdOf("c")),
						Expectation.successWithEntries("{failed_task_id=<id of c>, state=FAILURE}",
								(context) -> Map.of("failed_task_id", context.taskIdOf("c"), "state", "FAILURE"))),
				new Scenario("e", "divide.apply_async((1, 2), countdown=2)",
						"client.send(TaskRequest.builder(\"worker.divide\").args(1, 2).countdown(2 s).build())",
						(context) -> context.client()
							.send(TaskRequest.builder("worker.divide").args(1, 2).countdown(COUNTDOWN).build()),
						Expectation.success(0.5).notBefore(COUNTDOWN)),
				new Scenario("f", "divide.apply_async(kwargs={'x': 16, 'y': 2})",
						"client.send(TaskRequest.builder(\"worker.divide\").kwarg(\"x\", 16).kwarg(\"y\", 2).build())",
						(context) -> context.client()
							.send(TaskRequest.builder("worker.divide").kwarg("x", 16).kwarg("y", 2).build()),
						Expectation.success(8.0)));
	}

}
