package dev.taskqueue.test;

/**
 * What the {@link dev.taskqueue.client.TaskClient} of a test does with the tasks it
 * sends.
 *
 * @see AutoConfigureTaskQueue#mode()
 */
public enum TaskQueueTestMode {

	/**
	 * Publish nothing: every send, canvas included, is recorded by the
	 * {@link TaskRecorder}, and its result stays pending unless stubbed. Needs no broker,
	 * no result store and no registered task.
	 */
	RECORD,

	/**
	 * Run each sent task in the test's JVM, as a worker would: the message is encoded
	 * with the real codec, routed, decoded, its arguments bound, the method invoked, the
	 * result stored in memory, and callbacks, errbacks, retries, chains, groups and
	 * chords followed. Sends are recorded too. Countdowns, expiry times, retry countdowns
	 * and rate limits follow the {@link TestClock}. Needs no broker and no result store.
	 */
	INLINE,

	/**
	 * The application's own configuration: a real RabbitMQ and Redis (for instance
	 * started by Testcontainers, with Spring Boot's {@code @ServiceConnection}).
	 */
	BROKER

}
