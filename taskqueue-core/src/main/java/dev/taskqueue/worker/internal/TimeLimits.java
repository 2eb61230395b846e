package dev.taskqueue.worker.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.RetryException;
import dev.taskqueue.worker.SoftTimeLimitExceeded;
import dev.taskqueue.worker.TaskOptions;
import dev.taskqueue.worker.TimeLimitExceeded;
import dev.taskqueue.worker.WorkerSettings;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.TaskScheduler;

/**
 * Calls task methods within their time limits (Celery's {@code soft_time_limit} and
 * {@code time_limit}).
 * <p>
 * Limits come from the message's {@code timelimit} header ({@code [hard, soft]} in
 * seconds, set per call), then {@code taskqueue.tasks.<name>.*}, then {@code @QueueTask},
 * then the worker's defaults; each limit is resolved on its own, and zero or less means
 * none.
 * <p>
 * Without limits the method runs on the calling (consumer) thread, as before. With only a
 * soft limit it still does, and the thread is interrupted when the limit passes (from the
 * worker's scheduler). With a hard limit the method runs on a thread of the worker's
 * {@link WorkerExecutors#timeLimited() time limit executor} while the consumer waits at
 * most until the hard limit: then it interrupts the method one last time, abandons its
 * thread (the JVM cannot kill a thread; its eventual outcome is discarded) and throws
 * {@link TimeLimitExceeded}, so the message is settled and the consumer takes the next
 * one. The default executor's threads are daemons and never hold up the JVM's exit.
 */
public final class TimeLimits {

	private static final Log logger = LogFactory.getLog(TimeLimits.class);

	private final WorkerSettings settings;

	private final WorkerExecutors executors;

	private final Map<String, Limits> byTask = new ConcurrentHashMap<>();

	private final AtomicInteger abandoned = new AtomicInteger();

	private volatile ObservationRegistry observations = ObservationRegistry.NOOP;

	TimeLimits(WorkerSettings settings, WorkerExecutors executors) {
		this.settings = settings;
		this.executors = executors;
	}

	/**
	 * Carry the calling thread's current observation (the task's
	 * {@code taskqueue.execute}) to the thread a hard-limited method runs on, so the
	 * method runs inside its span.
	 * @param observations the observation registry
	 */
	public void setObservationRegistry(ObservationRegistry observations) {
		this.observations = observations;
	}

	/**
	 * Call a task's method within its limits.
	 * @param method the task
	 * @param values the bound arguments
	 * @param task the message, whose header may set limits for this call
	 * @return what the method returned
	 * @throws SoftTimeLimitExceeded if the method threw after its soft limit interrupted
	 * it
	 * @throws TimeLimitExceeded if the method was still running at its hard limit
	 * @throws Throwable what the method threw
	 */
	@Nullable Object invoke(TaskMethod method, @Nullable Object[] values, TaskMessage task) throws Throwable {
		Limits own = this.byTask.computeIfAbsent(method.getName(), (name) -> resolve(method));
		Duration hard = orElse(fromHeader(task.hardTimeLimit()), own.hard());
		Duration soft = orElse(fromHeader(task.softTimeLimit()), own.soft());
		if (hard == null && soft == null) {
			return method.invoke(values);
		}
		Call call = new Call(method, values, task, soft);
		if (hard == null) {
			return call.run();
		}
		Observation current = this.observations.getCurrentObservation();
		FutureTask<@Nullable Object> body = new FutureTask<>(() -> {
			try (Observation.Scope scope = (current != null) ? current.openScope() : Observation.Scope.NOOP) {
				return call.run();
			}
			catch (Exception ex) {
				throw ex;
			}
			catch (Throwable ex) {
				throw new Carrier(ex);
			}
		});
		this.executors.timeLimited().execute(body);
		long deadline = System.nanoTime() + hard.toNanos();
		while (true) {
			try {
				return body.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException ex) {
				Throwable cause = ex.getCause();
				throw (cause instanceof Carrier carrier) ? carrier.getCause() : (cause != null) ? cause : ex;
			}
			catch (InterruptedException ex) {
				// A terminate interrupts the thread the task started on: pass it on to
				// the method.
				call.interrupt();
			}
			catch (TimeoutException ex) {
				if (!call.abandon()) {
					// It returned just now: take its outcome.
					continue;
				}
				int count = this.abandoned.get();
				logger.error("Hard time limit (" + seconds(hard) + "s) exceeded for " + task.task() + "[" + task.id()
						+ "]; its thread " + call.threadName() + " is abandoned (" + count
						+ " abandoned threads on this worker)");
				throw new TimeLimitExceeded(hard);
			}
		}
	}

	/**
	 * Change a task's own time limits at run time (Celery's {@code time_limit} command);
	 * a limit a message carries still wins for that message.
	 * @param taskName the task name
	 * @param soft the soft limit, or {@code null} for none
	 * @param hard the hard limit, or {@code null} for none
	 */
	void change(String taskName, @Nullable Duration soft, @Nullable Duration hard) {
		this.byTask.put(taskName, new Limits(positive(hard), positive(soft)));
	}

	/**
	 * A task's own time limits: changed at run time, else configured, annotated or the
	 * worker's default.
	 * @param method the task
	 * @return the soft and hard limit, each {@code null} for none
	 */
	@Nullable Duration[] limitsOf(TaskMethod method) {
		Limits own = this.byTask.computeIfAbsent(method.getName(), (name) -> resolve(method));
		return new @Nullable Duration[] { own.soft(), own.hard() };
	}

	/**
	 * Return how many task threads were abandoned at their hard limit and still run.
	 * @return how many task threads were abandoned at their hard limit and still run
	 */
	public int abandonedCount() {
		return this.abandoned.get();
	}

