package dev.taskqueue.worker.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.Channel;
import dev.taskqueue.control.internal.ControlBus;
import dev.taskqueue.control.internal.ControlListener;
import dev.taskqueue.control.internal.node.RevokedTasks;
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

	private volatile @Nullable RevokedTasks revoked;

	/** Stamp values revoked by {@code revoke_by_stamped_headers}, by stamp name. */
	private final Map<String, Set<String>> revokedStamps = new ConcurrentHashMap<>();

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

	/**
	 * Set the ids revoked by Celery's remote control ({@code revoke} broadcasts and the
	 * {@code hello} of other nodes), looked up beside the control bus's.
	 * @param revoked the ids, or {@code null} for none
	 */
	public void setRevokedTasks(@Nullable RevokedTasks revoked) {
		this.revoked = revoked;
	}

	boolean isRevoked(TaskMessage task) {
		RevokedTasks revoked = this.revoked;
		if (revoked != null && revoked.contains(task.id())) {
			return true;
		}
		if (!this.revokedStamps.isEmpty() && matchesStamps(task, this.revokedStamps)) {
			return true;
		}
		ControlBus control = this.control;
		return control != null && control.isRevoked(task.id());
	}

	/**
	 * Revoke every task, from now on, whose message carries one of these stamps (Celery
	 * 5.3+'s {@code revoke_by_stamped_headers}).
	 * @param stamps stamp names and the values that revoke
	 */
	void revokeStamps(Map<String, List<String>> stamps) {
		stamps
			.forEach((name, values) -> this.revokedStamps.computeIfAbsent(name, (key) -> ConcurrentHashMap.newKeySet())
				.addAll(values));
	}

	/**
	 * Whether a message carries one of the given stamps, in Celery 5.3+'s {@code stamps}
	 * header (or, as Celery also writes them, as headers of their own named in
	 * {@code stamped_headers}).
	 * @param task the message
	 * @param stamps stamp names and the values that match
	 * @return whether one matches
	 */
	static boolean matchesStamps(TaskMessage task, Map<String, ? extends Collection<String>> stamps) {
		Map<String, Object> headers = task.extraHeaders();
		Object carried = headers.get("stamps");
		Object named = headers.get("stamped_headers");
		for (Map.Entry<String, ? extends Collection<String>> stamp : stamps.entrySet()) {
			Object value = null;
			if (carried instanceof Map<?, ?> map) {
				value = map.get(stamp.getKey());
			}
			if (value == null && named instanceof Collection<?> names && names.contains(stamp.getKey())) {
				value = headers.get(stamp.getKey());
			}
			for (String text : texts(value)) {
				if (stamp.getValue().contains(text)) {
					return true;
				}
			}
		}
		return false;
	}

	private static List<String> texts(@Nullable Object value) {
		List<String> texts = new ArrayList<>();
		if (value instanceof Collection<?> values) {
			values.forEach((item) -> texts.add(String.valueOf(item)));
		}
		else if (value != null) {
			texts.add(String.valueOf(value));
		}
		return texts;
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
	 * @param limit the new limit, or {@code null} for none
	 */
	void setRateLimit(String taskName, @Nullable RateLimit limit) {
		this.runtimes.changeRateLimit(taskName, limit);
		logger.info("Rate limit of task " + taskName + " changed to "
				+ ((limit != null) ? limit.permits() + " per " + limit.per() : "none"));
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
