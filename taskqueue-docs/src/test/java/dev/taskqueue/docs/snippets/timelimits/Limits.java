package dev.taskqueue.docs.snippets.timelimits;

import java.time.Duration;
import java.util.List;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.worker.QueueTask;

import org.springframework.stereotype.Component;

@Component
class Limits {

	private final TaskClient client;

	Limits(TaskClient client) {
		this.client = client;
	}

	// tag::annotation[]
	// seconds, as in Celery
	@QueueTask(name = "reports.render", softTimeLimit = 50, timeLimit = 60)
	String render(String id) throws InterruptedException {
		StringBuilder report = new StringBuilder();
		for (String page : pages(id)) {
			if (Thread.interrupted()) { // the soft limit interrupts the task's thread
				throw new InterruptedException("soft time limit");
			}
			report.append(page);
		}
		return report.toString();
	}
	// end::annotation[]

	void send(String id) {
		// tag::call[]
		this.client.send(TaskRequest.builder("reports.render")
			.args(id)
			.timeLimit(Duration.ofMinutes(2))
			.softTimeLimit(Duration.ofSeconds(100))
			.build());
		// end::call[]
	}

	void unique(String id, int n) {
		// tag::unique[]
		this.client.send(TaskRequest.builder("reports.render")
			.args(id)
			.uniqueByArgs(Duration.ofMinutes(10)) // one pending call per name + args
			.build());
		this.client.send(TaskRequest.builder("invoices.send")
			.taskId("invoice-" + n)
			.unique(Duration.ofHours(1)) // one pending call per task id
			.build());
		// end::unique[]
	}

	private List<String> pages(String id) {
		return List.of(id);
	}

}
