package dev.taskqueue.observation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.support.Stack;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskContext;
import dev.taskqueue.worker.WorkerContainer;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code taskqueue.publish} and {@code taskqueue.execute} observations across a real
 * RabbitMQ round trip: the trace context travels in the message headers.
 */
class TaskObservationIntegrationTests {

	private final Tasks tasks = new Tasks();

	private final Stack stack = Stack.builder().tasks(this.tasks).build();

	private final SimpleTracer tracer = new SimpleTracer();

	@AfterEach
	void close() {
		this.stack.close();
	}

	@Test
	void workersExecutionSpanIsAChildOfTheDispatchersPublishSpan() {
		ObservationRegistry registry = tracingRegistry();
		this.stack.client.setObservationRegistry(registry);
		WorkerContainer worker = this.stack.startWorker(this.stack.defaultQueue);
		worker.setObservationRegistry(registry);
		TaskResult result = this.stack.client.send("trace.echo", "hi");
		assertThat(result.get(Duration.ofSeconds(10))).isEqualTo("hi");
		SimpleSpan publish = awaitSpan("trace.echo publish");
		SimpleSpan execute = awaitSpan("trace.echo execute");
		assertThat(publish.getKind()).isEqualTo(Span.Kind.PRODUCER);
		assertThat(execute.getKind()).isEqualTo(Span.Kind.CONSUMER);
		assertThat(execute.getTraceId()).isEqualTo(publish.getTraceId());
		assertThat(execute.getParentId()).isEqualTo(publish.getSpanId());
		assertThat(publish.getTags()).containsEntry("taskqueue.task.name", "trace.echo")
			.containsEntry("messaging.system", "rabbitmq")
			.containsEntry("messaging.operation.type", "send")
			.containsEntry("messaging.destination.name", "")
			.containsEntry("messaging.rabbitmq.destination.routing_key", this.stack.defaultQueue)
			.containsEntry("taskqueue.outcome", "success")
			.containsEntry("messaging.message.id", result.getId());
		assertThat(execute.getTags()).containsEntry("taskqueue.task.name", "trace.echo")
			.containsEntry("messaging.system", "rabbitmq")
			.containsEntry("messaging.operation.type", "process")
			.containsEntry("messaging.destination.name", this.stack.defaultQueue)
			.containsEntry("taskqueue.outcome", "success")
			.containsEntry("taskqueue.worker.name", "test-worker@localhost")
			.containsEntry("messaging.message.id", result.getId())
			.containsEntry("taskqueue.task.retries", "0");
		// The task ran inside its span, and the header was a plain extra header after
		// Celery's.
		assertThat(this.tasks.traceIdsInside).containsExactly(publish.getTraceId());
		assertThat(this.tasks.headers.get(0)).containsKey(W3cTestPropagator.TRACEPARENT);
	}

	@Test
	void taskWithAHardTimeLimitRunsInsideItsSpanOnItsOwnThread() {
		ObservationRegistry registry = tracingRegistry();
		this.stack.client.setObservationRegistry(registry);
		this.stack.startWorker(this.stack.defaultQueue).setObservationRegistry(registry);
		assertThat(this.stack.client.send("trace.limited", "hi").get(Duration.ofSeconds(10))).isEqualTo("hi");
		SimpleSpan execute = awaitSpan("trace.limited execute");
		assertThat(this.tasks.traceIdsInside).containsExactly(execute.getTraceId());
		assertThat(this.tasks.threads).singleElement().asString().startsWith("taskqueue-task-");
	}

	@Test
	void callbackSentByTheWorkerStaysInTheSameTrace() {
		ObservationRegistry registry = tracingRegistry();
		this.stack.client.setObservationRegistry(registry);
		this.stack.startWorker(this.stack.defaultQueue).setObservationRegistry(registry);
		TaskResult result = this.stack.client.send(dev.taskqueue.client.TaskRequest.builder("trace.echo")
			.args("first")
			.link(dev.taskqueue.client.Signature.of("trace.echo"))
			.build());
		assertThat(result.get(Duration.ofSeconds(10))).isEqualTo("first");
		await().atMost(Duration.ofSeconds(10)).until(() -> spans("trace.echo execute").size() == 2);
		SimpleSpan first = spans("trace.echo publish").get(0);
		assertThat(this.tracer.getSpans()).hasSize(4)
			.allSatisfy((span) -> assertThat(span.getTraceId()).isEqualTo(first.getTraceId()));
	}

	@Test
	void failedTaskEndsItsSpanWithTheErrorAndOutcomeFailure() {
		ObservationRegistry registry = tracingRegistry();
		this.stack.client.setObservationRegistry(registry);
		this.stack.startWorker(this.stack.defaultQueue).setObservationRegistry(registry);
		TaskResult result = this.stack.client.send("trace.fail");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(Duration.ofSeconds(10)));
		SimpleSpan execute = awaitSpan("trace.fail execute");
		assertThat(execute.getTags()).containsEntry("taskqueue.outcome", "failure");
		assertThat(execute.getError()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
	}

