package dev.taskqueue.docs.snippets.flowcontrol;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.control.RateLimits;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.RateLimitScope;
import org.springframework.stereotype.Component;

@Component
class Throttle {

	private final RateLimits rateLimits;

	private final TaskClient client;

	Throttle(RateLimits rateLimits, TaskClient client) {
		this.rateLimits = rateLimits;
		this.client = client;
	}

	void change() {
		// tag::change[]
		this.rateLimits.change("worker.divide", "10/s"); // per worker, burst 1
		this.rateLimits.change("mail.send", RateLimit.parse("100/m").withBurst(20).withScope(RateLimitScope.CLUSTER));
		// end::change[]
	}

	void urgent() {
		// tag::priority[]
		// overtakes the messages of priority 0 to 8 waiting in the queue
		this.client.send(TaskRequest.builder("worker.divide").args(1, 2).priority(9).build());
		// end::priority[]
	}

}
