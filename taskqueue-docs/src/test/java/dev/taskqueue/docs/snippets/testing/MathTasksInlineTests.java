package dev.taskqueue.docs.snippets.testing;

import java.time.Duration;

import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.test.AutoConfigureTaskQueue;
import dev.taskqueue.test.TaskQueueTestMode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static dev.taskqueue.test.TaskQueueAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

// tag::inline[]
@SpringBootTest
@AutoConfigureTaskQueue(mode = TaskQueueTestMode.INLINE)
class MathTasksInlineTests {

	@Autowired
	TaskClient client;

	@Test
	void workerDividesWhatTheClientSends() {
		assertThat(this.client.send("math.divide", 1, 2)).hasResult(0.5); // ran before
																			// send
																			// returned
	}

	@Test
	void divisionByZeroFailsWithTheTasksException() {
		assertThat(this.client.send("math.divide", 1, 0)).hasFailedWith("ArithmeticException");
	}

	@Test
	void chainPassesEachResultOn() {
		TaskResult result = this.client.chain(Signature.of("math.divide", 16, 2), Signature.of("math.divide", 2))
			.send();
		assertThat(result.get(Duration.ZERO)).isEqualTo(4.0);
	}

}
// end::inline[]
