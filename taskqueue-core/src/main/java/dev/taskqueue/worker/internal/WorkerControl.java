package dev.taskqueue.worker.internal;

import com.rabbitmq.client.Channel;
import dev.taskqueue.control.internal.ControlBus;
import dev.taskqueue.control.internal.ControlListener;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.internal.ClusterRateLimiters;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What changes how a running worker treats tasks, whether the change comes from the
 * cluster's {@link ControlBus control channel} or from the worker's own lifecycle:
 * revocations (looked up at receipt and again at start; a {@code terminate} interrupts
 * the running method), rate limits changed at run time, and whether the worker takes
 * tasks at all (closed while it stops). Commands of Celery's remote control that act on a
 * worker's tasks arrive here.
 */
public final class WorkerControl implements ControlListener {

	private static final Log logger = LogFactory.getLog(WorkerControl.class);

	private final TaskRegistry registry;

	private final TaskRuntimes runtimes;

	private final RateLimitGate rateLimits;

	private final ActiveTasks activeTasks;

	private final ShutdownGate shutdown;

	private volatile @Nullable ControlBus control;

	WorkerControl(TaskRegistry registry, TaskRuntimes runtimes, RateLimitGate rateLimits, ActiveTasks activeTasks,
			ShutdownGate shutdown) {
		this.registry = registry;
		this.runtimes = runtimes;
		this.rateLimits = rateLimits;
		this.activeTasks = activeTasks;
		this.shutdown = shutdown;
	}

	/**
	 * Set where revocations are looked up.
	 * @param control the control bus, or {@code null} for none (nothing is revoked)
	 */
	public void setControlBus(@Nullable ControlBus control) {
		this.control = control;
	}

	/**
	 * Set where the buckets of cluster-wide rate limits live.
	 * @param cluster the shared limiters, or {@code null} when there is no Redis
	 */
	public void setClusterRateLimiters(@Nullable ClusterRateLimiters cluster) {
		this.rateLimits.setClusterRateLimiters(cluster);
	}

	boolean isRevoked(TaskMessage task) {
		ControlBus control = this.control;
		return control != null && control.isRevoked(task.id());
	}

	@Override
	public void onRevoke(String taskId, boolean terminate) {
		// The revocation itself is looked up in the control bus when the task arrives.
		if (terminate) {
			terminate(taskId);
		}
	}

	/**
	 * Interrupt a task this worker is running, if its method runs now; it then ends
	 * {@code REVOKED}.
	 * @param taskId the task id
	 * @return whether it was running
	 */
	boolean terminate(String taskId) {
		boolean interrupted = this.activeTasks.terminate(taskId);
		if (interrupted) {
			logger.info("Task " + taskId + " revoked with terminate: interrupting it");
		}
		return interrupted;
	}

	@Override
	public void onRateLimit(String taskName, RateLimit limit) {
		if (this.registry.get(taskName) == null) {
			return;
		}
		if (!supports(limit)) {
			logger.warn("Ignored the new rate limit " + limit.describe() + " of task " + taskName
					+ ": a cluster-wide limit needs Redis on this worker");
			return;
		}
		setRateLimit(taskName, limit);
	}

	/**
	 * Replace a task's rate limit on this worker.
	 * @param taskName the task name
	 * @param limit the new limit
	 */
	void setRateLimit(String taskName, RateLimit limit) {
		this.runtimes.changeRateLimit(taskName, limit);
		logger.info("Rate limit of task " + taskName + " changed to " + limit.permits() + " per " + limit.per());
	}

	/**
	 * Whether this worker can enforce a rate limit (a cluster-wide one needs Redis).
	 * @param limit the rate limit
	 * @return whether it can
	 */
	public boolean supports(RateLimit limit) {
		return this.rateLimits.supports(limit);
	}

	/**
	 * Stop running new tasks: from now on every message that reaches the worker,
	 * prefetched or held until due, goes straight back to its queue; tasks already
	 * running finish.
	 */
	public void stopTakingTasks() {
		this.shutdown.close();
	}

	/** Run tasks again after {@link #stopTakingTasks()}, when the worker is restarted. */
	public void resumeTakingTasks() {
		this.shutdown.open();
	}

	/**
	 * Return a message to its queue if the worker takes no tasks now.
	 * @param channel the channel it came on
	 * @param tag its delivery tag
	 * @return whether it was refused
	 */
	boolean refuse(Channel channel, long tag) {
		return this.shutdown.refuse(channel, tag);
	}

	/**
	 * Tell a task the worker cut short while it stops from one that failed.
	 * @param task the task
	 * @param raised what it raised
	 * @throws ShutdownGate.Abandoned if it was cut short: nothing is stored for it and
	 * its message is not acknowledged
	 */
	void abandonIfInterrupted(TaskMessage task, Throwable raised) {
		this.shutdown.abandonIfInterrupted(task, raised);
	}

}
