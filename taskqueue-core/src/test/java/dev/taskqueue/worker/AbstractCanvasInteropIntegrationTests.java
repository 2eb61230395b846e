package dev.taskqueue.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.interop.PythonCelery;
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
 * Chords whose parts run partly on a Java worker and partly on a real Celery 5.2 worker
 * (Debian's {@code python3-celery}), both sending and storing in one serializer: each
 * side consumes its own queue and every signature names its queue. A subclass per
 * serializer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractCanvasInteropIntegrationTests {

	static final Duration TIMEOUT = Duration.ofSeconds(30);

	final CanvasTasks tasks = new CanvasTasks();

	Stack stack;

	private String javaQueue;

	private String pythonQueue;

	private PythonCelery.Worker python;

	private final String serializer;

	/**
	 * @param serializer Celery's {@code task_serializer} and {@code result_serializer} on
	 * both sides
	 */
	AbstractCanvasInteropIntegrationTests(String serializer) {
		this.serializer = serializer;
	}

	@BeforeAll
	void start() throws IOException {
		assertThat(PythonCelery.isAvailable())
			.as("Debian's python3-celery under /usr/bin/python3 (scripts/services installs it)")
			.isTrue();
		this.pythonQueue = Infrastructure.unique("celery-py-" + this.serializer);
		this.stack = Stack.builder()
			.tasks(this.tasks)
			.serializer(this.serializer)
			.resultSerializer(this.serializer)
			.accept("json", this.serializer)
			.deleteOnClose(this.pythonQueue)
			.build();
		this.javaQueue = this.stack.defaultQueue;
		this.stack.startWorker(this.javaQueue);
		this.python = PythonCelery.startWorker("/python/canvas_tasks.py", this.pythonQueue,
				Map.of("CANVAS_QUEUE", this.pythonQueue, "CANVAS_SERIALIZER", this.serializer));
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

	Signature onJava(String task, Object... args) {
		return Signature.of(task, args).withQueue(this.javaQueue);
	}

	Signature onPython(String task, Object... args) {
		return Signature.of(task, args).withQueue(this.pythonQueue);
	}

	@Test
	void chordWithPartsOnBothSidesRunsItsBodyOnceWithTheResultsInOrder() {
		List<Signature> header = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			header.add((i % 2 == 0) ? onJava("tasks.add", i, 0) : onPython("tasks.add", i, 0));
		}
		TaskResult body = this.stack.client.chord(header, onJava("tasks.tsum")).send();
		assertThat(body.get(TIMEOUT)).isEqualTo(190);
		assertThat(this.tasks.sums).containsExactly(new ArrayList<>(IntStream.range(0, 20).boxed().toList()));
		assertThat(this.tasks.runs.get(body.getId()).get()).isEqualTo(1);
		assertStoredInTheSerializer(body.getId());
	}

	@Test
	void javaWorkerCompletesAChordWhosePartsRanOnCelery() {
		String last = UUID.randomUUID().toString();
		TaskResult body = this.stack.client.chord(
				List.of(onPython("tasks.add", 1, 1), onPython("tasks.add", 2, 2),
						onJava("tasks.add", 3, 3).withTaskId(last).withCountdown(Duration.ofSeconds(2))),
				onPython("tasks.tsum"))
			.send();
		assertThat(body.get(TIMEOUT)).isEqualTo(12);
		assertThat(body.getRecord().parentId()).isEqualTo(last);
		assertStoredInTheSerializer(body.getId());
		assertChordKeysGone(last);
	}

	@Test
	void celeryWorkerCompletesAChordWhosePartsRanOnJava() {
		String last = UUID.randomUUID().toString();
		TaskResult body = this.stack.client.chord(
				List.of(onJava("tasks.add", 1, 1), onJava("tasks.add", 2, 2),
						onPython("tasks.add", 3, 3).withTaskId(last).withCountdown(Duration.ofSeconds(2))),
				onJava("tasks.tsum"))
			.send();
		assertThat(body.get(TIMEOUT)).isEqualTo(12);
		assertThat(body.getRecord().parentId()).isEqualTo(last);
		assertThat(this.tasks.sums).containsExactly(List.of(2, 4, 6));
		assertStoredInTheSerializer(body.getId());
		assertChordKeysGone(last);
	}

	/**
	 * Assert the first byte of a stored result: what tells the serializers' records
	 * apart.
	 * @param firstByte the stored record's first byte
	 */
	abstract void assertRecordStart(int firstByte);

	private void assertStoredInTheSerializer(String taskId) {
		try (RedisConnection connection = this.stack.redis.getConnection()) {
			byte[] value = connection.stringCommands()
				.get(("celery-task-meta-" + taskId).getBytes(StandardCharsets.UTF_8));
			assertThat(value).isNotNull().isNotEmpty();
			assertRecordStart(value[0] & 0xff);
		}
	}

	void assertChordKeysGone(String partId) {
		String groupId = this.stack.client.result(partId).getRecord().groupId();
		assertThat(groupId).isNotNull();
		StringRedisTemplate redis = new StringRedisTemplate(this.stack.redis);
		// Celery's finisher deletes them just after sending the body.
		await().atMost(TIMEOUT).until(() -> redis.keys("celery-taskset-meta-" + groupId + ".*").isEmpty());
	}

}
