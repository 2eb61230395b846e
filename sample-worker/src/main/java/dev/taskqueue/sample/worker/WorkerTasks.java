package dev.taskqueue.sample.worker;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.ResultMeta;
import dev.taskqueue.worker.QueueTask;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The tasks of the seed's {@code worker.py}. Their queues come from {@code taskqueue.routes}
 * and the rate limit of {@code worker.divide} from {@code taskqueue.tasks}, as in the seed's
 * {@code celeryconfig.py}.
 */
@Component
public class WorkerTasks {

	private static final Log logger = LogFactory.getLog(WorkerTasks.class);

	private final TaskClient client;

	public WorkerTasks(TaskClient client) {
		this.client = client;
	}

	/**
	 * {@code divide(x, y)} with Python 3's true division: {@code 1 / 2 == 0.5}, and dividing by
	 * zero fails (Python's {@code ZeroDivisionError}) instead of giving infinity.
	 * @param x the dividend
	 * @param y the divisor
	 * @return {@code x / y}
	 * @throws ArithmeticException if {@code y} is zero
	 */
	@QueueTask(name = "worker.divide")
	public double divide(double x, double y) {
		if (y == 0) {
			throw new ArithmeticException("division by zero");
		}
		double quotient = x / y;
		logger.info("divide(" + x + ", " + y + ") = " + quotient);
		return quotient;
	}

	/**
	 * The seed's {@code error_handler(uuid)}: looks the failed task up by id
	 * ({@code AsyncResult(uuid)}) and reports its state and exception. The stored record is
	 * extended, so, unlike in the seed, the failed call's arguments are known too.
	 * @param taskId the id of the task that failed
	 * @return what was found: {@code failed_task_id}, {@code state}, {@code info}, and the task's
	 * {@code name}, {@code args} and {@code kwargs} when the record holds them
	 */
	@QueueTask(name = "worker.error_handler")
	public Map<String, @Nullable Object> errorHandler(String taskId) {
		ResultMeta meta = this.client.result(taskId).meta();
		ExceptionInfo exception = meta.exception();
		Object info = (exception != null && meta.status().isException()) ? describe(exception) : meta.result();
		logger.warn("task error " + taskId);
		logger.warn(meta.status());
		logger.warn((exception != null) ? exception.qualifiedType() + ": " + exception.message() : info);
		if (meta.args() != null || meta.kwargs() != null) {
			logger.warn("called as " + meta.name() + " args=" + meta.args() + " kwargs=" + meta.kwargs());
		}
		Map<String, @Nullable Object> report = new LinkedHashMap<>();
		report.put("failed_task_id", taskId);
		report.put("state", meta.status().name());
		report.put("info", info);
		report.put("name", meta.name());
		report.put("args", meta.args());
		report.put("kwargs", meta.kwargs());
		return report;
	}

	private static Map<String, @Nullable Object> describe(ExceptionInfo exception) {
		Map<String, @Nullable Object> info = new LinkedHashMap<>();
		info.put("type", exception.type());
		info.put("module", exception.module());
		info.put("message", exception.message());
		return info;
	}

}
