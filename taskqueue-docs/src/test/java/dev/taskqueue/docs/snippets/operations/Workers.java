package dev.taskqueue.docs.snippets.operations;

import java.util.List;

import dev.taskqueue.control.WorkerDirectory;
import dev.taskqueue.control.WorkerInfo;
import org.springframework.stereotype.Component;

// tag::directory[]
@Component
class Workers {

	private final WorkerDirectory directory;

	Workers(WorkerDirectory directory) {
		this.directory = directory;
	}

	List<String> consuming(String queue) {
		return this.directory.list() // the live workers, from their heartbeats in Redis
			.stream()
			.filter((worker) -> worker.queues().contains(queue))
			.map(WorkerInfo::name)
			.toList();
	}

}
// end::directory[]
