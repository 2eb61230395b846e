package dev.taskqueue.docs.snippets.interop;

import java.time.Duration;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.worker.QueueTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

@Component
class Orders {

	private static final Logger logger = LoggerFactory.getLogger(Orders.class);

	private final TaskClient client;

	Orders(TaskClient client) {
		this.client = client;
	}

	// tag::named[]
	// Python: app.send_task("orders.charge", args=["o-42", 1999])
	@QueueTask("orders.charge")
	Receipt charge(String orderId, long cents) {
		// Python's AsyncResult.get() sees a dict
		return new Receipt(orderId, cents, "charged");
	}
	// end::named[]

	void callPython() {
		// tag::python[]
		Integer five = this.client.send("tasks.add", 2, 3).get(Duration.ofSeconds(10), Integer.class);
		try {
			this.client.send("tasks.divide", 1, 0).get(Duration.ofSeconds(10));
		}
		catch (TaskFailedException ex) {
			ex.getExceptionType(); // "ZeroDivisionError"
			ex.getExceptionModule(); // "builtins"
			ex.getRemoteTraceback(); // Python's traceback
		}
		// end::python[]
		logger.info("{}", five);
	}

	record Receipt(String orderId, long cents, String status) {
	}

}
