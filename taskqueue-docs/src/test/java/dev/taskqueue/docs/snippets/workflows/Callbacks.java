package dev.taskqueue.docs.snippets.workflows;

import java.io.IOException;
import java.time.Duration;

import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskContext;
import dev.taskqueue.worker.TaskFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

@Component
class Callbacks {

	private static final Logger logger = LoggerFactory.getLogger(Callbacks.class);

	private final TaskClient client;

	Callbacks(TaskClient client) {
		this.client = client;
	}

	void send() {
		// tag::link[]
		this.client.send(TaskRequest.builder("worker.divide")
			.args(16, 2)
			// after a success: divide(8.0, 8) = 1.0
			.link(Signature.of("worker.divide", 8))
			// after a failure: error_handler(<failed task id>)
			.linkError(Signature.of("worker.error_handler"))
			.build());
		// end::link[]
	}

	// tag::errback[]
	@QueueTask("worker.error_handler")
	void errorHandler(TaskFailure failure) {
		logger.warn("{}{} failed: {} {}", failure.getTaskName(), failure.getArgs(), failure.getExceptionType(),
				failure.getExceptionMessage());
	}
	// end::errback[]

	// tag::retry[]
	@QueueTask(name = "reports.fetch", autoRetryFor = IOException.class, retryBackoff = true)
	String fetch(String url, TaskContext task) throws IOException {
		if (notReadyYet(url)) {
			// Celery's raise self.retry(countdown=30)
			throw task.retry(Duration.ofSeconds(30), null);
		}
		// an IOException retries after about 1 s, 2 s, 4 s (3 retries by default)
		return download(url);
	}
	// end::retry[]

	private boolean notReadyYet(String url) {
		return url.isEmpty();
	}

	private String download(String url) throws IOException {
		return url;
	}

}
