package dev.taskqueue.autoconfigure.endpoint;

import java.util.Map;

import java.util.Set;

import dev.taskqueue.autoconfigure.beat.BeatOperations;
import dev.taskqueue.autoconfigure.endpoint.TaskQueueEndpoint.RateLimitChange;
import dev.taskqueue.autoconfigure.endpoint.TaskQueueEndpoint.RevokeResult;
import dev.taskqueue.autoconfigure.endpoint.TaskQueueEndpoint.WorkerDescriptor;
import dev.taskqueue.autoconfigure.endpoint.TaskQueueEndpoint.WorkersDescriptor;
import dev.taskqueue.beat.PeriodicTasks;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.ControlReply;
import dev.taskqueue.control.RateLimits;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.RateLimitScope;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@link TaskQueueEndpoint taskqueue endpoint} over HTTP: the arguments of running
 * tasks shown to the users {@code management.endpoint.taskqueue.show-values} and
 * {@code roles} allow, and the operations addressed by paths.
 * <ul>
 * <li>read ({@code GET /actuator/taskqueue/workers}): the live workers of the
 * cluster;</li>
 * <li>delete ({@code DELETE /actuator/taskqueue/tasks/{id}?terminate=}): revoke a task on
 * every worker, interrupting it where it runs with {@code terminate=true};</li>
 * <li>write ({@code POST /actuator/taskqueue/tasks/{name}/rate-limit} with
 * {@code {"limit": "10/s"}}, optionally {@code "burst"} and {@code "scope"}): change a
 * task's rate limit on every worker.</li>
 * </ul>
 * Write and delete operations need
 * {@code management.endpoint.taskqueue.access=unrestricted}.
 */
@EndpointWebExtension(endpoint = TaskQueueEndpoint.class)
public class TaskQueueEndpointWebExtension {

	private static final String WORKERS = "workers";

	private static final String TASKS = "tasks";

	private static final String RATE_LIMIT = "rate-limit";

	private final TaskQueueEndpoint delegate;

	private final TaskClient client;

	private final Show showValues;

	private final Set<String> roles;

	private @Nullable RateLimits rateLimits;

	private @Nullable ClusterControl cluster;

	/**
	 * Create the extension.
	 * @param delegate the endpoint
	 * @param client revokes tasks
	 * @param showValues when the arguments of running tasks are shown
	 * @param roles the roles that may see them when {@code showValues} is
	 * {@link Show#WHEN_AUTHORIZED} (any authenticated user when empty)
	 */
	public TaskQueueEndpointWebExtension(TaskQueueEndpoint delegate, TaskClient client, Show showValues,
			Set<String> roles) {
		this.delegate = delegate;
		this.client = client;
		this.showValues = showValues;
		this.roles = Set.copyOf(roles);
	}

	/**
	 * Set what changes rate limits on every worker.
	 * @param rateLimits the rate limits API, or {@code null} (then changes are refused)
	 */
	public void setRateLimits(@Nullable RateLimits rateLimits) {
		this.rateLimits = rateLimits;
	}

	/**
	 * Set the client of Celery's remote control, through which rate limits without a
	 * burst or scope are changed on every worker, Java and Python alike.
	 * @param cluster the cluster client, or {@code null} (then every change goes through
	 * the Redis control channel, to taskqueue workers only)
	 */
	public void setClusterControl(@Nullable ClusterControl cluster) {
		this.cluster = cluster;
	}

	/**
	 * Describe the worker and the cluster's workers ({@code GET /actuator/taskqueue}).
	 * @param securityContext who asks
	 * @return the worker, its tasks, queues and running tasks, and the live workers
	 */
	@ReadOperation
	public WorkerDescriptor describe(SecurityContext securityContext) {
		return this.delegate.describe(this.showValues.isShown(securityContext, this.roles));
	}

	/**
	 * The live workers of the cluster ({@code GET /actuator/taskqueue/workers}), from
	 * their heartbeats in Redis.
	 * @param workers the literal {@code workers}
	 * @return the workers
	 */
	@ReadOperation
	public WorkersDescriptor workers(@Selector String workers) {
		if (!WORKERS.equals(workers)) {
			throw new InvalidEndpointRequestException("Unknown path '" + workers + "': use /workers", "Unknown path");
		}
		return this.delegate.workers();
	}

