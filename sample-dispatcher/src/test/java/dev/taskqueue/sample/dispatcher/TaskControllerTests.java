package dev.taskqueue.sample.dispatcher;

import java.util.Map;

import dev.taskqueue.test.AutoConfigureTaskQueue;
import dev.taskqueue.test.TaskRecorder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static dev.taskqueue.test.TaskQueueAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher's API with the tasks it sends recorded, not published (no RabbitMQ or
 * Redis), and the worker's answers stubbed.
 */
@SpringBootTest
@AutoConfigureTaskQueue
class TaskControllerTests {

	@Autowired
	TaskController controller;

	@Autowired
	TaskRecorder recorder;

	@Test
	void divideSendsTheTaskToTheDivideQueue() {
		ResponseEntity<Map<String, String>> response = this.controller.divide(16, 2);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(this.recorder).sent("worker.divide").withArgs(16, 2).onQueue("divide").once();
		assertThat(response.getBody()).containsEntry("id", this.recorder.getSentTasks().get(0).id());
	}

	@Test
	void taskShowsTheResultOfASuccessfulTask() {
		this.recorder.stubResult("worker.divide", 8.0);
		String id = this.controller.divide(16, 2).getBody().get("id");
		assertThat(this.controller.task(id)).containsEntry("state", "SUCCESS").containsEntry("result", 8.0);
	}

	@Test
	void taskShowsTheErrorOfAFailedTask() {
		this.recorder.stubFailure("worker.divide", new ArithmeticException("division by zero"));
		String id = this.controller.divide(1, 0).getBody().get("id");
		assertThat(this.controller.task(id)).containsEntry("state", "FAILURE")
			.extractingByKey("error")
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("type", "ArithmeticException")
			.containsEntry("message", "division by zero");
	}

	@Test
	void taskOfAnUnknownIdIsPending() {
		assertThat(this.controller.task("no-such-task")).containsEntry("state", "PENDING");
	}

}
