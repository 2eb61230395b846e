package dev.taskqueue.worker.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.internal.TaskRateLimiter;
import dev.taskqueue.worker.TaskListener;
import dev.taskqueue.worker.TaskOptions;
import dev.taskqueue.worker.WorkerSettings;
import org.jspecify.annotations.Nullable;

/**
 * What each task needs at run time beyond its method, resolved the first time it runs and
 * kept until something it is made of changes: its rate limiter, its retry policy and its
 * listeners. A rate limit changed at run time wins over the settings and the annotation,
 * and is kept here with them.
 */
public final class TaskRuntimes {

	private final WorkerSettings settings;

	private final RateLimitGate rateLimits;

	private final TaskLifecycle lifecycle;

	private final Map<String, TaskRuntime> byTask = new ConcurrentHashMap<>();

	/** Rate limits changed at run time, by task name. */
	private final Map<String, RateLimit> changedRateLimits = new ConcurrentHashMap<>();

	/** Tasks whose rate limit was removed at run time. */
	private final Set<String> removedRateLimits = ConcurrentHashMap.newKeySet();

	TaskRuntimes(WorkerSettings settings, RateLimitGate rateLimits, TaskLifecycle lifecycle) {
		this.settings = settings;
		this.rateLimits = rateLimits;
		this.lifecycle = lifecycle;
	}

	/**
	 * Return a task's runtime.
	 * @param method the task
	 * @return its runtime
	 * @throws IllegalStateException if its rate limit is cluster-wide and there is no
	 * Redis
	 */
	TaskRuntime of(TaskMethod method) {
		TaskRuntime runtime = this.byTask.get(method.getName());
		return (runtime != null) ? runtime : this.byTask.computeIfAbsent(method.getName(), (name) -> resolve(method));
	}

	private TaskRuntime resolve(TaskMethod method) {
		String name = method.getName();
		RateLimit limit = rateLimitOf(method);
		return new TaskRuntime((limit != null) ? this.rateLimits.limiter(name, limit) : null,
				this.settings.optionsOf(name).applyTo(method.getRetryPolicy()), this.lifecycle.listenersOf(method));
	}

	/**
	 * A task's effective rate limit: changed at run time, else configured, else
	 * annotated.
	 * @param method the task
	 * @return the limit, or {@code null} for none
	 */
	public @Nullable RateLimit rateLimitOf(TaskMethod method) {
		RateLimit changed = this.changedRateLimits.get(method.getName());
		if (changed != null) {
			return changed;
		}
		if (this.removedRateLimits.contains(method.getName())) {
			return null;
		}
		TaskOptions options = this.settings.optionsOf(method.getName());
		return (options.rateLimit() != null) ? options.rateLimit() : method.getRateLimit();
	}

	/**
	 * Replace a task's rate limit; its next run resolves its runtime again.
	 * @param taskName the task name
	 * @param limit the new limit, or {@code null} for none
	 */
	void changeRateLimit(String taskName, @Nullable RateLimit limit) {
		if (limit != null) {
			this.changedRateLimits.put(taskName, limit);
			this.removedRateLimits.remove(taskName);
		}
		else {
			this.removedRateLimits.add(taskName);
			this.changedRateLimits.remove(taskName);
		}
		this.byTask.remove(taskName);
	}

	public boolean isRateLimitChanged(String taskName) {
		return this.changedRateLimits.containsKey(taskName) || this.removedRateLimits.contains(taskName);
	}

	/**
	 * Resolve every task's runtime again on its next run: the worker's listeners or its
	 * observation changed.
	 */
	public void refresh() {
		this.byTask.clear();
	}

	/**
	 * What a task needs at run time beyond its method.
	 *
	 * @param limiter its rate limiter, or {@code null} for none
	 * @param policy its retry policy, the settings applied to its annotation's
	 * @param listeners its listeners, in the order they are called
	 */
	record TaskRuntime(@Nullable TaskRateLimiter limiter, RetryPolicy policy, List<TaskListener> listeners) {

	}

}
