package dev.taskqueue.docs.snippets.testing;

import java.time.Duration;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.test.AutoConfigureTaskQueue;
import dev.taskqueue.test.TaskQueueTestMode;
import dev.taskqueue.test.TestClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static dev.taskqueue.test.TaskQueueAssertions.assertThat;

@SpringBootTest
@AutoConfigureTaskQueue(mode = TaskQueueTestMode.INLINE)
class CountdownTests {

	@Autowired
	TaskClient client;

	// tag::clock[]
	@Autowired
	TestClock clock;

	@Test
	void countdownRunsWhenTheClockReachesIt() {
		TaskResult result = this.client
			.send(TaskRequest.builder("math.divide").args(1, 2).countdown(Duration.ofMinutes(5)).build());
		assertThat(result).isPending();
		this.clock.advance(Duration.ofMinutes(5)); // runs what became due, without
													// sleeping
		assertThat(result).hasResult(0.5);
	}
	// end::clock[]

}