	private Limits resolve(TaskMethod method) {
		TaskOptions options = this.settings.optionsOf(method.getName());
		QueueTask annotation = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), QueueTask.class);
		Duration hard = positive(options.timeLimit());
		Duration soft = positive(options.softTimeLimit());
		if (hard == null && annotation != null) {
			hard = fromSeconds(annotation.timeLimit());
		}
		if (soft == null && annotation != null) {
			soft = fromSeconds(annotation.softTimeLimit());
		}
		return new Limits(orElse(hard, positive(this.settings.timeLimit())),
				orElse(soft, positive(this.settings.softTimeLimit())));
	}

	private static @Nullable Duration fromHeader(@Nullable Number seconds) {
		return (seconds != null) ? fromSeconds(seconds.doubleValue()) : null;
	}

	private static @Nullable Duration fromSeconds(double seconds) {
		if (!(seconds > 0) || Double.isInfinite(seconds)) {
			return null;
		}
		return Duration.ofNanos((long) Math.min(Long.MAX_VALUE, seconds * 1_000_000_000d));
	}

	private static @Nullable Duration positive(@Nullable Duration duration) {
		return (duration != null && !duration.isNegative() && !duration.isZero()) ? duration : null;
	}

	private static @Nullable Duration orElse(@Nullable Duration first, @Nullable Duration second) {
		return (first != null) ? first : second;
	}

	/**
	 * A duration in seconds as Celery writes limits: {@code 1.5}.
	 * @param duration the duration
	 * @return the seconds
	 */
	static double seconds(Duration duration) {
		return duration.toNanos() / 1_000_000_000d;
	}

	private record Limits(@Nullable Duration hard, @Nullable Duration soft) {

	}

	/**
	 * One call of a task method; interrupts go to its thread only while the method runs.
	 */
	private final class Call {

		private final TaskMethod method;

		private final @Nullable Object[] values;

		private final TaskMessage task;

		private final @Nullable Duration soft;

		private @Nullable Thread thread;

		private boolean running;

		private boolean softFired;

		private boolean abandoned;

		private final long startNanos = System.nanoTime();

		Call(TaskMethod method, @Nullable Object[] values, TaskMessage task, @Nullable Duration soft) {
			this.method = method;
			this.values = values;
			this.task = task;
			this.soft = soft;
		}

		@Nullable Object run() throws Throwable {
			Duration soft = this.soft;
			synchronized (this) {
				if (this.abandoned) {
					TimeLimits.this.abandoned.decrementAndGet();
					return null;
				}
				this.thread = Thread.currentThread();
				this.running = true;
			}
			ScheduledFuture<?> softTimer = (soft != null) ? scheduleSoftLimit(soft) : null;
			boolean returned = false;
			try {
				Object result = this.method.invoke(this.values);
				returned = true;
				return result;
			}
			catch (RetryException ex) {
				throw ex;
			}
			catch (Throwable ex) {
				if (finish() && soft != null) {
					throw new SoftTimeLimitExceeded(soft, ex);
				}
				throw ex;
			}
			finally {
				if (softTimer != null) {
					softTimer.cancel(false);
				}
				finish();
				boolean wasAbandoned;
				synchronized (this) {
					wasAbandoned = this.abandoned;
				}
				if (wasAbandoned) {
					TimeLimits.this.abandoned.decrementAndGet();
					logger.warn("Task " + this.task.task() + "[" + this.task.id() + "], abandoned at its hard time "
							+ "limit, " + (returned ? "returned" : "ended") + " after "
							+ Duration.ofNanos(System.nanoTime() - this.startNanos).toMillis()
							+ " ms; its outcome is discarded");
				}
			}
		}

		private @Nullable ScheduledFuture<?> scheduleSoftLimit(Duration soft) {
			try {
				TaskScheduler scheduler = TimeLimits.this.executors.scheduler();
				return scheduler.schedule(this::softLimit, scheduler.getClock().instant().plusNanos(soft.toNanos()));
			}
			catch (RejectedExecutionException ex) {
				// The worker is being destroyed: the task finishes without its soft
				// limit.
				logger.debug("Worker stopping: task " + this.task.id() + " runs without its soft time limit");
				return null;
			}
		}

		private synchronized void softLimit() {
			Duration soft = this.soft;
			if (this.running && this.thread != null && soft != null) {
				this.softFired = true;
				logger.warn("Soft time limit (" + seconds(soft) + "s) exceeded for " + this.task.task() + "["
						+ this.task.id() + "]; interrupting it");
				this.thread.interrupt();
			}
		}

		synchronized void interrupt() {
			if (this.running && this.thread != null) {
				this.thread.interrupt();
			}
		}

		/**
		 * Give up on the call at its hard limit.
		 * @return {@code false} if it already returned
		 */
		synchronized boolean abandon() {
			if (!this.running && this.thread != null) {
				return false;
			}
			this.abandoned = true;
			TimeLimits.this.abandoned.incrementAndGet();
			interrupt();
			return true;
		}

		synchronized String threadName() {
			return (this.thread != null) ? this.thread.getName() : "(not started)";
		}

		/**
		 * End the call on its own thread, clearing the interrupt a soft limit left.
		 * @return whether the soft limit fired
		 */
		private boolean finish() {
			boolean fired;
			synchronized (this) {
				this.running = false;
				fired = this.softFired;
			}
			if (fired) {
				Thread.interrupted();
			}
			return fired;
		}

	}

	/**
	 * Carries an {@link Error} or other non-{@link Exception} throwable out of the task's
	 * thread.
	 */
	private static final class Carrier extends Exception {

		Carrier(Throwable cause) {
			super(null, cause, false, false);
		}

	}

}
