package dev.taskqueue.sample.worker;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskFailure;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The tasks of the tutorial's {@code worker.py}. Their queues come from
 * {@code taskqueue.routes} and the rate limit of {@code worker.divide} from
 * {@code taskqueue.tasks}, as in the tutorial's {@code celeryconfig.py}.
 */
@Component
public class WorkerTasks {

	private static final Log logger = LogFactory.getLog(WorkerTasks.class);

	/**
	 * {@code divide(x, y)} with Python 3's true division: {@code 1 / 2 == 0.5}, and
	 * dividing by zero fails (Python's {@code ZeroDivisionError}) instead of giving
	 * infinity.
	 * @param x the dividend
	 * @param y the divisor
	 * @return {@code x / y}
	 * @throws ArithmeticException if {@code y} is zero
	 */
	@QueueTask(name = "worker.divide", listeners = DebugTask.class)
	public double divide(double x, double y) {
		if (y == 0) {
			throw new ArithmeticException("division by zero");
		}
		double quotient = x / y;
		logger.info("divide(" + x + ", " + y + ") = " + quotient);
		return quotient;
	}

	/**
	 * The tutorial's {@code error_handler(uuid)}, sent by a worker as the errback
	 * ({@code link_error}) of a failed task with the failed task's id as its argument,
	 * exactly as Celery sends it. The {@link TaskFailure} parameter takes that id and
	 * reads the failed call from the result store, so, unlike in the tutorial, the
	 * handler sees its arguments too (the 1 and the 0 of {@code divide(1, 0)}).
	 * @param failure the failed call
	 * @return what was found: {@code failed_task_id}, {@code state}, {@code info}, and
	 * the task's {@code name}, {@code args} and {@code kwargs}
	 */
	@QueueTask(name = "worker.error_handler")
	public Map<String, @Nullable Object> errorHandler(TaskFailure failure) {
		logger.warn("task error " + failure.getTaskId());
		logger.warn(failure.getState());
		logger.warn(failure.getExceptionType() + ": " + failure.getExceptionMessage());
		logger.warn(
				"called as " + failure.getTaskName() + " args=" + failure.getArgs() + " kwargs=" + failure.getKwargs());
		Map<String, @Nullable Object> info = new LinkedHashMap<>();
		info.put("type", failure.getExceptionType());
		info.put("module", failure.getExceptionModule());
		info.put("message", failure.getExceptionMessage());
		Map<String, @Nullable Object> report = new LinkedHashMap<>();
		report.put("failed_task_id", failure.getTaskId());
		report.put("state", failure.getState().name());
		report.put("info", info);
		report.put("name", failure.getTaskName());
		report.put("args", failure.getArgs());
		report.put("kwargs", failure.getKwargs());
		return report;
	}

}
