package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.observation.DefaultTaskExecuteObservationConvention;
import dev.taskqueue.observation.DefaultTaskPublishObservationConvention;
import dev.taskqueue.observation.TaskExecuteContext;
import dev.taskqueue.observation.TaskExecuteObservationConvention;
import dev.taskqueue.observation.TaskPublishContext;
import dev.taskqueue.observation.TaskPublishObservationConvention;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskContext;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client and the worker use the application's {@code ObservationRegistry} (Spring
 * Boot's, with the application's tracing handlers) and observation conventions, and work
 * the same without them.
 */
class TaskQueueObservationAutoConfigurationIntegrationTests {

	private final String queue = "tq-observation-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.data.redis.host=127.0.0.1",
				"taskqueue.default-queue=" + this.queue, "taskqueue.worker.concurrency=1")
		.withUserConfiguration(Tasks.class);

	@AfterEach
	void deleteQueues() {
		TestQueues.delete(this.queue);
	}

	@Test
	void traceCrossesFromClientToWorkerThroughBootsObservationRegistry() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
			.withUserConfiguration(Tracing.class)
			.run((context) -> {
				TaskClient client = context.getBean(TaskClient.class);
				assertThat(client.send("observed.echo", "hi").get(Duration.ofSeconds(10))).isEqualTo("hi");
				SimpleTracer tracer = context.getBean(SimpleTracer.class);
				Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(tracer.getSpans()).hasSize(2));
				SimpleSpan publish = span(tracer, Span.Kind.PRODUCER);
				SimpleSpan execute = span(tracer, Span.Kind.CONSUMER);
				assertThat(publish.getName()).isEqualTo("observed.echo publish");
				assertThat(execute.getName()).isEqualTo("observed.echo execute");
				assertThat(execute.getTraceId()).isEqualTo(publish.getTraceId());
				assertThat(execute.getParentId()).isEqualTo(publish.getSpanId());
				assertThat(context.getBean(Tasks.class).headers).contains("traceparent");
			});
	}

	@Test
	void withoutAnObservationRegistryTasksCarryNoTraceHeaders() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(TaskClient.class).send("observed.echo", "hi").get(Duration.ofSeconds(10)))
				.isEqualTo("hi");
			assertThat(context.getBean(Tasks.class).headers).isEqualTo("[x-taskqueue-sent-at]");
		});
	}

	@Test
	void applicationsConventionsNameAndTagPublishAndExecute() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
			.withUserConfiguration(Collecting.class, Conventions.class)
			.run((context) -> {
				assertThat(context.getBean(TaskClient.class).send("observed.echo", "hi").get(Duration.ofSeconds(10)))
					.isEqualTo("hi");
				List<Observation.Context> stopped = context.getBean(Collecting.class).stopped;
				Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stopped).hasSize(2));
				assertThat(stopped).extracting(Observation.Context::getName)
					.containsExactlyInAnyOrder("acme.publish", "acme.execute");
				assertThat(stopped).allSatisfy((observed) -> {
					assertThat(observed.getLowCardinalityKeyValue("tenant").getValue()).isEqualTo("acme");
					assertThat(observed.getLowCardinalityKeyValue("taskqueue.task.name").getValue())
						.isEqualTo("observed.echo");
				});
			});
	}

	@Test
	void workerIsTaggedWithItsConfiguredName() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
			.withUserConfiguration(Collecting.class)
			.withPropertyValues("taskqueue.worker.name=observed-worker")
			.run((context) -> assertThat(executedWorkerTag(context)).isEqualTo("observed-worker"));
	}

	@Test
	void workerWithoutAConfiguredNameIsTaggedWithoutItsProcessId() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
			.withUserConfiguration(Collecting.class)
			.run((context) -> assertThat(executedWorkerTag(context))
				.isEqualTo("taskqueue@" + ProcessIdentity.hostname()));
	}

	private static String executedWorkerTag(ApplicationContext context) {
		assertThat(context.getBean(TaskClient.class).send("observed.echo", "hi").get(Duration.ofSeconds(10)))
			.isEqualTo("hi");
		List<Observation.Context> stopped = context.getBean(Collecting.class).stopped;
		Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stopped).hasSize(2));
		return stopped.stream()
			.filter((observed) -> "taskqueue.execute".equals(observed.getName()))
			.findFirst()
			.orElseThrow()
			.getLowCardinalityKeyValue("taskqueue.worker.name")
			.getValue();
	}

	private static SimpleSpan span(SimpleTracer tracer, Span.Kind kind) {
		return tracer.getSpans().stream().filter((span) -> span.getKind() == kind).findFirst().orElseThrow();
	}

	@Configuration(proxyBeanMethods = false)
	static class Tasks {

		volatile String headers;

		@QueueTask("observed.echo")
		String echo(String text, TaskContext task) {
			this.headers = task.getHeaders().keySet().toString();
			return text;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Collecting implements ObservationHandler<Observation.Context> {

		final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof TaskPublishContext || context instanceof TaskExecuteContext;
		}

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Conventions {

		@Bean
		TaskPublishObservationConvention acmePublishConvention() {
			return new DefaultTaskPublishObservationConvention() {

				@Override
				public String getName() {
					return "acme.publish";
				}

				@Override
				public KeyValues getLowCardinalityKeyValues(TaskPublishContext context) {
					return super.getLowCardinalityKeyValues(context).and("tenant", "acme");
				}

			};
		}

		@Bean
		TaskExecuteObservationConvention acmeExecuteConvention() {
			return new DefaultTaskExecuteObservationConvention() {

				@Override
				public String getName() {
					return "acme.execute";
				}

				@Override
				public KeyValues getLowCardinalityKeyValues(TaskExecuteContext context) {
					return super.getLowCardinalityKeyValues(context).and("tenant", "acme");
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Tracing {

		@Bean
		SimpleTracer simpleTracer() {
			return new SimpleTracer();
		}

		@Bean
		Propagator w3cPropagator(SimpleTracer tracer) {
			return new Propagator() {

				@Override
				public List<String> fields() {
					return List.of("traceparent");
				}

				@Override
				public <C> void inject(TraceContext context, C carrier, Setter<C> setter) {
					setter.set(carrier, "traceparent", "00-" + context.traceId() + "-" + context.spanId() + "-01");
				}

				@Override
				public <C> Span.Builder extract(C carrier, Getter<C> getter) {
					String traceparent = getter.get(carrier, "traceparent");
					if (traceparent == null) {
						return tracer.spanBuilder();
					}
					String[] parts = traceparent.split("-");
					return tracer.spanBuilder()
						.setParent(
								tracer.traceContextBuilder().traceId(parts[1]).spanId(parts[2]).sampled(true).build());
				}

			};
		}

		// One composite, as Spring Boot's tracing auto-configuration registers them: the
		// first
		// handler that supports a context handles it.
		@Bean
		ObservationHandler<Observation.Context> tracingHandlers(SimpleTracer tracer, Propagator propagator) {
			return new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
					new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
					new DefaultTracingObservationHandler(tracer));
		}

	}

}
