package dev.taskqueue.docs.snippets.gettingstarted;

import java.time.Duration;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.worker.QueueTask;

import org.springframework.stereotype.Component;

// tag::readme[]
// tag::task[]
@Component
class Tasks {

	@QueueTask(name = "worker.divide", queue = "divide")
	double divide(double x, double y) {
		return x / y;
	}

}
// end::task[]

// tag::send[]
@Component
class Report {

	private final TaskClient client;

	Report(TaskClient client) {
		this.client = client;
	}

	double half() {
		// Celery's send_task("worker.divide", args=[1, 2]), or divide.delay(1, 2)
		TaskResult result = this.client.send("worker.divide", 1, 2);
		return result.get(Duration.ofSeconds(10), Double.class); // 0.5
	}

}
// end::send[]
// end::readme[]
