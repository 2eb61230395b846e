package dev.taskqueue.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.test.autoconfigure.TaskQueueTestAutoConfiguration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tutorial's scenarios give the same outcomes in the inline mode as on the real
 * RabbitMQ and Redis: one application with the same tasks and settings, started once in
 * each mode (the broker one with queues and keys of its own).
 */
class InlineAndBrokerModesIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final String ID = UUID.randomUUID().toString().substring(0, 8);

	private static final String DIVIDE = "divide-" + ID;

	private static final String ERROR = "error-" + ID;

	private static @Nullable ConfigurableApplicationContext inline;

	private static @Nullable ConfigurableApplicationContext broker;

	@BeforeAll
	static void start() {
		// Arguments, so that they win over application.properties.
		String[] settings = { "--taskqueue.routes.[worker.divide].queue=" + DIVIDE,
				"--taskqueue.routes.[worker.error_handler].queue=" + ERROR,
				"--taskqueue.worker.queues=" + DIVIDE + "," + ERROR,
				"--taskqueue.result.key-prefix=tq-modes-" + ID + "-", "--taskqueue.cluster.monitor-workers=false",
				"--taskqueue.worker.cluster-member=false" };
		inline = new SpringApplicationBuilder(SampleApplication.class, InlineMode.class).web(WebApplicationType.NONE)
			.properties("taskqueue.test.mode=inline")
			.run(settings);
		broker = new SpringApplicationBuilder(SampleApplication.class).web(WebApplicationType.NONE).run(settings);
	}

	@AfterAll
	static void stop() {
		if (broker != null) {
			broker.close();
		}
		if (inline != null) {
			inline.close();
		}
		Infrastructure.deleteQueues(DIVIDE, ERROR);
	}

	static List<Scenario> scenarios() {
		return List.of(new Scenario("divide(1, 2)", "SUCCESS 0.5", (modes) -> modes.client.send("worker.divide", 1, 2)),
				new Scenario("divide(x=16, y=2)", "SUCCESS 8.0",
						(modes) -> modes.client
							.send(TaskRequest.builder("worker.divide").kwarg("x", 16).kwarg("y", 2).build())),
				new Scenario("divide(1, 0)", "FAILURE ArithmeticException",
						(modes) -> modes.client.send("worker.divide", 1, 0)),
				new Scenario("divide(16, 2) link divide(8)", "SUCCESS 1.0", (modes) -> {
					String callbackId = UUID.randomUUID().toString();
					modes.client.send(TaskRequest.builder("worker.divide")
						.args(16, 2)
						.link(Signature.of("worker.divide", 8).withTaskId(callbackId))
						.build());
					modes.advance.accept(Duration.ofSeconds(1));
					return modes.client.result(callbackId);
				}), new Scenario("divide(1, 0) link_error error_handler", Map.of("state", "FAILURE", "type",
						"ArithmeticException", "name", "worker.divide", "args", List.of(1, 0)), (modes) -> {
							String errbackId = UUID.randomUUID().toString();
							modes.client.send(TaskRequest.builder("worker.divide")
								.args(List.of(1, 0))
								.linkError(Signature.of("worker.error_handler").withTaskId(errbackId))
								.build());
							return modes.client.result(errbackId);
						}),
				new Scenario("divide(1, 2) countdown 2 s", "SUCCESS 0.5", (modes) -> {
					TaskResult result = modes.client
						.send(TaskRequest.builder("worker.divide").args(1, 2).countdown(Duration.ofSeconds(2)).build());
					modes.advance.accept(Duration.ofSeconds(2));
					return result;
				}));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("scenarios")
	void scenarioHasTheSameOutcomeInBothModes(Scenario scenario) {
		Object onBroker = outcome(scenario.run(Modes.broker()));
		Object inProcess = outcome(scenario.run(Modes.inline()));
		assertThat(onBroker).isEqualTo(scenario.expected);
		assertThat(inProcess).isEqualTo(onBroker);
	}

	@ParameterizedTest(name = "rate limit 1/s")
	@MethodSource("rateLimit")
	void rateLimitGivesTheSameResultsInBothModes(String name) {
		assertThat(rateLimited(Modes.inline())).isEqualTo(rateLimited(Modes.broker()))
			.containsExactly("SUCCESS 1.0", "SUCCESS 2.0", "SUCCESS 3.0");
	}

	static List<String> rateLimit() {
		return List.of("rate limit");
	}

	private static List<Object> rateLimited(Modes modes) {
		modes.advance.accept(Duration.ofSeconds(2));
		List<TaskResult> results = new ArrayList<>();
		for (int i = 1; i <= 3; i++) {
			results.add(modes.client.send("worker.divide", i, 1));
		}
		modes.advance.accept(Duration.ofSeconds(1));
		modes.advance.accept(Duration.ofSeconds(1));
		return results.stream().map(InlineAndBrokerModesIntegrationTests::outcome).toList();
	}

	private static Object outcome(TaskResult result) {
		try {
			Object value = result.get(WAIT);
			if (value instanceof Map<?, ?> map) {
				// The error handler's report: what it found of the failed call.
				return Map.of("state", map.get("state"), "type", map.get("type"), "name", map.get("name"), "args",
						map.get("args"));
			}
			return "SUCCESS " + value;
		}
		catch (TaskFailedException ex) {
			return ex.getState() + " " + ex.getExceptionType();
		}
	}

	record Scenario(String name, Object expected, Function<Modes, TaskResult> steps) {

		TaskResult run(Modes modes) {
			// worker.divide is limited to 1/s: a scenario starts with a full bucket, as
			// real time gives it on the broker.
			modes.advance.accept(Duration.ofSeconds(2));
			return this.steps.apply(modes);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	/**
	 * A client and how time passes: the test clock in the inline mode, the real time on
	 * the broker (where waiting for results covers it).
	 */
	record Modes(TaskClient client, Consumer<Duration> advance) {

		static Modes inline() {
			TestClock clock = inline.getBean(TestClock.class);
			return new Modes(inline.getBean(TaskClient.class), clock::advance);
		}

		static Modes broker() {
			return new Modes(broker.getBean(TaskClient.class), (duration) -> {
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(TaskQueueTestAutoConfiguration.class)
	static class InlineMode {

	}

}