	@Test
	void retriedRunEndsItsSpanWithTheCauseAndTheNextRunIsItsSibling() {
		ObservationRegistry registry = tracingRegistry();
		this.stack.client.setObservationRegistry(registry);
		this.stack.startWorker(this.stack.defaultQueue).setObservationRegistry(registry);
		assertThat(this.stack.client.send("trace.retry_once").get(Duration.ofSeconds(10))).isEqualTo("done");
		await().atMost(Duration.ofSeconds(10)).until(() -> spans("trace.retry_once execute").size() == 2);
		List<SimpleSpan> runs = spans("trace.retry_once execute");
		SimpleSpan retried = runs.stream()
			.filter((span) -> "retry".equals(span.getTags().get("taskqueue.outcome")))
			.findFirst()
			.orElseThrow();
		assertThat(retried.getError()).isInstanceOf(IllegalArgumentException.class).hasMessage("once more");
		assertThat(retried.getTags()).containsEntry("taskqueue.task.retries", "0");
		assertThat(runs).filteredOn((span) -> span != retried)
			.singleElement()
			.satisfies((span) -> assertThat(span.getTags()).containsEntry("taskqueue.outcome", "success")
				.containsEntry("taskqueue.task.retries", "1"));
		// The retry carries the sender's trace context on: both runs are children of the
		// publish.
		SimpleSpan publish = awaitSpan("trace.retry_once publish");
		assertThat(runs).allSatisfy((span) -> assertThat(span.getParentId()).isEqualTo(publish.getSpanId()));
	}

	@Test
	void clientsConventionNamesAndTagsThePublish() {
		List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(collecting(stopped));
		this.stack.client.setObservationRegistry(registry);
		this.stack.client.setObservationConvention(new DefaultTaskPublishObservationConvention() {

			@Override
			public KeyValues getLowCardinalityKeyValues(TaskPublishContext context) {
				return super.getLowCardinalityKeyValues(context).and("tenant", "acme");
			}

		});
		this.stack.startWorker(this.stack.defaultQueue).setObservationRegistry(registry);
		assertThat(this.stack.client.send("trace.echo", "tenant").get(Duration.ofSeconds(10))).isEqualTo("tenant");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stopped).hasSize(2));
		assertThat(stopped).filteredOn((context) -> context instanceof TaskPublishContext)
			.singleElement()
			.satisfies((context) -> {
				assertThat(context.getLowCardinalityKeyValue("tenant").getValue()).isEqualTo("acme");
				assertThat(context.getLowCardinalityKeyValue("taskqueue.task.name").getValue()).isEqualTo("trace.echo");
			});
		assertThat(stopped).filteredOn((context) -> context instanceof TaskExecuteContext)
			.singleElement()
			.satisfies((context) -> assertThat(context.getLowCardinalityKeyValue("tenant")).isNull());
	}

	@Test
	void withoutATracerNoHeaderIsAddedAndObservationsStillRun() {
		List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(collecting(stopped));
		this.stack.client.setObservationRegistry(registry);
		this.stack.startWorker(this.stack.defaultQueue).setObservationRegistry(registry);
		assertThat(this.stack.client.send("trace.echo", "plain").get(Duration.ofSeconds(10))).isEqualTo("plain");
		assertThat(this.tasks.headers.get(0).keySet()).containsExactly("x-taskqueue-sent-at");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stopped).hasSize(2));
		assertThat(stopped).extracting(Observation.Context::getName)
			.containsExactlyInAnyOrder("taskqueue.publish", "taskqueue.execute");
		assertThat(stopped)
			.allSatisfy((context) -> assertThat(context.getLowCardinalityKeyValue("taskqueue.outcome").getValue())
				.isEqualTo("success"));
	}

	@Test
	void withoutAnObservationRegistryOnlyCeleryHeadersAndTheSentAtHeaderTravel() {
		this.stack.startWorker(this.stack.defaultQueue);
		assertThat(this.stack.client.send("trace.echo", "bare").get(Duration.ofSeconds(10))).isEqualTo("bare");
		assertThat(this.tasks.headers.get(0).keySet()).containsExactly("x-taskqueue-sent-at");
		assertThat(TaskMessageCodec.CELERY_HEADERS).doesNotContain(W3cTestPropagator.TRACEPARENT);
	}

	private ObservationRegistry tracingRegistry() {
		W3cTestPropagator propagator = new W3cTestPropagator(this.tracer);
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(this.tracer, propagator),
					new PropagatingReceiverTracingObservationHandler<>(this.tracer, propagator),
					new DefaultTracingObservationHandler(this.tracer)));
		return registry;
	}

	private static ObservationHandler<Observation.Context> collecting(List<Observation.Context> stopped) {
		return new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				stopped.add(context);
			}

		};
	}

	private SimpleSpan awaitSpan(String name) {
		await().atMost(Duration.ofSeconds(10)).until(() -> !spans(name).isEmpty());
		return spans(name).get(0);
	}

	private List<SimpleSpan> spans(String name) {
		List<SimpleSpan> found = new ArrayList<>();
		for (SimpleSpan span : this.tracer.getSpans()) {
			if (name.equals(span.getName()) && span.getEndTimestamp().toEpochMilli() > 0) {
				found.add(span);
			}
		}
		return found;
	}

	class Tasks {

		final List<String> traceIdsInside = new CopyOnWriteArrayList<>();

		final List<Map<String, Object>> headers = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		@QueueTask("trace.echo")
		String echo(String text, TaskContext task) {
			this.headers.add(task.getHeaders());
			Span current = TaskObservationIntegrationTests.this.tracer.currentSpan();
			if (current != null) {
				this.traceIdsInside.add(current.context().traceId());
			}
			return text;
		}

		@QueueTask(name = "trace.limited", timeLimit = 30)
		String limited(String text) {
			this.threads.add(Thread.currentThread().getName());
			Span current = TaskObservationIntegrationTests.this.tracer.currentSpan();
			if (current != null) {
				this.traceIdsInside.add(current.context().traceId());
			}
			return text;
		}

		@QueueTask("trace.retry_once")
		String retryOnce(TaskContext task) {
			if (task.getRetries() == 0) {
				throw task.retry(Duration.ZERO, new IllegalArgumentException("once more"));
			}
			return "done";
		}

		@QueueTask("trace.fail")
		@Nullable String fail() {
			throw new IllegalStateException("boom");
		}

	}

}
