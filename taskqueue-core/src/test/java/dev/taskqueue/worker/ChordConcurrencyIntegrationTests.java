package dev.taskqueue.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large chord whose header parts two worker containers complete concurrently: the body
 * runs exactly once, with every result in header order.
 */
class ChordConcurrencyIntegrationTests {

	private static final int PARTS = 1000;

	private final CanvasTasks tasks = new CanvasTasks();

	private Stack stack;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(this.tasks).build();
		for (String name : List.of("worker-1@localhost", "worker-2@localhost")) {
			this.stack.startWorker(WorkerSettings.builder(name, List.of(this.stack.defaultQueue))
				.concurrency(2)
				.prefetch(8)
				.redeliveryBackoff(Duration.ofMillis(200))
				.build());
		}
	}

	@AfterEach
	void stop() {
		this.stack.close();
	}

	@Test
	void thousandPartChordOnTwoWorkersRunsTheBodyOnceWithEveryResultInOrder() throws InterruptedException {
		List<Signature> header = new ArrayList<>(PARTS);
		for (int i = 0; i < PARTS; i++) {
			header.add(Signature.of("tasks.add_on", i, 0));
		}
		TaskResult body = this.stack.client.chord(header, Signature.of("tasks.tsum")).send();
		assertThat(body.get(Duration.ofSeconds(120), Long.class)).isEqualTo((long) PARTS * (PARTS - 1) / 2);
		// Give a second completion, if there were one, time to show.
		Thread.sleep(1000);
		assertThat(this.tasks.runs.get(body.getId()).get()).isEqualTo(1);
		assertThat(this.tasks.sums).hasSize(1);
		assertThat(this.tasks.sums.peek()).containsExactlyElementsOf(IntStream.range(0, PARTS).boxed().toList());
		assertThat(this.tasks.partsByWorker.keySet()).containsExactlyInAnyOrder("worker-1@localhost",
				"worker-2@localhost");
		String groupId = this.stack.client.result(body.getRecord().parentId()).getRecord().groupId();
		assertThat(new StringRedisTemplate(this.stack.redis).keys("celery-taskset-meta-" + groupId + "*")).isEmpty();
	}

}