	/**
	 * Revoke a task on every worker ({@code DELETE
	 * /actuator/taskqueue/tasks/{id}?terminate=true}).
	 * @param tasks the literal {@code tasks}
	 * @param id the task id
	 * @param terminate whether to interrupt the task where it runs ({@code false} when
	 * absent)
	 * @return what was revoked
	 */
	@DeleteOperation
	public RevokeResult revoke(@Selector String tasks, @Selector String id, @Nullable Boolean terminate) {
		checkTasksPath(tasks);
		boolean interrupt = Boolean.TRUE.equals(terminate);
		try {
			this.client.revoke(id, interrupt);
		}
		catch (IllegalStateException ex) {
			throw new InvalidEndpointRequestException(String.valueOf(ex.getMessage()), "Revocation is not available");
		}
		return new RevokeResult(id, interrupt);
	}

	/**
	 * Change a task's rate limit on every worker ({@code POST
	 * /actuator/taskqueue/tasks/{name}/rate-limit} with {@code {"limit": "10/s"}},
	 * optionally with {@code "burst": 5} and {@code "scope": "cluster"}).
	 * @param tasks the literal {@code tasks}
	 * @param name the task name
	 * @param operation the literal {@code rate-limit}
	 * @param limit the new limit, e.g. {@code 10/s}
	 * @param burst the bucket's capacity (default 1)
	 * @param scope {@code worker} (default) or {@code cluster}
	 * @return the change
	 */
	@WriteOperation
	public RateLimitChange changeRateLimit(@Selector String tasks, @Selector String name, @Selector String operation,
			String limit, @Nullable Integer burst, @Nullable String scope) {
		checkTasksPath(tasks);
		if (!RATE_LIMIT.equals(operation)) {
			throw new InvalidEndpointRequestException("Unknown operation '" + operation + "': use rate-limit",
					"Unknown operation");
		}
		RateLimit parsed;
		try {
			parsed = RateLimit.parse(limit);
			if (burst != null) {
				parsed = parsed.withBurst(burst);
			}
			if (scope != null) {
				parsed = parsed.withScope(scope(scope));
			}
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException(String.valueOf(ex.getMessage()), "Invalid rate limit");
		}
		ClusterControl cluster = this.cluster;
		if (cluster != null && burst == null && scope == null) {
			// Celery's rate_limit: every worker, Python ones too, answers; a worker
			// without
			// the task says so.
			Map<String, ControlReply> replies = cluster.control().rateLimit(name, parsed.describe());
			long receivers = replies.values().stream().filter((reply) -> reply.error() == null).count();
			return new RateLimitChange(name, TaskQueueEndpoint.describe(parsed), receivers);
		}
		RateLimits rateLimits = this.rateLimits;
		if (rateLimits == null) {
			throw new InvalidEndpointRequestException(
					"Changing rate limits with a burst or scope needs Redis (taskqueue workers only)", "Not available");
		}
		long receivers = rateLimits.change(name, parsed);
		return new RateLimitChange(name, TaskQueueEndpoint.describe(parsed), receivers);
	}

	private static RateLimitScope scope(String scope) {
		for (RateLimitScope candidate : RateLimitScope.values()) {
			if (candidate.name().equalsIgnoreCase(scope.trim())) {
				return candidate;
			}
		}
		throw new IllegalArgumentException("Invalid rate limit scope '" + scope + "': use worker or cluster");
	}

	private static void checkTasksPath(String segment) {
		if (!TASKS.equals(segment)) {
			throw new InvalidEndpointRequestException("Unknown path '" + segment + "': use /tasks/{id}",
					"Unknown path");
		}
	}

	/**
	 * Run a periodic task now, enable or disable it ({@code POST
	 * /actuator/taskqueue/beat/{entry}} with {@code {"action": "run"}}).
	 * @param beat the literal {@code beat}
	 * @param entry the entry's name
	 * @param action {@code run}, {@code enable} or {@code disable}
	 * @return what was done
	 */
	@WriteOperation
	public BeatOperations.EntryChange changePeriodicTask(@Selector String beat, @Selector String entry, String action) {
		PeriodicTasks tasks = this.delegate.getPeriodicTasks();
		if (!"beat".equals(beat)) {
			throw new InvalidEndpointRequestException("Unknown path '" + beat + "': use /beat/{entry}", "Unknown path");
		}
		if (tasks == null) {
			throw new InvalidEndpointRequestException("Periodic tasks need Redis", "Not available");
		}
		try {
			return BeatOperations.change(tasks, entry, action);
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw new InvalidEndpointRequestException(String.valueOf(ex.getMessage()), "Invalid periodic task change");
		}
	}

}
