package dev.taskqueue.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Chords across a Java worker and a real Celery 5.2 worker when both send and store in msgpack
 * ({@code task_serializer = result_serializer = 'msgpack'}): Celery's chord counting reads the
 * parts Java writes and the other way round.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanvasMsgpackInteropIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final CanvasTasks tasks = new CanvasTasks();

	private Stack stack;

	private String javaQueue;

	private String pythonQueue;

	private PythonCeleryWorker python;

	@BeforeAll
	void start() throws IOException {
		this.pythonQueue = Infrastructure.unique("celery-py-msgpack");
		this.stack = Stack.builder()
			.tasks(this.tasks)
			.serializer("msgpack")
			.resultSerializer("msgpack")
			.accept("json", "msgpack")
			.deleteOnClose(this.pythonQueue)
			.build();
		this.javaQueue = this.stack.defaultQueue;
		this.stack.startWorker(this.javaQueue);
		this.python = PythonCeleryWorker.start(this.pythonQueue, this.stack.admin(), "msgpack");
	}

	@AfterAll
	void stop() {
		if (this.python != null) {
			this.python.close();
		}
		if (this.stack != null) {
			this.stack.close();
		}
	}

	@BeforeEach
	void clear() {
		this.tasks.sums.clear();
		this.tasks.runs.clear();
	}

	private Signature onJava(String task, Object... args) {
		return Signature.of(task, args).withQueue(this.javaQueue);
	}

	private Signature onPython(String task, Object... args) {
		return Signature.of(task, args).withQueue(this.pythonQueue);
	}

	@Test
	void chordWithPartsOnBothSidesRunsItsBodyOnceWithTheResultsInOrder() {
		List<Signature> header = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			header.add((i % 2 == 0) ? onJava("tasks.add", i, 0) : onPython("tasks.add", i, 0));
		}
		TaskResult body = this.stack.client.chord(header, onJava("tasks.tsum")).send();
		assertThat(body.get(TIMEOUT)).isEqualTo(45);
		assertThat(this.tasks.sums).containsExactly(new ArrayList<>(IntStream.range(0, 10).boxed().toList()));
		assertThat(this.tasks.runs.get(body.getId()).get()).isEqualTo(1);
		assertStoredInMsgpack(body.getId());
	}

	@Test
	void javaWorkerCompletesAChordWhosePartsRanOnCelery() {
		String last = UUID.randomUUID().toString();
		TaskResult body = this.stack.client.chord(List.of(onPython("tasks.add", 1, 1), onPython("tasks.add", 2, 2),
				onJava("tasks.add", 3, 3).withTaskId(last).withCountdown(Duration.ofSeconds(2))),
				onPython("tasks.tsum")).send();
		assertThat(body.get(TIMEOUT)).isEqualTo(12);
		assertStoredInMsgpack(body.getId());
		assertChordKeysGone(last);
	}

	@Test
	void celeryWorkerCompletesAChordWhosePartsRanOnJava() {
		String last = UUID.randomUUID().toString();
		TaskResult body = this.stack.client.chord(List.of(onJava("tasks.add", 1, 1), onJava("tasks.add", 2, 2),
				onPython("tasks.add", 3, 3).withTaskId(last).withCountdown(Duration.ofSeconds(2))),
				onJava("tasks.tsum")).send();
		assertThat(body.get(TIMEOUT)).isEqualTo(12);
		assertThat(this.tasks.sums).containsExactly(List.of(2, 4, 6));
		assertChordKeysGone(last);
	}

	private void assertStoredInMsgpack(String taskId) {
		try (RedisConnection connection = this.stack.redis.getConnection()) {
			byte[] value = connection.stringCommands()
				.get(("celery-task-meta-" + taskId).getBytes(StandardCharsets.UTF_8));
			assertThat(value).isNotNull();
			assertThat(value[0] & 0xf0).as("a msgpack map").isEqualTo(0x80);
		}
	}

	private void assertChordKeysGone(String partId) {
		String groupId = this.stack.client.result(partId).meta().groupId();
		assertThat(groupId).isNotNull();
		StringRedisTemplate redis = new StringRedisTemplate(this.stack.redis);
		await().atMost(TIMEOUT).until(() -> redis.keys("celery-taskset-meta-" + groupId + ".*").isEmpty());
	}

}
