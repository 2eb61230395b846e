package dev.taskqueue.worker.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.taskqueue.client.DefaultTaskClient;
import dev.taskqueue.protocol.internal.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * The tasks a worker is running right now. Thread-safe; an entry exists from just before
 * a task's method is called until its outcome is stored and published (or that failed).
 */
public final class ActiveTasks {

	private final Map<RunningTask, Call> tasks = new ConcurrentHashMap<>();

	RunningTask begin(TaskMessage message, String queue) {
		RunningTask task = new RunningTask(message, queue, Instant.now(), System.nanoTime());
		this.tasks.put(task, new Call(Thread.currentThread()));
		return task;
	}

	/**
	 * Interrupt the threads running a task's method, if they are in it.
	 * @param taskId the task id
	 * @return whether a running method was interrupted
	 */
	boolean terminate(String taskId) {
		boolean interrupted = false;
		for (Map.Entry<RunningTask, Call> entry : this.tasks.entrySet()) {
			if (entry.getKey().id().equals(taskId)) {
				interrupted |= entry.getValue().terminate();
			}
		}
		return interrupted;
	}

	/**
	 * Record that a task's method returned or threw; from now on it is not interrupted.
	 * Clears the calling thread's interrupt flag when the call was terminated.
	 * @param task the task
	 * @return whether the call was terminated
	 */
	boolean callEnded(RunningTask task) {
		Call call = this.tasks.get(task);
		if (call == null || !call.end()) {
			return false;
		}
		Thread.interrupted();
		return true;
	}

	void end(RunningTask task) {
		this.tasks.remove(task);
	}

	/**
	 * Return how many tasks are running.
	 * @return how many tasks are running
	 */
	public int size() {
		return this.tasks.size();
	}

	/**
	 * Return the running tasks, oldest first.
	 * @return the running tasks, oldest first
	 */
	public List<RunningTask> list() {
		return this.tasks.keySet().stream().sorted(Comparator.comparingLong(RunningTask::startNanos)).toList();
	}

	/**
	 * Find a running task.
	 * @param taskId the task id
	 * @return the running task, or {@code null}
	 */
	public @Nullable RunningTask get(String taskId) {
		Collection<RunningTask> running = this.tasks.keySet();
		for (RunningTask task : running) {
			if (task.id().equals(taskId)) {
				return task;
			}
		}
		return null;
	}

	/**
	 * The thread in a task's method; interrupted only while the method runs.
	 */
	private static final class Call {

		private final Thread thread;

		private boolean running = true;

		private boolean terminated;

		Call(Thread thread) {
			this.thread = thread;
		}

		synchronized boolean terminate() {
			if (!this.running) {
				return false;
			}
			if (!this.terminated) {
				// Once: the same revoke may arrive both over Celery's remote control and
				// the Redis control channel.
				this.terminated = true;
				this.thread.interrupt();
			}
			return true;
		}

		synchronized boolean end() {
			this.running = false;
			return this.terminated;
		}

	}

	/**
	 * One running task. Identity-based: a task id delivered twice to one worker gives two
	 * entries.
	 *
	 * @param message the task message
	 * @param queue the queue it came from
	 * @param startedAt when it started
	 * @param startNanos {@link System#nanoTime()} when it started
	 */
	public record RunningTask(TaskMessage message, String queue, Instant startedAt, long startNanos) {

		/**
		 * Return the task id.
		 * @return the task id
		 */
		public String id() {
			return this.message.id();
		}

		/**
		 * Return the task name.
		 * @return the task name
		 */
		public String name() {
			return this.message.task();
		}

		/**
		 * Return how long the task has been running.
		 * @return how long the task has been running
		 */
		public Duration runtime() {
			return Duration.ofNanos(System.nanoTime() - this.startNanos);
		}

		/**
		 * How long the task waited in the broker before it started: from when it was sent
		 * (the {@value DefaultTaskClient#SENT_AT_HEADER} header a taskqueue client adds)
		 * or, for a task sent with an eta or countdown, from when it was due.
		 * @return the wait, or {@code null} when the sender did not say when it sent the
		 * task
		 */
		public @Nullable Duration queueWait() {
			Object sentAt = this.message.extraHeaders().get(DefaultTaskClient.SENT_AT_HEADER);
			if (!(sentAt instanceof Number millis)) {
				return null;
			}
			long from = millis.longValue();
			OffsetDateTime eta = this.message.eta();
			if (eta != null) {
				from = Math.max(from, eta.toInstant().toEpochMilli());
			}
			return Duration.ofMillis(Math.max(0, this.startedAt.toEpochMilli() - from));
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return this == other;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this);
		}

	}

}
