package dev.taskqueue.worker;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.taskqueue.client.GroupResult;
import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.client.TaskRecord;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Chains, groups and chords sent from Java and carried out by a Java worker, on the real
 * broker and Redis.
 */
class CanvasIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final CanvasTasks tasks = new CanvasTasks();

	private Stack stack;

	private StringRedisTemplate redis;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(this.tasks).build();
		this.stack.startWorker(this.stack.defaultQueue);
		this.redis = new StringRedisTemplate(this.stack.redis);
	}

	@AfterEach
	void stop() {
		this.stack.close();
	}

	private static Signature add(Object... args) {
		return Signature.of("tasks.add", args);
	}

	@Test
	void chainPassesEachResultToTheNextStepAndResolvesToTheLast() {
		TaskResult last = this.stack.client.chain(add(1, 2), add(3), add(4)).send();
		assertThat(last.get(TIMEOUT)).isEqualTo(10);
	}

	@Test
	void chainStepsRecordRootParentAndChildrenAsCelery() {
		TaskResult last = this.stack.client.chain(add(1, 2), add(3), add(4)).send();
		last.get(TIMEOUT);
		TaskRecord third = last.getRecord();
		TaskResult second = this.stack.client.result(third.parentId());
		TaskResult first = this.stack.client.result(second.getRecord().parentId());
		assertThat(first.get(TIMEOUT)).isEqualTo(3);
		assertThat(second.get(TIMEOUT)).isEqualTo(6);
		assertThat(first.getRecord().parentId()).isNull();
		assertThat(this.stack.backend.get(first.getId()).children()).isEqualTo(List.of(tuple(second.getId())));
		assertThat(this.stack.backend.get(second.getId()).children()).isEqualTo(List.of(tuple(last.getId())));
		assertThat(this.stack.backend.get(last.getId()).children()).isEmpty();
	}

	@Test
	void chainTaskIdNamesTheLastStep() {
		String id = UUID.randomUUID().toString();
		TaskResult last = this.stack.client.chain(add(1, 1), add(1)).taskId(id).send();
		assertThat(last.getId()).isEqualTo(id);
		assertThat(this.stack.client.result(id).get(TIMEOUT)).isEqualTo(3);
	}

	@Test
	void immutableStepIgnoresThePreviousResult() {
		TaskResult last = this.stack.client.chain(add(1, 1), Signature.immutable("tasks.add", 5, 5), add(1)).send();
		assertThat(last.get(TIMEOUT)).isEqualTo(11);
	}

	@Test
	void stepKeywordArgumentsMergeWithThePreviousResult() {
		TaskResult last = this.stack.client.chain(add(2, 3), Signature.of("tasks.mul").withKwargs(Map.of("y", 10)))
			.send();
		assertThat(last.get(TIMEOUT)).isEqualTo(50);
	}

	@Test
	void failingStepStopsTheChainAndCallsItsErrbacks() {
		TaskResult last = this.stack.client.chain(Signature.of("tasks.divide", 1, 0), add(1), add(2))
			.linkError(Signature.of("tasks.error_handler"))
			.send();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> last.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("division by zero"));
		await().atMost(TIMEOUT).until(() -> this.tasks.failedIds.size() == 1);
		String failedId = this.tasks.failedIds.peek();
		assertThat(failedId).isNotEqualTo(last.getId());
		assertThat(this.stack.client.result(failedId).getState()).isEqualTo(TaskState.FAILURE);
		assertThat(this.tasks.sums).isEmpty();
	}

	@Test
	void failureInTheMiddleMarksTheRemainingStepsFailed() {
		TaskResult last = this.stack.client.chain(add(1, 1), Signature.of("tasks.divide", 0), add(1)).send();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> last.get(TIMEOUT));
		assertThat(last.getRecord().exception().type()).isEqualTo("ArithmeticException");
		assertThat(this.tasks.failedIds).isEmpty();
	}

	@Test
	void failureBeforeAGroupStepFailsTheChainsResult() {
		TaskResult last = this.stack.client
			.chain(Signature.of("tasks.divide", 1, 0), Signature.group(add(1), add(2)), Signature.of("tasks.tsum"))
			.send();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> last.get(TIMEOUT));
		assertThat(this.tasks.sums).isEmpty();
	}

	@Test
	void failingHeaderOfAChordInsideAChainFailsTheChainsResult() {
		TaskResult last = this.stack.client.chain(add(1, 1),
				Signature.chord(List.of(Signature.of("tasks.divide", 0), add(1)), Signature.of("tasks.tsum")), add(100))
			.send();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> last.get(TIMEOUT));
		assertThat(last.getRecord().exception().type()).isEqualTo("ChordError");
	}

	@Test
	void groupReturnsResultsInMemberOrder() {
		GroupResult group = this.stack.client.group(add(5, 5), add(1, 1), add(3, 3), add(0, 0)).send();
		assertThat(group.get(TIMEOUT)).containsExactly(10, 2, 6, 0);
		assertThat(group.get(TIMEOUT, Long.class)).containsExactly(10L, 2L, 6L, 0L);
		assertThat(group.size()).isEqualTo(4);
	}

	@Test
	void groupMembersShareTheGroupIdInTheirResults() {
		GroupResult group = this.stack.client.group(add(1, 1), add(2, 2)).send();
		group.get(TIMEOUT);
		assertThat(group.getResults())
			.allSatisfy((member) -> assertThat(member.getRecord().groupId()).isEqualTo(group.getId()));
	}

	@Test
	void groupReportsReadinessCountsAndFailures() {
		GroupResult group = this.stack.client.group(add(1, 1), Signature.of("tasks.divide", 1, 0), add(2, 2)).send();
		await().atMost(TIMEOUT).until(group::isReady);
		assertThat(group.completedCount()).isEqualTo(2);
		assertThat(group.isFailed()).isTrue();
		assertThat(group.isSuccessful()).isFalse();
		assertThat(group.isWaiting()).isFalse();
		assertThat(group.getStates()).containsExactly(TaskState.SUCCESS, TaskState.FAILURE, TaskState.SUCCESS);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> group.join(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getTaskId()).isEqualTo(group.getResults().get(1).getId()));
	}

	@Test
	void savedGroupIsRestoredByIdInCeleryFormat() {
		GroupResult sent = this.stack.client.group(add(1, 1), add(2, 2)).send().save();
		String stored = this.redis.opsForValue().get("celery-taskset-meta-" + sent.getId());
		assertThat(stored)
			.isEqualTo("{\"result\": [[\"" + sent.getId() + "\", null], [[[\"" + sent.getResults().get(0).getId()
					+ "\", null], null], [[\"" + sent.getResults().get(1).getId() + "\", null], null]]]}");
		GroupResult restored = this.stack.client.restoreGroup(sent.getId());
		assertThat(restored).isNotNull();
		assertThat(restored.getResults()).extracting(TaskResult::getId)
			.containsExactlyElementsOf(sent.getResults().stream().map(TaskResult::getId).toList());
		assertThat(restored.get(TIMEOUT)).containsExactly(2, 4);
		restored.delete();
		assertThat(this.stack.client.restoreGroup(sent.getId())).isNull();
	}

	@Test
	void chainResultIsFoundByIdAfterTheFact() {
		String lastId = this.stack.client.chain(add(1, 2), add(3)).send().getId();
		TaskResult later = this.stack.client.result(lastId);
		assertThat(later.get(TIMEOUT)).isEqualTo(6);
	}

	@Test
	void chordBodyGetsTheHeaderResultsInHeaderOrder() {
		TaskResult body = this.stack.client
			.chord(List.of(add(10, 0), add(20, 0), add(30, 0), add(40, 0)), Signature.of("tasks.tsum"))
			.send();
		assertThat(body.get(TIMEOUT)).isEqualTo(100);
		assertThat(this.tasks.sums).containsExactly(List.of(10, 20, 30, 40));
	}

	@Test
	void chordKeysAreRemovedOnceTheBodyIsSent() {
		TaskResult body = this.stack.client.chord(List.of(add(1, 1), add(2, 2)), Signature.of("tasks.tsum")).send();
		body.get(TIMEOUT);
		String groupId = this.stack.client.result(body.getRecord().parentId()).getRecord().groupId();
		assertThat(groupId).isNotNull();
		// The body's result is published before the worker that sent it deletes the
		// chord's keys.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.redis.keys("celery-taskset-meta-" + groupId + "*")).isEmpty());
	}

	@Test
	void chordBodyParentIsTheHeaderTaskThatCompletedIt() {
		TaskResult body = this.stack.client.chord(List.of(add(1, 1), add(2, 2)), Signature.of("tasks.tsum")).send();
		body.get(TIMEOUT);
		TaskRecord finisher = this.stack.client.result(body.getRecord().parentId()).getRecord();
		assertThat(finisher.state()).isEqualTo(TaskState.SUCCESS);
		assertThat(finisher.groupId()).isNotNull();
	}

	@Test
	void failingHeaderTaskFailsTheBodyWithAChordErrorNamingIt() {
		String failedId = UUID.randomUUID().toString();
		TaskResult body = this.stack.client
			.chord(List.of(add(1, 1), Signature.of("tasks.divide", 1, 0).withTaskId(failedId), add(2, 2)),
					Signature.of("tasks.tsum"))
			.send();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> body.get(TIMEOUT));
		var error = body.getRecord().exception();
		assertThat(error.type()).isEqualTo("ChordError");
		assertThat(error.module()).isEqualTo("celery.exceptions");
		assertThat(error.message())
			.isEqualTo("Dependency " + failedId + " raised ArithmeticException('division by zero')");
		assertThat(this.tasks.sums).isEmpty();
	}

	@Test
	void failingHeaderTaskCallsTheBodysErrbacks() {
		String bodyId = UUID.randomUUID().toString();
		this.stack.client.chord(List.of(Signature.of("tasks.divide", 1, 0), add(2, 2)), Signature.of("tasks.tsum"))
			.taskId(bodyId)
			.linkError(Signature.of("tasks.error_handler"))
			.linkError(Signature.of("tasks.failure_handler"))
			.send();
		await().atMost(TIMEOUT).until(() -> this.tasks.failedIds.contains(bodyId) && !this.tasks.failures.isEmpty());
		TaskFailure failure = this.tasks.failures.peek();
		assertThat(failure.getTaskId()).isEqualTo(bodyId);
		assertThat(failure.getExceptionType()).isEqualTo("ChordError");
	}

	@Test
	void chordWithAnEmptyHeaderCallsTheBodyWithAnEmptyList() {
		TaskResult body = this.stack.client.chord(List.of(), Signature.of("tasks.count")).send();
		assertThat(body.get(TIMEOUT)).isEqualTo(0);
	}

	@Test
	void chainWithAGroupStepRunsItAsAChordWhoseBodyIsTheNextStep() {
		TaskResult last = this.stack.client
			.chain(add(1, 1), Signature.group(add(10), add(20), add(30)), Signature.of("tasks.tsum"), add(1000))
			.send();
		assertThat(last.get(TIMEOUT)).isEqualTo(1066);
		assertThat(this.tasks.sums).containsExactly(List.of(12, 22, 32));
	}

	@Test
	void chordInsideAChainGetsThePreviousResultAndPassesItsOwnOn() {
		TaskResult last = this.stack.client
			.chain(add(1, 1), Signature.chord(List.of(add(10), add(20)), Signature.of("tasks.tsum")), add(100))
			.send();
		assertThat(last.get(TIMEOUT)).isEqualTo(134);
	}

	@Test
	void groupOfChainsResolvesToEachChainsLastResult() {
		GroupResult group = this.stack.client
			.group(Signature.chain(add(1, 1), add(2)), Signature.chain(add(3, 3), add(4), add(5)), add(7, 7))
			.send();
		assertThat(group.get(TIMEOUT)).containsExactly(4, 15, 14);
	}

	@Test
	void chordOfChainsGetsEachChainsLastResult() {
		TaskResult body = this.stack.client
			.chord(List.of(Signature.chain(add(1, 1), add(2)), Signature.chain(add(3, 3), add(4))),
					Signature.of("tasks.tsum"))
			.send();
		assertThat(body.get(TIMEOUT)).isEqualTo(14);
	}

	@Test
	void chordBodyMayBeAChain() {
		TaskResult last = this.stack.client
			.chord(List.of(add(1, 1), add(2, 2)), Signature.chain(Signature.of("tasks.tsum"), add(5)))
			.send();
		assertThat(last.get(TIMEOUT)).isEqualTo(11);
	}

	@Test
	void chainLinkCallsTheCallbackWithTheLastResult() {
		String callbackId = UUID.randomUUID().toString();
		this.stack.client.chain(add(1, 1), add(1)).link(add(100).withTaskId(callbackId)).send();
		assertThat(this.stack.client.result(callbackId).get(TIMEOUT)).isEqualTo(103);
	}

	@Test
	void groupOptionsApplyToEveryMember() {
		String queue = dev.taskqueue.support.Infrastructure.unique("canvas-other");
		this.stack.startWorker(queue);
		GroupResult group = this.stack.client.group(add(1, 1), add(2, 2)).queue(queue).send();
		assertThat(group.get(TIMEOUT)).containsExactly(2, 4);
		assertThat(group.getResults()).allSatisfy((member) -> assertThat(member.getRecord().queue()).isEqualTo(queue));
	}

	private static List<Object> tuple(String id) {
		return Arrays.asList(Arrays.asList(id, null), null);
	}

}
