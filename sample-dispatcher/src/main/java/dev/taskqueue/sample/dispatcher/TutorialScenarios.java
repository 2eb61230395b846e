package dev.taskqueue.sample.dispatcher;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskRequest;

/**
 * The calls of the tutorial, in its order. Add a scenario by adding an element: the
 * runner runs them one after another, and a later one may use an earlier one's task id
 * ({@link ScenarioContext#taskIdOf}).
 */
public final class TutorialScenarios {

	private static final Duration COUNTDOWN = Duration.ofSeconds(2);

	private TutorialScenarios() {
	}

	/**
	 * Return the scenarios, in order.
	 * @return the scenarios, in order
	 */
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
				new Scenario("d",
						"app.send_task('worker.divide', args=[1, 0], link_error=app.signature('worker.error_handler'))",
						"client.send(TaskRequest.builder(\"worker.divide\").args(List.of(1, 0))"
								+ ".linkError(Signature.of(\"worker.error_handler\")).build())  # shows the errback",
						(context) -> {
							String errbackId = UUID.randomUUID().toString();
							context.client()
								.send(TaskRequest.builder("worker.divide")
									.args(List.of(1, 0))
									.linkError(Signature.of("worker.error_handler").withTaskId(errbackId))
									.build());
							return context.client().result(errbackId);
						},
						Expectation.successWithEntries("{state=FAILURE, name=worker.divide, args=[1, 0]}",
								(context) -> Map.of("state", "FAILURE", "name", "worker.divide", "args",
										List.of(1, 0)))),
				new Scenario("e", "divide.apply_async((1, 2), countdown=2)",
						"client.send(TaskRequest.builder(\"worker.divide\").args(1, 2).countdown(2 s).build())",
						(context) -> context.client()
							.send(TaskRequest.builder("worker.divide").args(1, 2).countdown(COUNTDOWN).build()),
						Expectation.success(0.5).notBefore(COUNTDOWN)),
				new Scenario("f", "divide.apply_async(kwargs={'x': 16, 'y': 2})",
						"client.send(TaskRequest.builder(\"worker.divide\").kwarg(\"x\", 16).kwarg(\"y\", 2).build())",
						(context) -> context.client()
							.send(TaskRequest.builder("worker.divide").kwarg("x", 16).kwarg("y", 2).build()),
						Expectation.success(8.0)),
				new Scenario("g", "divide.apply_async((16, 2), link=divide.s(8))",
						"client.send(TaskRequest.builder(\"worker.divide\").args(16, 2)"
								+ ".link(Signature.of(\"worker.divide\", 8)).build())  # shows the callback",
						(context) -> {
							String callbackId = UUID.randomUUID().toString();
							context.client()
								.send(TaskRequest.builder("worker.divide")
									.args(16, 2)
									.link(Signature.of("worker.divide", 8).withTaskId(callbackId))
									.build());
							return context.client().result(callbackId);
						}, Expectation.success(1.0)));
	}

}
