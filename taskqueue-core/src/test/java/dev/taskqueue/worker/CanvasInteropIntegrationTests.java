package dev.taskqueue.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.TaskRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Workflows whose tasks run partly on a Java worker and partly on a real Celery 5.2
 * worker, in JSON: the chords every serializer runs, and chains and failures. A Java
 * step's stored result names its worker; a Celery one does not.
 */
class CanvasInteropIntegrationTests extends AbstractCanvasInteropIntegrationTests {

	private static final String JAVA_WORKER = "test-worker@localhost";

	CanvasInteropIntegrationTests() {
		super("json");
	}

	@Override
	void assertRecordStart(int firstByte) {
		assertThat((char) firstByte).as("a JSON object").isEqualTo('{');
	}

	@Test
	void chainAlternatingJavaAndCeleryWorkersPassesEachResultOn() {
		TaskResult last = this.stack.client
			.chain(onJava("tasks.add", 1, 2), onPython("tasks.add", 3), onJava("tasks.add", 4),
					onPython("tasks.add", 5))
			.send();
		assertThat(last.get(TIMEOUT)).isEqualTo(15);
		List<String> workers = new ArrayList<>();
		List<Object> results = new ArrayList<>();
		TaskRecord step = last.getRecord();
		while (step != null) {
			workers.add(0, String.valueOf(step.worker()));
			results.add(0, step.result());
			step = (step.parentId() != null) ? this.stack.client.result(step.parentId()).getRecord() : null;
		}
		assertThat(results).containsExactly(3, 6, 10, 15);
		assertThat(workers).containsExactly(JAVA_WORKER, "null", JAVA_WORKER, "null");
	}

	@Test
	void failingCeleryPartFailsTheBodyWithTheSameChordErrorOnEitherSide() {
		String failed = UUID.randomUUID().toString();
		TaskResult body = this.stack.client
			.chord(List.of(onPython("tasks.divide", 1, 0).withTaskId(failed), onJava("tasks.add", 1, 1)),
					onJava("tasks.tsum"))
			.send();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> body.get(TIMEOUT));
		assertThat(body.getRecord().exception().type()).isEqualTo("ChordError");
		assertThat(body.getRecord().exception().message())
			.isEqualTo("Dependency " + failed + " raised ZeroDivisionError('division by zero')");
		assertThat(this.tasks.sums).isEmpty();
	}

}
