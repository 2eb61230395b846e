package dev.taskqueue.interop;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dates, times, decimals, UUIDs and bytes between Java and Celery 5.2.6, and
 * {@code date_done}: a Java task's typed parameters take both what kombu 5.2 sends (ISO
 * text) and what kombu 5.3+ sends (typed objects); written for Celery 5.2, Java's values
 * reach a Python task as the text 5.2 would send, and its results carry a naive
 * {@code date_done}; written for 5.3+, the offset that Python 5.2.6 reads as well.
 */
class TypedValuesInteropTests {

	private static final InteropTasks tasks = new InteropTasks();

	private static final Map<String, Object> EXPECTED = Map.of("when", "2026-01-02T03:04:05.123456Z", "day",
			"2026-01-02", "time", "10:15:30.250", "amount", "12.50", "scale", 2, "id",
			"0d4a2a5b-97c8-4f5a-a2b3-c1b9d4e6f708", "data", "café");

	private static Stack celery52;

	private static Stack celery56;

	private static String pythonQueue;

	private static PythonCelery.Worker python;

	@BeforeAll
	static void start() {
		pythonQueue = Infrastructure.unique("typed-py");
		celery52 = Stack.builder()
			.tasks(tasks)
			.celeryVersion(CeleryVersion.V5_2)
			.route("interop.py.*", dev.taskqueue.client.internal.Route.toQueue(pythonQueue))
			.build();
		celery52.startWorker(celery52.defaultQueue);
		celery56 = Stack.builder()
			.tasks(tasks)
			.celeryVersion(CeleryVersion.V5_6)
			.route("interop.py.*", dev.taskqueue.client.internal.Route.toQueue(pythonQueue))
			.build();
		celery56.startWorker(celery56.defaultQueue);
		python = PythonCelery.startWorker(pythonQueue);
	}

	@AfterAll
	static void stop() {
		try {
			if (python != null) {
				python.close();
			}
			celery56.close();
		}
		finally {
			celery52.close();
		}
	}

	@Test
	void javaParametersTakeWhatCelery52Sends() {
		Map<String, Object> call = PythonCelery.run("typed_call.py", List.of("--queue", celery52.defaultQueue)).json();
		assertThat(call).containsEntry("state", "SUCCESS");
		assertThat(call.get("result")).isEqualTo(EXPECTED);
	}

	@Test
	void javaParametersTakeKombu53TypedObjects() {
		Map<String, Object> call = PythonCelery
			.run("typed_call.py", List.of("--queue", celery56.defaultQueue, "--typed"))
			.json();
		assertThat(call).containsEntry("state", "SUCCESS");
		assertThat(call.get("result")).isEqualTo(EXPECTED);
	}

	@Test
	void writtenForCelery52APythonTaskGetsText() {
		Map<String, Object> seen = describe(celery52, OffsetDateTime.parse("2026-01-02T03:04:05Z"));
		assertThat(seen).containsEntry("type", "str");
		assertThat(describe(celery52, new BigDecimal("12.50"))).containsEntry("type", "float");
		assertThat(describe(celery52, UUID.fromString("0d4a2a5b-97c8-4f5a-a2b3-c1b9d4e6f708"))).containsEntry("value",
				"0d4a2a5b-97c8-4f5a-a2b3-c1b9d4e6f708");
	}

	@Test
	void writtenForCelery53APythonTaskOfCelery52GetsTheTypedObjectAsADict() {
		// What a 5.3+ receiver turns back into a datetime, 5.2.6 keeps as a dict: the
		// reason the Celery version must be configured.
		Map<String, Object> seen = describe(celery56, OffsetDateTime.parse("2026-01-02T03:04:05Z"));
		assertThat(seen).containsEntry("type", "dict")
			.containsEntry("value", Map.of("__type__", "datetime", "__value__", "2026-01-02T03:04:05+00:00"));
	}

	@Test
	void dateDoneIsNaiveForCelery52AndAwareForCelery53AndPythonReadsBoth() {
		TaskResult naive = celery52.client
			.send(TaskRequest.builder("interop.java.add").args(List.of(1, 2)).queue(celery52.defaultQueue).build());
		TaskResult aware = celery56.client
			.send(TaskRequest.builder("interop.java.add").args(List.of(1, 2)).queue(celery56.defaultQueue).build());
		assertThat(naive.get(java.time.Duration.ofSeconds(20))).isEqualTo(3);
		assertThat(aware.get(java.time.Duration.ofSeconds(20))).isEqualTo(3);
		assertThat(celery52.backend.get(naive.getId()).dateDone()).doesNotContain("+");
		assertThat(celery56.backend.get(aware.getId()).dateDone()).endsWith("+00:00");
		assertThat(naive.getDateDone()).isNotNull();
		assertThat(aware.getDateDone()).isNotNull();
		// AsyncResult.date_done parses both; str() of the aware one shows its offset.
		assertThat((String) PythonCelery.result(naive.getId(), false).get("date_done")).doesNotContain("+");
		assertThat((String) PythonCelery.result(aware.getId(), false).get("date_done")).endsWith("+00:00");
	}

	private static Map<String, Object> describe(Stack stack, Object value) {
		TaskResult result = stack.client
			.send(TaskRequest.builder("interop.py.describe").args(java.util.Collections.singletonList(value)).build());
		@SuppressWarnings("unchecked")
		Map<String, Object> seen = result.get(java.time.Duration.ofSeconds(20), Map.class);
		return seen;
	}

}
