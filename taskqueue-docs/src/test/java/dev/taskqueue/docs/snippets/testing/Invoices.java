package dev.taskqueue.docs.snippets.testing;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskResult;
import org.springframework.stereotype.Service;

@Service
class Invoices {

	private final TaskClient client;

	Invoices(TaskClient client) {
		this.client = client;
	}

	TaskResult split(double total, int parts) {
		return this.client.send("math.divide", total, parts);
	}

}
