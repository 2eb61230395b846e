package dev.taskqueue.worker;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.ResultMeta;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Workflows whose tasks run partly on a Java worker and partly on a real Celery 5.2 worker
 * (Debian's {@code python3-celery}): each side consumes its own queue and every signature names
 * its queue. A Java step's stored result names its worker; a Celery one does not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanvasInteropIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String JAVA_WORKER = "test-worker@localhost";

	private final CanvasTasks tasks = new CanvasTasks();

	private Stack stack;

	private String javaQueue;

	private String pythonQueue;

	private PythonCeleryWorker python;

	@BeforeAll
	void start() throws IOException {
		assertThat(PythonCeleryWorker.isAvailable())
			.as("Debian's python3-celery under /usr/bin/python3 (scripts/services installs it)")
			.isTrue();
		this.pythonQueue = Infrastructure.unique("celery-py");
		this.stack = Stack.builder().tasks(this.tasks).deleteOnClose(this.pythonQueue).build();
		this.javaQueue = this.stack.defaultQueue;
		this.stack.startWorker(this.javaQueue);
		this.python = PythonCeleryWorker.start(this.pythonQueue, this.stack.admin());
	}

	@AfterAll
	void stop() {
		if (this.python != null) {
			this.python.close();
		}
		if (this.stack != null) {
			this.stack.close();
		}
	}

	@BeforeEach
	void clear() {
		this.tasks.sums.clear();
		this.tasks.runs.clear();
	}

	private Signature onJava(String task, Object... args) {
		return Signature.of(task, args).withQueue(this.javaQueue);
	}

	private Signature onPython(String task, Object... args) {
		return Signature.of(task, args).withQueue(this.pythonQueue);
	}

	@Test
	void chainAlternatingJavaAndCeleryWorkersPassesEachResultOn() {
		TaskResult last = this.stack.client.chain(onJava("tasks.add", 1, 2), onPython("tasks.add", 3),
				onJava("tasks.add", 4), onPython("tasks.add", 5)).send();
		assertThat(last.get(TIMEOUT)).isEqualTo(15);
		List<String> workers = new ArrayList<>();
		List<Object> results = new ArrayList<>();
		ResultMeta step = last.meta();
		while (step != null) {
			workers.add(0, String.valueOf(step.worker()));
			results.add(0, step.result());
			step = (step.parentId() != null) ? this.stack.client.result(step.parentId()).meta() : null;
		}
		assertThat(results).containsExactly(3, 6, 10, 15);
		assertThat(workers).containsExactly(JAVA_WORKER, "null", JAVA_WORKER, "null");
	}

	@Test
	void chordWithPartsOnBothSidesRunsItsBodyOnceWithTheResultsInOrder() {
		List<Signature> header = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			header.add((i % 2 == 0) ? onJava("tasks.add", i, 0) : onPython("tasks.add", i, 0));
		}
		TaskResult body = this.stack.client.chord(header, onJava("tasks.tsum")).send();
		assertThat(body.get(TIMEOUT)).isEqualTo(190);
		assertThat(this.tasks.sums).containsExactly(new ArrayList<>(IntStream.range(0, 20).boxed().toList()));
		assertThat(this.tasks.runs.get(body.getId()).get()).isEqualTo(1);
	}

	@Test
	void javaWorkerCompletesAChordWhosePartsRanOnCelery() {
		String last = UUID.randomUUID().toString();
		TaskResult body = this.stack.client.chord(List.of(onPython("tasks.add", 1, 1), onPython("tasks.add", 2, 2),
				onJava("tasks.add", 3, 3).withTaskId(last).withCountdown(Duration.ofSeconds(2))),
				onPython("tasks.tsum")).send();
		assertThat(body.get(TIMEOUT)).isEqualTo(12);
		assertThat(body.meta().parentId()).isEqualTo(last);
		assertChordKeysGone(last);
	}

	@Test
	void celeryWorkerCompletesAChordWhosePartsRanOnJava() {
		String last = UUID.randomUUID().toString();
		TaskResult body = this.stack.client.chord(List.of(onJava("tasks.add", 1, 1), onJava("tasks.add", 2, 2),
				onPython("tasks.add", 3, 3).withTaskId(last).withCountdown(Duration.ofSeconds(2))),
				onJava("tasks.tsum")).send();
		assertThat(body.get(TIMEOUT)).isEqualTo(12);
		assertThat(body.meta().parentId()).isEqualTo(last);
		assertThat(this.tasks.sums).containsExactly(List.of(2, 4, 6));
		assertChordKeysGone(last);
	}

	@Test
	void failingCeleryPartFailsTheBodyWithTheSameChordErrorOnEitherSide() {
		String failed = UUID.randomUUID().toString();
		TaskResult body = this.stack.client.chord(
				List.of(onPython("tasks.divide", 1, 0).withTaskId(failed), onJava("tasks.add", 1, 1)),
				onJava("tasks.tsum")).send();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> body.get(TIMEOUT));
		assertThat(body.meta().exception().type()).isEqualTo("ChordError");
		assertThat(body.meta().exception().message())
			.isEqualTo("Dependency " + failed + " raised ZeroDivisionError('division by zero')");
		assertThat(this.tasks.sums).isEmpty();
	}

	private void assertChordKeysGone(String partId) {
		String groupId = this.stack.client.result(partId).meta().groupId();
		assertThat(groupId).isNotNull();
		StringRedisTemplate redis = new StringRedisTemplate(this.stack.redis);
		// Celery's finisher deletes them just after sending the body.
		await().atMost(TIMEOUT).until(() -> redis.keys("celery-taskset-meta-" + groupId + ".*").isEmpty());
	}

}
