package dev.taskqueue.interop;

import java.time.Duration;

import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Python Celery worker runs tasks whose messages carry trace headers after Celery's
 * own.
 */
class TracedInteropTests {

	private final String queue = Infrastructure.unique("py-traced");

	private final Stack stack = Stack.builder().route("interop.py.*", Route.toQueue(this.queue)).build();

	private PythonCelery.Worker python;

	@AfterEach
	void close() {
		try {
			if (this.python != null) {
				this.python.close();
			}
		}
		finally {
			this.stack.close();
		}
	}

	@Test
	void celeryWorkerRunsATaskSentWithATraceContext() {
		SimpleTracer tracer = new SimpleTracer();
		Propagator propagator = new Propagator() {

			@Override
			public java.util.List<String> fields() {
				return java.util.List.of("traceparent", "b3");
			}

			@Override
			public <C> void inject(io.micrometer.tracing.TraceContext context, C carrier, Setter<C> setter) {
				setter.set(carrier, "traceparent", "00-" + context.traceId() + "-" + context.spanId() + "-01");
				setter.set(carrier, "b3", context.traceId() + "-" + context.spanId() + "-1");
			}

			@Override
			public <C> io.micrometer.tracing.Span.Builder extract(C carrier, Getter<C> getter) {
				return tracer.spanBuilder();
			}

		};
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
					new DefaultTracingObservationHandler(tracer)));
		this.stack.client.setObservationRegistry(registry);
		this.python = PythonCelery.startWorker(this.queue);
		TaskResult result = this.stack.client.send("interop.py.add", 2, 3);
		assertThat(result.get(Duration.ofSeconds(20))).isEqualTo(5);
		assertThat(tracer.getSpans()).singleElement()
			.satisfies((span) -> assertThat(span.getName()).isEqualTo("interop.py.add publish"));
	}

}
