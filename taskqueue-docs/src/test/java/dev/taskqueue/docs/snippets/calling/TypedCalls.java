package dev.taskqueue.docs.snippets.calling;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.taskqueue.client.ImportTaskInterfaces;
import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskCallOptions;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskExchange;
import dev.taskqueue.client.TaskExchange.ArgumentStyle;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.worker.QueueTask;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

class TypedCalls {

	record Point(double x, double y) {
	}

	// tag::interface[]
	@TaskExchange(name = "worker", queue = "math")
	interface MathTasks {

		@TaskExchange("divide")
		double divide(double x, double y); // send, wait for the result, convert it

		@TaskExchange("divide")
		TaskResult divideLater(double x, double y); // send, return the handle

		CompletableFuture<List<Point>> corners(double size); // task "worker.corners"

		@TaskExchange(name = "divide", countdown = 10)
		void divideSoon(double x, double y, TaskCallOptions options); // send only

		@TaskExchange("divide")
		Signature divideStep(double x, double y); // for a canvas: nothing is sent

		@TaskExchange("divide")
		Signature divideBy(double y); // partial: a chain puts the previous result first

		@TaskExchange(arguments = ArgumentStyle.KEYWORD)
		String greet(String name, String greeting); // kwargs={"name": ..., "greeting":
													// ...}

	}
	// end::interface[]

	// tag::import[]
	@SpringBootApplication
	@ImportTaskInterfaces(MathTasks.class) // or basePackages = "com.example.tasks"
	static class Application {

	}
	// end::import[]

	@Component
	static class Dispatcher {

		private final MathTasks tasks;

		private final TaskClient client;

		Dispatcher(MathTasks tasks, TaskClient client) {
			this.tasks = tasks;
			this.client = client;
		}

		void call() {
			// tag::call[]
			double quotient = this.tasks.divide(16, 2); // TaskFailedException,
														// TaskTimeoutException
			List<Point> corners = this.tasks.corners(2).join();
			this.tasks.divideSoon(1, 3, TaskCallOptions.builder().priority(5).expires(Duration.ofMinutes(1)).build());
			// Celery's chain(divide.s(64, 2), divide.s(4))
			TaskResult last = this.client.chain(this.tasks.divideStep(64, 2), this.tasks.divideBy(4)).send();
			// end::call[]
		}

	}

	// tag::worker[]
	@TaskExchange("worker")
	interface Divisions {

		double divide(double x, double y);

	}

	@Component
	static class DivisionsWorker implements Divisions {

		@Override
		@QueueTask(queue = "math") // named "worker.divide", as the interface says
		public double divide(double x, double y) {
			return x / y;
		}

	}
	// end::worker[]

}
