package dev.taskqueue.worker.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.Assert;

/**
 * The threads a worker uses beside its consumers: the scheduler that holds tasks until
 * they are due, returns messages to their queue after the redelivery backoff and fires
 * soft time limits; the executor that runs held tasks once due; and the one that runs
 * methods under a hard time limit.
 * <p>
 * Each is either given before the worker starts (Spring Boot may pass virtual-thread
 * ones) or created when it starts, as the worker always created them. Only those created
 * here are shut down here: a given one belongs to whoever gave it.
 */
public final class WorkerExecutors {

	/** Longest wait at destroy for held tasks that already started. */
	private static final long HELD_TASKS_TIMEOUT_SECONDS = 5;

	private volatile @Nullable TaskScheduler scheduler;

	private volatile @Nullable Executor heldTasks;

	private volatile @Nullable Executor timeLimited;

	private @Nullable ThreadPoolTaskScheduler ownScheduler;

	private @Nullable ExecutorService ownHeldTasks;

	private @Nullable ExecutorService ownTimeLimited;

	private volatile boolean started;

	public void setScheduler(TaskScheduler scheduler) {
		assertNotStarted("scheduler");
		this.scheduler = scheduler;
	}

	public void setHeldTasks(Executor heldTasks) {
		assertNotStarted("held task executor");
		this.heldTasks = heldTasks;
	}

	public void setTimeLimited(Executor timeLimited) {
		assertNotStarted("time limit executor");
		this.timeLimited = timeLimited;
	}

	private void assertNotStarted(String what) {
		Assert.state(!this.started, () -> "The worker's " + what + " must be set before the worker starts");
	}

	/**
	 * Create what was not given; called when the worker starts, once.
	 * @param concurrency how many tasks the worker runs at once, which is how many held
	 * tasks may run at once
	 */
	public synchronized void start(int concurrency) {
		if (this.started) {
			return;
		}
		if (this.scheduler == null) {
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setThreadNamePrefix("taskqueue-eta-");
			scheduler.initialize();
			this.ownScheduler = scheduler;
			this.scheduler = scheduler;
		}
		if (this.heldTasks == null) {
			ExecutorService heldTasks = Executors.newFixedThreadPool(Math.max(1, concurrency),
					new CustomizableThreadFactory("taskqueue-eta-worker-"));
			this.ownHeldTasks = heldTasks;
			this.heldTasks = heldTasks;
		}
		if (this.timeLimited == null) {
			CustomizableThreadFactory threads = new CustomizableThreadFactory("taskqueue-task-");
			// Abandoned at their hard limit, they must never hold up the JVM's exit.
			threads.setDaemon(true);
			ExecutorService timeLimited = Executors.newCachedThreadPool(threads);
			this.ownTimeLimited = timeLimited;
			this.timeLimited = timeLimited;
		}
		this.started = true;
	}

	TaskScheduler scheduler() {
		return started(this.scheduler);
	}

	Executor heldTasks() {
		return started(this.heldTasks);
	}

	Executor timeLimited() {
		return started(this.timeLimited);
	}

	private static <T> T started(@Nullable T executor) {
		Assert.state(executor != null, "The worker has not started");
		return executor;
	}

	/**
	 * Shut down what was created here: the scheduler at once (held tasks go back to the
	 * broker with their consumers' channels), held tasks that already started given a
	 * little time to finish, and last the threads of hard-limited methods, which those
	 * held tasks may still have started.
	 */
	public synchronized void shutdown() {
		if (this.ownScheduler != null) {
			this.ownScheduler.shutdown();
		}
		if (this.ownHeldTasks != null) {
			this.ownHeldTasks.shutdown();
			try {
				this.ownHeldTasks.awaitTermination(HELD_TASKS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (this.ownTimeLimited != null) {
			// Interrupts every task thread; abandoned ones that ignore it are daemons.
			this.ownTimeLimited.shutdownNow();
		}
	}

}
