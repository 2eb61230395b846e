package dev.taskqueue.benchmarks.worker;

import dev.taskqueue.worker.QueueTask;
import org.springframework.stereotype.Component;

/**
 * The task under test: does nothing but count itself (Celery's {@code tasks.noop}).
 */
@Component
class BenchTasks {

	/** The name the driver sends. */
	static final String NOOP = "bench.noop";

	private final Counter counter;

	BenchTasks(Counter counter) {
		this.counter = counter;
	}

	@QueueTask(name = NOOP)
	void noop() {
		this.counter.increment();
	}

}
