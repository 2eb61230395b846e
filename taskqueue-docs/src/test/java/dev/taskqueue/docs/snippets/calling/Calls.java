package dev.taskqueue.docs.snippets.calling;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.taskqueue.client.BulkSendException;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskPublishException;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.TaskTimeoutException;
import dev.taskqueue.result.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

@Component
class Calls {

	private static final Logger logger = LoggerFactory.getLogger(Calls.class);

	private final TaskClient client;

	Calls(TaskClient client) {
		this.client = client;
	}

	TaskResult sendByName() {
		// tag::send[]
		// Celery's app.send_task("worker.divide", args=[16, 2])
		TaskResult result = this.client.send("worker.divide", 16, 2);
		// end::send[]
		return result;
	}

	List<TaskResult> sendMany(List<Long> imageIds) {
		// tag::bulk[]
		List<TaskRequest> requests = imageIds.stream()
			.map((id) -> TaskRequest.builder("images.resize").args(id, 640).build())
			.toList();
		try {
			return this.client.sendAll(requests); // one handle per request, in order
		}
		catch (BulkSendException ex) {
			for (BulkSendException.Failure failure : ex.getFailures()) {
				logger.warn("Image {} not queued: {}", imageIds.get(failure.index()), failure.cause().getMessage());
			}
			return ex.getSent(); // the tasks that were sent
		}
		// end::bulk[]
	}

	TaskResult sendWithOptions() {
		// tag::request[]
		// Celery's divide.apply_async(kwargs={"x": 16, "y": 2}, countdown=10, ...)
		TaskResult result = this.client.send(TaskRequest.builder("worker.divide")
			.kwarg("x", 16)
			.kwarg("y", 2)
			.countdown(Duration.ofSeconds(10)) // or .eta(OffsetDateTime)
			.expires(Duration.ofMinutes(5))
			.taskId("divide-16-by-2")
			.build());
		// end::request[]
		return result;
	}

	void sendLater(OffsetDateTime tomorrowMorning) {
		// tag::eta[]
		this.client.send(TaskRequest.builder("reports.daily").args("sales").eta(tomorrowMorning).build());
		// end::eta[]
	}

	void readResults(String taskId) {
		// tag::result[]
		TaskResult result = this.client.result(taskId); // Celery's AsyncResult(id)
		TaskState state = result.getState(); // PENDING when the store knows nothing of it
		// wait for it, converted with Jackson
		Double quotient = result.get(Duration.ofSeconds(10), Double.class);
		// or be called back, without a waiting thread
		CompletableFuture<Double> later = result.toFuture(Double.class);
		// end::result[]
		logger.info("{} {} {}", state, quotient, later);
	}

	void failures() {
		// tag::failures[]
		try {
			this.client.send("worker.divide", 1, 0).get(Duration.ofSeconds(10));
		}
		catch (TaskFailedException ex) { // the task failed (or was revoked) on the worker
			logger.warn("{}.{}: {}", ex.getExceptionModule(), ex.getExceptionType(), ex.getRemoteMessage());
			logger.warn(ex.getRemoteTraceback());
		}
		catch (TaskTimeoutException ex) { // not ready within 10 seconds; the task goes on
			logger.warn("still {}", ex.getLastState());
		}
		catch (TaskPublishException ex) { // not sent: the broker did not confirm it
			logger.error("send failed", ex);
		}
		// end::failures[]
	}

	void revoke(String taskId) {
		// tag::revoke[]
		this.client.revoke(taskId); // will not run; a running task goes on
		this.client.revoke(taskId, true); // and interrupt it where it runs
		this.client.result(taskId).revoke(); // the same, from a handle
		// end::revoke[]
	}

}
