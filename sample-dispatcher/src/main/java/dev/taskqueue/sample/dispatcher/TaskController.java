package dev.taskqueue.sample.dispatcher;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskPublishException;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.client.TaskRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dispatcher's HTTP API: send {@code worker.divide} and look any task up by id. <pre>
 * POST /tasks/divide?x=16&amp;y=2   202 {"id": "..."}
 * GET  /tasks/{id}                200 {"id": "...", "state": "SUCCESS", "result": 8.0}
 *                                 200 {"id": "...", "state": "FAILURE", "error": {"type", "module", "message", "traceback"}}
 * </pre>
 */
@RestController
@RequestMapping("/tasks")
public class TaskController {

	private final TaskClient client;

	public TaskController(TaskClient client) {
		this.client = client;
	}

	/**
	 * Send {@code worker.divide(x, y)} by name, as the tutorial's {@code app.send_task}
	 * does.
	 * @param x the dividend
	 * @param y the divisor
	 * @return 202 with the task id, and the task's URL as {@code Location}
	 */
	@PostMapping("/divide")
	public ResponseEntity<Map<String, String>> divide(@RequestParam double x, @RequestParam double y) {
		TaskResult result = this.client.send("worker.divide", x, y);
		return ResponseEntity.accepted()
			.location(URI.create("/tasks/" + result.getId()))
			.body(Map.of("id", result.getId()));
	}

	/**
	 * A task's state and its result or error (Celery's {@code AsyncResult(id)}). An id
	 * the result store does not know reads {@code PENDING}, as in Celery.
	 * @param id the task id
	 * @return {@code id}, {@code state} and either {@code result} or {@code error}
	 */
	@GetMapping("/{id}")
	public Map<String, @Nullable Object> task(@PathVariable String id) {
		TaskRecord record = this.client.result(id).getRecord();
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		body.put("id", id);
		body.put("state", record.state().name());
		ExceptionInfo exception = record.exception();
		if (record.state().isException() || (record.state() == TaskState.RETRY && exception != null)) {
			body.put("error", error(exception, record));
		}
		else {
			body.put("result", record.result());
		}
		return body;
	}

	private static Map<String, @Nullable Object> error(@Nullable ExceptionInfo exception, TaskRecord record) {
		Map<String, @Nullable Object> error = new LinkedHashMap<>();
		error.put("type", (exception != null) ? exception.type() : "UnknownError");
		error.put("module", (exception != null) ? exception.module() : null);
		error.put("message", (exception != null) ? exception.message() : String.valueOf(record.result()));
		error.put("traceback", record.traceback());
		return error;
	}

	@ExceptionHandler(TaskPublishException.class)
	ResponseEntity<Map<String, String>> brokerUnavailable(TaskPublishException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.body(Map.of("error", String.valueOf(ex.getMessage())));
	}

}
