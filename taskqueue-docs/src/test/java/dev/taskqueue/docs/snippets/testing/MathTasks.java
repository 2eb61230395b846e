package dev.taskqueue.docs.snippets.testing;

import dev.taskqueue.worker.QueueTask;

import org.springframework.stereotype.Component;

@Component
class MathTasks {

	@QueueTask("math.divide")
	double divide(double x, double y) {
		if (y == 0) {
			throw new ArithmeticException("division by zero");
		}
		return x / y;
	}

}
