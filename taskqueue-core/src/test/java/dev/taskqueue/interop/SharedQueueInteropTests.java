package dev.taskqueue.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.taskqueue.client.TaskResult;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Python Celery worker and a Java worker consume one queue at once: both declare it,
 * and between them they run every task exactly once.
 */
class SharedQueueInteropTests {

	private static final int TASKS = 200;

	private static final InteropTasks tasks = new InteropTasks();

	private static String queue;

	private static String runsKey;

	private static Stack stack;

	private static PythonCelery.Worker python;

	@BeforeAll
	static void startBothWorkers() {
		queue = Infrastructure.unique("shared");
		runsKey = Infrastructure.unique("runs");
		stack = Stack.builder().tasks(tasks).defaultQueue(queue).build();
		// Python declares the queue first, then Java declares the same queue again.
		python = PythonCelery.startWorker(queue);
		stack.startWorker(queue);
	}

	@AfterAll
	static void stopBothWorkers() {
		try {
			if (python != null) {
				python.close();
			}
		}
		finally {
			new StringRedisTemplate(stack.redis).delete(runsKey);
			stack.close();
		}
	}

	@Test
	void bothWorkersConsumeTheQueueTheyBothDeclared() {
		QueueInformation info = stack.admin().getQueueInfo(queue);
		assertThat(info).isNotNull();
		// Two consumers of the Java worker (concurrency 2), one of Celery's (its main
		// process).
		assertThat(info.getConsumerCount()).isEqualTo(3);
		assertThat(python.log()).doesNotContain("PRECONDITION_FAILED");
	}

	@Test
	void aClientWaitingForEachResultGetsThemFromBothWorkersThoughOnlyTheJavaOneReplies() {
		// Each send listens ahead; the Java worker also publishes results on the client's
		// reply channel, the Python one does not, and every result still arrives.
		stack.client.setSubscribeBeforeSend(Duration.ofMinutes(1));
		try {
			Map<Integer, String> ranOn = new HashMap<>();
			for (int i = 0; i < 12; i++) {
				TaskResult result = stack.client.send("interop.whoami", 1000 + i, runsKey + ":sequential");
				Map<?, ?> value = result.get(Duration.ofSeconds(30), Map.class);
				assertThat(value.get("i")).isEqualTo(1000 + i);
				ranOn.put(1000 + i, (String) value.get("lang"));
			}
			assertThat(ranOn).hasSize(12);
			assertThat(ranOn.values()).contains("java", "python");
		}
		finally {
			stack.client.setSubscribeBeforeSend(null);
			tasks.whoamiRuns.removeIf((i) -> i >= 1000);
			new StringRedisTemplate(stack.redis).delete(runsKey + ":sequential");
		}
	}

	@Test
	void everyTaskRunsExactlyOnceOnOneWorkerOrTheOther() {
		List<TaskResult> results = new ArrayList<>();
		for (int i = 0; i < TASKS; i++) {
			results.add(stack.client.send("interop.whoami", i, runsKey));
		}
		Map<Integer, String> ranOn = new HashMap<>();
		for (TaskResult result : results) {
			Map<?, ?> value = result.get(Duration.ofSeconds(30), Map.class);
			assertThat(ranOn.put((Integer) value.get("i"), (String) value.get("lang"))).isNull();
		}
		List<Integer> javaRuns = List.copyOf(tasks.whoamiRuns);
		List<Integer> pythonRuns = new StringRedisTemplate(stack.redis).opsForList()
			.range(runsKey, 0, -1)
			.stream()
			.map(Integer::valueOf)
			.toList();
		List<Integer> all = new ArrayList<>(javaRuns);
		all.addAll(pythonRuns);
		assertThat(all).containsExactlyInAnyOrderElementsOf(IntStream.range(0, TASKS).boxed().toList());
		assertThat(javaRuns).isNotEmpty().allSatisfy((i) -> assertThat(ranOn.get(i)).isEqualTo("java"));
		assertThat(pythonRuns).isNotEmpty().allSatisfy((i) -> assertThat(ranOn.get(i)).isEqualTo("python"));
	}

}
