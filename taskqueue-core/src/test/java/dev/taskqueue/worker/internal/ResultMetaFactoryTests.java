package dev.taskqueue.worker.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.ResultMeta;
import dev.taskqueue.worker.WorkerSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every record a worker stores, made in one place, in the shape Celery stores it.
 */
class ResultMetaFactoryTests {

	private static final Map<String, Object> ERROR = Map.of("exc_type", "ValueError", "exc_message", List.of("bad"));

	private final TaskMessage task = TaskMessage.builder("t1", "flow.add")
		.args(List.of(1, 2))
		.kwargs(Map.of("z", 3))
		.retries(2)
		.group("g1")
		.parentId("p1")
		.build();

	private final ResultMetaFactory extended = new ResultMetaFactory(
			WorkerSettings.builder("w1@host", List.of("q")).extendedResults(true).build());

	private final ResultMetaFactory plain = new ResultMetaFactory(
			WorkerSettings.builder("w1@host", List.of("q")).extendedResults(false).build());

	@Test
	void aSuccessCarriesItsResultChildrenAndTheExtendedFields() {
		List<?> children = List.of(Arrays.asList(Arrays.asList("c1", null), null));
		ResultMeta meta = this.extended.success(this.task, "flow.add", "q", 3, children);
		assertThat(meta.taskId()).isEqualTo("t1");
		assertThat(meta.status()).isEqualTo(TaskState.SUCCESS);
		assertThat(meta.result()).isEqualTo(3);
		assertThat(meta.traceback()).isNull();
		assertThat(meta.children()).isEqualTo(children);
		assertThat(meta.dateDone()).isNotNull();
		assertThat(meta.groupId()).isEqualTo("g1");
		assertThat(meta.parentId()).isEqualTo("p1");
		assertExtended(meta);
	}

	@Test
	void withoutExtendedResultsATasksOwnOutcomesLeaveTheExtendedFieldsOut() {
		List<ResultMeta> metas = List.of(this.plain.success(this.task, "flow.add", "q", 3, List.of()),
				this.plain.failure(this.task, "flow.add", "q", ERROR, "trace"),
				this.plain.retry(this.task, "flow.add", "q", ERROR, "trace"),
				this.plain.revoked(this.task, "flow.add", "q", ERROR));
		assertThat(metas).allSatisfy((meta) -> {
			assertThat(meta.groupId()).isEqualTo("g1");
			assertThat(meta.parentId()).isEqualTo("p1");
			assertThat(meta.name()).isNull();
			assertThat(meta.args()).isNull();
			assertThat(meta.kwargs()).isNull();
			assertThat(meta.worker()).isNull();
			assertThat(meta.retries()).isNull();
			assertThat(meta.queue()).isNull();
		});
	}

	@Test
	void aFailureCarriesTheEncodedExceptionAndTraceback() {
		ResultMeta meta = this.extended.failure(this.task, "flow.add", "q", ERROR, "trace");
		assertThat(meta.status()).isEqualTo(TaskState.FAILURE);
		assertThat(meta.result()).isEqualTo(ERROR);
		assertThat(meta.traceback()).isEqualTo("trace");
		assertThat(meta.children()).isEmpty();
		assertThat(meta.dateDone()).isNotNull();
		assertExtended(meta);
	}

	@Test
	void aRetryIsNotDoneAndNamesTheNextAttemptAsItsChild() {
		ResultMeta meta = this.extended.retry(this.task, "flow.add", "q", ERROR, "trace");
		assertThat(meta.status()).isEqualTo(TaskState.RETRY);
		assertThat(meta.dateDone()).isNull();
		assertThat(meta.children()).isEqualTo(List.of(Arrays.asList(Arrays.asList("t1", null), null)));
		assertThat(meta.traceback()).isEqualTo("trace");
		assertExtended(meta);
	}

	@Test
	void aRevokedTaskHasNoTraceback() {
		ResultMeta meta = this.extended.revoked(this.task, "flow.add", "q", ERROR);
		assertThat(meta.status()).isEqualTo(TaskState.REVOKED);
		assertThat(meta.traceback()).isNull();
		assertThat(meta.dateDone()).isNotNull();
		assertExtended(meta);
	}

	@Test
	void aRejectedMessageAlwaysNamesTheWorkerAndQueueThatRejectedIt() {
		ResultMeta meta = this.plain.rejected("t9", "no.such", "q", ERROR, "not registered");
		assertThat(meta.taskId()).isEqualTo("t9");
		assertThat(meta.status()).isEqualTo(TaskState.FAILURE);
		assertThat(meta.result()).isEqualTo(ERROR);
		assertThat(meta.traceback()).isEqualTo("Message rejected by w1@host: not registered\n");
		assertThat(meta.dateDone()).isNotNull();
		assertThat(meta.name()).isEqualTo("no.such");
		assertThat(meta.worker()).isEqualTo("w1@host");
		assertThat(meta.queue()).isEqualTo("q");
		assertThat(meta.groupId()).isNull();
		assertThat(meta.parentId()).isNull();
		assertThat(meta.args()).isNull();
		assertThat(meta.kwargs()).isNull();
		assertThat(meta.retries()).isNull();
	}

	@Test
	void aTaskThatWillNeverRunCarriesOnlyItsGroupAndParent() {
		ResultMeta meta = this.extended.notRun("s2", ERROR, "trace", "g2", "s1");
		assertThat(meta.taskId()).isEqualTo("s2");
		assertThat(meta.status()).isEqualTo(TaskState.FAILURE);
		assertThat(meta.traceback()).isEqualTo("trace");
		assertThat(meta.dateDone()).isNotNull();
		assertThat(meta.groupId()).isEqualTo("g2");
		assertThat(meta.parentId()).isEqualTo("s1");
		assertThat(meta.name()).isNull();
		assertThat(meta.worker()).isNull();
		assertThat(meta.queue()).isNull();
	}

	@Test
	void aStampedTasksOwnOutcomesCarryItsStampsWhenExtended() {
		TaskMessage stamped = this.task.toBuilder().stamps(Map.of("mystamp", "v1")).build();
		assertThat(this.extended.success(stamped, "flow.add", "q", 3, List.of()).stamps())
			.containsExactly(Map.entry("mystamp", "v1"));
		assertThat(this.extended.failure(stamped, "flow.add", "q", ERROR, "trace").stamps())
			.containsExactly(Map.entry("mystamp", "v1"));
		assertThat(this.plain.success(stamped, "flow.add", "q", 3, List.of()).stamps()).isEmpty();
		assertThat(this.extended.success(this.task, "flow.add", "q", 3, List.of()).stamps()).isEmpty();
	}

	private static void assertExtended(ResultMeta meta) {
		assertThat(meta.name()).isEqualTo("flow.add");
		assertThat(meta.args()).isEqualTo(List.of(1, 2));
		assertThat(meta.kwargs()).isEqualTo(Map.of("z", 3));
		assertThat(meta.worker()).isEqualTo("w1@host");
		assertThat(meta.retries()).isEqualTo(2);
		assertThat(meta.queue()).isEqualTo("q");
	}

}
