package dev.taskqueue.worker;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.taskqueue.client.TaskFailedException;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.TaskTimeoutException;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.client.TaskRecord;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class WorkerIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final Tasks tasks = new Tasks();

	private Stack stack;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(this.tasks).build();
		this.stack.startWorker(this.stack.defaultQueue);
	}

	@AfterEach
	void stop() {
		this.stack.close();
	}

	private TaskResult send(String name, Object... args) {
		return this.stack.client.send(name, args);
	}

	@Test
	void kwargsBindByParameterName() {
		TaskResult result = this.stack.client
			.send(TaskRequest.builder("test.concat").kwarg("b", "world").kwarg("a", "hello ").build());
		assertThat(result.get(TIMEOUT)).isEqualTo("hello world");
	}

	@Test
	void positionalArgsAndKwargsCombine() {
		TaskResult result = this.stack.client
			.send(TaskRequest.builder("test.concat").args("x").kwarg("b", "y").build());
		assertThat(result.get(TIMEOUT)).isEqualTo("xy");
	}

	@Test
	void primitivesAreConverted() {
		TaskResult result = send("test.primitives", 1, 10000000000L, 2.5, true, 7, 8, 1.5, "z");
		assertThat(result.get(TIMEOUT)).isEqualTo("1|10000000000|2.5|true|7|8|1.5|z");
	}

	@Test
	void boxedTypesAcceptNull() {
		TaskResult result = send("test.boxes", 1, 2, 3.0, false, null);
		assertThat(result.get(TIMEOUT)).isEqualTo("1|2|3.0|false|null");
	}

	@Test
	void bigDecimalKeepsItsDigits() {
		TaskResult result = send("test.decimal", "12.345");
		assertThat(result.get(TIMEOUT, BigDecimal.class)).isEqualByComparingTo("123.45");
	}

	@Test
	void enumsBindByName() {
		assertThat(send("test.enum", "GREEN").get(TIMEOUT)).isEqualTo("green");
	}

	@Test
	void listsOfRecordsBind() {
		TaskResult result = send("test.points", List.of(Map.of("x", 1, "y", 2), Map.of("x", 3, "y", 4)));
		assertThat(result.get(TIMEOUT)).isEqualTo(10);
	}

	@Test
	void mapsBind() {
		assertThat(send("test.map", Map.of("a", 1, "b", 2)).get(TIMEOUT)).isEqualTo(3);
	}

	@Test
	void recordsBindAndReturnAsObjects() {
		TaskResult result = send("test.record", new Tasks.Point(1, 2), 10);
		assertThat(result.get(TIMEOUT)).isEqualTo(Map.of("x", 11, "y", 2));
		assertThat(result.get(TIMEOUT, Tasks.Point.class)).isEqualTo(new Tasks.Point(11, 2));
	}

	@Test
	void pojosBind() {
		assertThat(send("test.pojo", Map.of("name", "Ada", "age", 36)).get(TIMEOUT)).isEqualTo("Ada is 36");
	}

	@Test
	void voidTaskResultIsNull() {
		TaskResult result = send("test.nothing");
		assertThat(result.get(TIMEOUT)).isNull();
		assertThat(result.getState()).isEqualTo(TaskState.SUCCESS);
	}

	@Test
	void tooManyArgumentsFailNamingTheTask() {
		assertArgumentFailure(send("test.add", 1, 2, 3),
				"Task 'test.add' takes 2 positional arguments but 3 were given");
	}

	@Test
	void tooFewArgumentsFailNamingTheMissingParameter() {
		assertArgumentFailure(send("test.add", 1), "Task 'test.add' is missing 1 required argument: 'y'");
	}

	@Test
	void unknownKeywordFails() {
		TaskResult result = this.stack.client.send(TaskRequest.builder("test.add").args(1, 2).kwarg("z", 3).build());
		assertArgumentFailure(result, "got an unexpected keyword argument 'z'");
	}

	@Test
	void keywordThatRepeatsAPositionalArgumentFails() {
		TaskResult result = this.stack.client.send(TaskRequest.builder("test.add").args(1, 2).kwarg("x", 3).build());
		assertArgumentFailure(result, "got multiple values for argument 'x'");
	}

	@Test
	void unconvertibleValueFailsNamingTheParameter() {
		assertArgumentFailure(send("test.add", "abc", 2),
				"Task 'test.add' argument 'x' (position 0): cannot convert 'abc' to int");
	}

	@Test
	void fractionForAnIntegerParameterFails() {
		assertArgumentFailure(send("test.add", 1.5, 2), "argument 'x' (position 0): 1.5 is not a whole number");
	}

	@Test
	void nullForAPrimitiveFails() {
		assertArgumentFailure(send("test.add", null, 2), "argument 'x' (position 0): null is not a valid int");
	}

	@Test
	void valueTooLargeForItsTypeFails() {
		TaskResult result = send("test.add", new java.math.BigInteger("1" + "0".repeat(199)), 2);
		assertArgumentFailure(result, "argument 'x' (position 0): cannot convert 1000");
	}

	private void assertArgumentFailure(TaskResult result, String message) {
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getExceptionType()).isEqualTo("TaskArgumentException");
			assertThat(ex.getRemoteMessage()).contains(message);
		});
		assertQueueEmpty(this.stack.defaultQueue);
	}

	@Test
	void failureStoresTheExceptionAndExtendedMeta() {
		TaskResult result = send("test.divide", 1, 0);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT));
		TaskRecord meta = result.getRecord();
		assertThat(meta.state()).isEqualTo(TaskState.FAILURE);
		assertThat(meta.taskName()).isEqualTo("test.divide");
		assertThat(meta.args()).isEqualTo(List.of(1, 0));
		assertThat(meta.kwargs()).isEqualTo(Map.of());
		assertThat(meta.worker()).isEqualTo("test-worker@localhost");
		assertThat(meta.retries()).isZero();
		assertThat(meta.queue()).isEqualTo(this.stack.defaultQueue);
		assertThat(result.getInfo()).hasToString(
				"ExceptionInfo[type=ArithmeticException, module=java.lang, messageArgs=[division by zero], traceback="
						+ meta.traceback() + "]");
		assertThat(result.isFailed()).isTrue();
		assertThat(result.isReady()).isTrue();
	}

	@Test
	void unknownIdReadsPending() {
		TaskResult result = this.stack.client.result("no-such-task-" + System.nanoTime());
		assertThat(result.getState()).isEqualTo(TaskState.PENDING);
		assertThat(result.isReady()).isFalse();
		assertThat(result.getInfo()).isNull();
	}

	@Test
	void getTimesOutOnATaskThatNeverRuns() {
		TaskResult result = this.stack.client.result("never-" + System.nanoTime());
		assertThatExceptionOfType(TaskTimeoutException.class).isThrownBy(() -> result.get(Duration.ofMillis(300)))
			.withMessageContaining("was not ready within PT0.3S (state PENDING)");
	}

	@Test
	void futureViewCompletesWithTheResult() throws Exception {
		TaskResult result = send("test.add", 20, 22);
		assertThat(result.toFuture(Integer.class).get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(42);
	}

	@Test
	void futureViewCompletesExceptionallyOnFailure() {
		TaskResult result = send("test.divide", 1, 0);
		assertThat(result.toFuture()).failsWithin(TIMEOUT)
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withCauseInstanceOf(TaskFailedException.class);
	}

	@Test
	void resultIsStoredWithItsTtl() {
		TaskResult result = send("test.add", 1, 1);
		result.get(TIMEOUT);
		StringRedisTemplate redis = new StringRedisTemplate(this.stack.redis);
		Long ttl = redis.getExpire("celery-task-meta-" + result.getId());
		assertThat(ttl).isBetween(86400L - 30, 86400L);
	}

	@Test
	void ignoreResultFromTheRequestStoresNothing() {
		TaskResult result = this.stack.client
			.send(TaskRequest.builder("test.add").args(1, 1).ignoreResult(true).build());
		await().atMost(TIMEOUT).until(() -> this.tasks.calls.contains("add"));
		assertQueueEmpty(this.stack.defaultQueue);
		assertThat(result.getState()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void ignoreResultFromTheAnnotationStoresNothing() {
		TaskResult result = send("test.ignored", 1);
		await().atMost(TIMEOUT).until(() -> this.tasks.calls.contains("ignored"));
		assertQueueEmpty(this.stack.defaultQueue);
		assertThat(result.getState()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void ignoredFailuresAreNotStoredByDefault() {
		TaskResult marker = send("test.ignored-failure");
		TaskResult after = send("test.add", 1, 1);
		after.get(TIMEOUT);
		assertQueueEmpty(this.stack.defaultQueue);
		assertThat(marker.getState()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void expiredTaskIsRevokedAndNotRun() {
		TaskResult result = this.stack.client.send(TaskRequest.builder("test.add")
			.args(1, 2)
			.expires(java.time.OffsetDateTime.now().minusSeconds(1))
			.build());
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT)).satisfies((ex) -> {
			assertThat(ex.getState()).isEqualTo(TaskState.REVOKED);
			assertThat(ex.getExceptionType()).isEqualTo("TaskRevokedError");
			assertThat(ex.getRemoteMessage()).startsWith("expired at ");
		});
		assertThat(this.tasks.calls).doesNotContain("add");
	}

	@Test
	void countdownDelaysTheStart() {
		long start = System.nanoTime();
		TaskResult result = this.stack.client
			.send(TaskRequest.builder("test.add").args(2, 2).countdown(Duration.ofMillis(1500)).build());
		assertThat(result.get(TIMEOUT)).isEqualTo(4);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
	}

	@Test
	void etaInThePastRunsAtOnce() {
		TaskResult result = this.stack.client
			.send(TaskRequest.builder("test.add").args(2, 3).eta(java.time.Instant.now().minusSeconds(60)).build());
		assertThat(result.get(TIMEOUT)).isEqualTo(5);
	}

	@Test
	void rateLimitSpacesStarts() {
		List<TaskResult> results = new java.util.ArrayList<>();
		for (int i = 0; i < 4; i++) {
			results.add(send("test.limited"));
		}
		List<Long> starts = results.stream().map((r) -> r.get(TIMEOUT, Long.class)).sorted().toList();
		// 5/s: four starts span at least three intervals of 200 ms (less a little timer
		// slack).
		assertThat(Duration.ofNanos(starts.get(3) - starts.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(550));
	}

	private void assertQueueEmpty(String queue) {
		RabbitAdmin admin = this.stack.admin();
		await().atMost(TIMEOUT).untilAsserted(() -> {
			var info = admin.getQueueInfo(queue);
			assertThat(info).isNotNull();
			assertThat(info.getMessageCount()).isZero();
		});
	}

}
