package dev.taskqueue.worker.internal;

import java.util.List;
import java.util.Map;

import dev.taskqueue.control.internal.node.RevokedTasks;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.RateLimitScope;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.Tasks;
import dev.taskqueue.worker.WorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changes made while the worker runs: rate limits, whether it takes tasks, terminates.
 */
class WorkerControlTests {

	private final TaskRegistry registry = new TaskRegistry();

	private final WorkerSettings settings = WorkerSettings.builder("w1@host", List.of("q")).build();

	private final RateLimitGate rateLimits = new RateLimitGate();

	private final TaskRuntimes runtimes = new TaskRuntimes(this.settings, this.rateLimits,
			new TaskLifecycle(this, "worker-a@host"));

	private final ActiveTasks activeTasks = new ActiveTasks();

	private final WorkerControl control = new WorkerControl(this.registry, this.runtimes, this.rateLimits,
			this.activeTasks, new ShutdownGate());

	WorkerControlTests() {
		new QueueTaskBeanPostProcessor(this.registry, JsonMapper.builder().build())
			.postProcessAfterInitialization(new Tasks(), "tasks");
	}

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	@Test
	void aRateLimitChangedAtRunTimeWinsAndTheTaskIsResolvedAgain() {
		TaskMethod method = method();
		TaskRuntimes.TaskRuntime before = this.runtimes.of(method);
		assertThat(this.runtimes.of(method)).isSameAs(before);
		RateLimit changed = RateLimit.parse("1/m");
		this.control.onRateLimit("control.limited", changed);
		assertThat(this.runtimes.rateLimitOf(method)).isEqualTo(changed);
		assertThat(this.runtimes.isRateLimitChanged("control.limited")).isTrue();
		TaskRuntimes.TaskRuntime after = this.runtimes.of(method);
		assertThat(after).isNotSameAs(before);
		assertThat(after.limiter()).isNotSameAs(before.limiter());
	}

	@Test
	void aClusterWideRateLimitIsIgnoredWithoutRedis() {
		this.control.onRateLimit("control.limited", RateLimit.parse("5/s").withScope(RateLimitScope.CLUSTER));
		assertThat(this.runtimes.isRateLimitChanged("control.limited")).isFalse();
		assertThat(this.runtimes.rateLimitOf(method())).isEqualTo(method().getRateLimit());
	}

	@Test
	void aRateLimitOfATaskThisWorkerDoesNotRunIsIgnored() {
		this.control.onRateLimit("elsewhere.task", RateLimit.parse("5/s"));
		assertThat(this.runtimes.isRateLimitChanged("elsewhere.task")).isFalse();
	}

	@Test
	void idsRevokedByCeleryRemoteControlAreRefused() {
		RevokedTasks revoked = new RevokedTasks();
		this.control.setRevokedTasks(revoked);
		TaskMessage task = TaskMessage.builder("id-1", "control.limited").build();
		assertThat(this.control.isRevoked(task)).isFalse();
		revoked.add("id-1");
		assertThat(this.control.isRevoked(task)).isTrue();
	}

	@Test
	void stampsRevokedByCeleryRemoteControlMatchTheStampsHeaderOrStampedHeaders() {
		TaskMessage stamped = TaskMessage.builder("id-2", "control.limited")
			.extraHeader("stamped_headers", List.of("tenant"))
			.extraHeader("stamps", Map.of("tenant", List.of("acme", "globex")))
			.build();
		TaskMessage named = TaskMessage.builder("id-3", "control.limited")
			.extraHeader("stamped_headers", List.of("tenant"))
			.extraHeader("tenant", "initech")
			.build();
		assertThat(this.control.isRevoked(stamped)).isFalse();
		this.control.revokeStamps(Map.of("tenant", List.of("globex", "initech")));
		assertThat(this.control.isRevoked(stamped)).isTrue();
		assertThat(this.control.isRevoked(named)).isTrue();
		assertThat(this.control.isRevoked(TaskMessage.builder("id-4", "control.limited").build())).isFalse();
	}

	@Test
	void aRateLimitRemovedAtRunTimeLeavesTheTaskUnlimited() {
		TaskMethod method = method();
		this.control.setRateLimit("control.limited", null);
		assertThat(this.runtimes.rateLimitOf(method)).isNull();
		assertThat(this.runtimes.isRateLimitChanged("control.limited")).isTrue();
		assertThat(this.runtimes.of(method).limiter()).isNull();
		this.control.setRateLimit("control.limited", RateLimit.parse("3/s"));
		assertThat(this.runtimes.rateLimitOf(method)).isEqualTo(RateLimit.parse("3/s"));
	}

	@Test
	void aStoppedWorkerReturnsEveryMessageUntilItResumes() {
		RecordingChannel channel = new RecordingChannel();
		assertThat(this.control.refuse(channel.channel(), 1)).isFalse();
		this.control.stopTakingTasks();
		assertThat(this.control.refuse(channel.channel(), 2)).isTrue();
		this.control.resumeTakingTasks();
		assertThat(this.control.refuse(channel.channel(), 3)).isFalse();
		assertThat(channel.calls()).containsExactly("reject 2 requeue=true");
	}

	@Test
	void terminateInterruptsTheThreadInTheTasksMethod() {
		ActiveTasks.RunningTask active = this.activeTasks.begin(TaskMessage.builder("t1", "control.limited").build(),
				"q");
		this.control.onRevoke("t1", true);
		assertThat(Thread.currentThread().isInterrupted()).isTrue();
		assertThat(this.activeTasks.callEnded(active)).isTrue();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
		this.activeTasks.end(active);
	}

	@Test
	void aRevokeWithoutTerminateInterruptsNothing() {
		ActiveTasks.RunningTask active = this.activeTasks.begin(TaskMessage.builder("t1", "control.limited").build(),
				"q");
		this.control.onRevoke("t1", false);
		assertThat(this.activeTasks.callEnded(active)).isFalse();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
		this.activeTasks.end(active);
	}

	@Test
	void terminateOfATaskThatIsNotRunningHereInterruptsNothing() {
		assertThat(this.control.terminate("t2")).isFalse();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
	}

	@Test
	void nothingIsRevokedWithoutAControlBus() {
		assertThat(this.control.isRevoked(TaskMessage.builder("t1", "control.limited").build())).isFalse();
	}

	private TaskMethod method() {
		TaskMethod method = this.registry.get("control.limited");
		assertThat(method).isNotNull();
		return method;
	}

	static class Tasks {

		@QueueTask(name = "control.limited", rateLimit = "10/s")
		int work() {
			return 1;
		}

	}

}
