package dev.taskqueue.worker;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.client.TaskRecord;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * link and link_error, as the seed uses them and as Celery's worker sends them.
 */
class CallbackIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private final WorkflowTasks tasks = new WorkflowTasks();

	private Stack stack;

	private WorkerContainer worker;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(this.tasks).build();
		this.worker = this.stack.startWorker(this.stack.defaultQueue);
	}

	@AfterEach
	void stop() {
		this.stack.close();
	}

	@Test
	void seedLinkDividesTheResultAgainAndGivesOne() {
		String callbackId = UUID.randomUUID().toString();
		TaskResult parent = this.stack.client.send(TaskRequest.builder("wf.divide")
			.args(16, 2)
			.link(Signature.of("wf.divide", 8).withTaskId(callbackId))
			.build());
		assertThat(parent.get(TIMEOUT)).isEqualTo(8.0);
		TaskResult callback = this.stack.client.result(callbackId);
		assertThat(callback.get(TIMEOUT)).isEqualTo(1.0);
		TaskRecord meta = callback.getRecord();
		assertThat(meta.parentId()).isEqualTo(parent.getId());
		assertThat(meta.args()).isEqualTo(List.of(8.0, 8));
		assertThat(this.stack.backend.get(parent.getId()).children())
			.isEqualTo(List.of(Arrays.asList(Arrays.asList(callbackId, null), null)));
	}

	@Test
	void callbackWithoutAnIdGetsOneNamedInTheParentsChildren() {
		TaskResult parent = this.stack.client
			.send(TaskRequest.builder("wf.add").args(1, 2).link(Signature.of("wf.tag", "x")).build());
		parent.get(TIMEOUT);
		List<?> child = (List<?>) ((List<?>) this.stack.backend.get(parent.getId()).children().get(0)).get(0);
		TaskResult callback = this.stack.client.result((String) child.get(0));
		assertThat(callback.get(TIMEOUT)).isEqualTo("3:x");
		assertThat(callback.getRecord().parentId()).isEqualTo(parent.getId());
	}

	@Test
	void everyCallbackRunsWithTheResult() {
		this.stack.client.send(TaskRequest.builder("wf.add")
			.args(2, 2)
			.link(Signature.of("wf.tag", "a"))
			.link(Signature.of("wf.tag", "b"))
			.build());
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.tasks.tags).containsExactlyInAnyOrder("4:a", "4:b"));
	}

	@Test
	void immutableCallbackIgnoresTheResult() {
		String callbackId = UUID.randomUUID().toString();
		this.stack.client.send(TaskRequest.builder("wf.add")
			.args(2, 2)
			.link(Signature.immutable("wf.add", 10, 20).withTaskId(callbackId))
			.build());
		assertThat(this.stack.client.result(callbackId).get(TIMEOUT)).isEqualTo(30);
	}

	@Test
	void callbackKeywordArgumentsAndNestedLinksApply() {
		String lastId = UUID.randomUUID().toString();
		this.stack.client.send(TaskRequest.builder("wf.add")
			.args(1, 1)
			.link(Signature.of("wf.add")
				.withKwargs(Map.of("y", 5))
				.withLink(Signature.of("wf.add", 100).withTaskId(lastId)))
			.build());
		assertThat(this.stack.client.result(lastId).get(TIMEOUT)).isEqualTo(107);
	}

	@Test
	void callbacksDoNotRunAfterAFailure() {
		TaskResult parent = this.stack.client
			.send(TaskRequest.builder("wf.divide").args(1, 0).link(Signature.of("wf.tag", "never")).build());
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> parent.get(TIMEOUT));
		TaskResult after = this.stack.client.send("wf.add", 1, 1);
		after.get(TIMEOUT);
		assertThat(this.tasks.tags).isEmpty();
	}

	@Test
	void seedErrbackReceivesTheFailedTaskId() {
		String errbackId = UUID.randomUUID().toString();
		TaskResult failed = this.stack.client.send(TaskRequest.builder("wf.divide")
			.args(1, 0)
			.linkError(Signature.of("wf.old_error_handler").withTaskId(errbackId))
			.build());
		TaskResult errback = this.stack.client.result(errbackId);
		assertThat(errback.get(TIMEOUT)).isEqualTo(Map.of("failed_task_id", failed.getId()));
		TaskRecord meta = errback.getRecord();
		assertThat(meta.parentId()).isEqualTo(failed.getId());
		assertThat(meta.groupId()).isNotNull();
		assertThat(failed.getState()).isEqualTo(TaskState.FAILURE);
	}

	@Test
	void errbackWithATaskFailureSeesTheFailedCall() {
		TaskResult failed = this.stack.client
			.send(TaskRequest.builder("wf.divide").args(1, 0).linkError(Signature.of("wf.error_handler")).build());
		await().atMost(TIMEOUT).until(() -> this.tasks.failures.containsKey(failed.getId()));
		TaskFailure failure = this.tasks.failures.get(failed.getId());
		assertThat(failure.isKnown()).isTrue();
		assertThat(failure.getTaskName()).isEqualTo("wf.divide");
		assertThat(failure.getArgs()).isEqualTo(List.of(1, 0));
		assertThat(failure.getKwargs()).isEqualTo(Map.of());
		assertThat(failure.getExceptionType()).isEqualTo("ArithmeticException");
		assertThat(failure.getExceptionModule()).isEqualTo("java.lang");
		assertThat(failure.getExceptionMessage()).isEqualTo("division by zero");
		assertThat(failure.getTraceback()).contains("java.lang.ArithmeticException: division by zero");
		assertThat(failure.getRetries()).isZero();
		assertThat(failure.getWorker()).isEqualTo("test-worker@localhost");
		assertThat(failure.getState()).isEqualTo(TaskState.FAILURE);
	}

	@Test
	void errbackArgumentsFollowTheFailedTaskId() {
		String errbackId = UUID.randomUUID().toString();
		TaskResult failed = this.stack.client.send(TaskRequest.builder("wf.divide")
			.args(1, 0)
			.linkError(Signature.of("wf.error_handler_with_args", "ab")
				.withKwargs(Map.of("times", 3))
				.withTaskId(errbackId))
			.build());
		assertThat(this.stack.client.result(errbackId).get(TIMEOUT)).isEqualTo("ababab");
		assertThat(this.tasks.failures.get(failed.getId()).getArgs()).isEqualTo(List.of(1, 0));
	}

	@Test
	void taskFailureOfATaskWithNoStoredResultKnowsOnlyTheId() {
		TaskResult errback = this.stack.client.send("wf.error_handler", "no-such-task");
		assertThat(errback.get(TIMEOUT)).isEqualTo("nullnull -> null");
		TaskFailure failure = this.tasks.failures.get("no-such-task");
		assertThat(failure.isKnown()).isFalse();
		assertThat(failure.getTaskId()).isEqualTo("no-such-task");
		assertThat(failure.toString()).contains("details unknown");
	}

	@Test
	void errbackThatCannotBePublishedLeavesTheFailedTaskUnacknowledged() {
		TaskResult failed = this.stack.client.send(TaskRequest.builder("wf.divide")
			.args(1, 0)
			.linkError(Signature.of("wf.old_error_handler")
				.withOption("exchange", "tq-test-no-such-exchange")
				.withOption("routing_key", "x"))
			.build());
		// The failure is stored, the errback publish fails, and the message goes back to
		// the queue.
		await().atMost(TIMEOUT).until(() -> failed.getState() == TaskState.FAILURE);
		await().atMost(TIMEOUT).until(() -> this.tasks.attempts.get("divide").get() >= 2);
		this.worker.stop();
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.stack.admin().getQueueInfo(this.stack.defaultQueue).getMessageCount())
				.isEqualTo(1));
	}

}
