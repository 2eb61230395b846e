package dev.taskqueue.docs.snippets.testing;

import java.time.Duration;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskFailedException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

// tag::end-to-end[]
// a queue and keys of the test's own
@SpringBootTest(properties = { "taskqueue.worker.queues=math-test", "taskqueue.routes.[math.*].queue=math-test",
		"taskqueue.result.key-prefix=math-test-" })
class MathTasksEndToEndTests {

	@Autowired
	TaskClient client;

	@Test
	void workerDividesWhatTheClientSends() {
		assertThat(this.client.send("math.divide", 1, 2).get(Duration.ofSeconds(10), Double.class)).isEqualTo(0.5);
	}

	@Test
	void divisionByZeroFailsWithTheWorkersException() {
		assertThatExceptionOfType(TaskFailedException.class)
			.isThrownBy(() -> this.client.send("math.divide", 1, 0).get(Duration.ofSeconds(10)))
			.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("ArithmeticException"));
	}

}
// end::end-to-end[]
