package dev.taskqueue.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.taskqueue.client.TaskResult;
import dev.taskqueue.event.TaskEvent;
import dev.taskqueue.event.TaskRateLimitedEvent;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.RateLimitScope;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rate limits on several workers: a cluster-wide limit holds for all of them together, a
 * per-worker limit for each, and a task waiting for its limit does not hold up other
 * tasks. Bounds are counted over windows with a generous tolerance; the machine is
 * loaded.
 */
@Isolated("counts task starts per window of time")
class RateLimitIntegrationTests {

	private Stack stack;

	private final FlowTasks tasks = new FlowTasks();

	private final List<TaskEvent> events = new CopyOnWriteArrayList<>();

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(this.tasks).build();
	}

	@AfterEach
	void stop() {
		this.tasks.release.countDown();
		this.stack.close();
	}

	@Test
	void clusterScopeHoldsForAllWorkersTogether() {
		RateLimit limit = RateLimit.parse("1/s").withScope(RateLimitScope.CLUSTER);
		startWorkers(3, limit);
		int count = 10;
		List<TaskResult> results = sendLimited(count);
		results.forEach((result) -> result.get(Duration.ofSeconds(60)));
		List<Long> starts = startTimes("flow.limited");
		assertThat(starts).hasSize(count);
		// Ten starts at 1/s overall take about nine seconds, wherever they ran; without a
		// shared
		// bucket three workers would need about three.
		assertThat(spanSeconds(starts)).isGreaterThan(7.5);
		// No window of three seconds holds more than its three starts, give or take
		// scheduling.
		assertThat(maxInWindow(starts, Duration.ofSeconds(3))).isLessThanOrEqualTo(5);
		assertThat(this.events).filteredOn(TaskRateLimitedEvent.class::isInstance).isNotEmpty();
	}

	@Test
	void workerScopeHoldsForEachWorker() {
		RateLimit limit = RateLimit.parse("1/s");
		startWorkers(3, limit);
		int count = 12;
		List<TaskResult> results = sendLimited(count);
		results.forEach((result) -> result.get(Duration.ofSeconds(60)));
		List<Long> starts = startTimes("flow.limited");
		assertThat(starts).hasSize(count);
		// Three workers at 1/s each: about three seconds for twelve when each takes four,
		// longer when they are spread unevenly or a parked one comes back to another
		// worker (8.0 s seen in a full run); one shared 1/s needs eleven.
		assertThat(spanSeconds(starts)).isLessThan(10);
		for (String worker : List.of("flow-1", "flow-2", "flow-3")) {
			List<Long> own = this.tasks.startsOf("flow.limited")
				.stream()
				.filter((start) -> start.worker().equals(worker))
				.map(FlowTasks.Start::nanos)
				.sorted()
				.toList();
			assertThat(maxInWindow(own, Duration.ofSeconds(3))).as("starts on %s in 3 s", worker)
				.isLessThanOrEqualTo(5);
		}
	}

	@Test
	void otherTasksKeepFlowingWhileALimitedOneWaits() {
		// One consumer with room for four messages; the limited task may start once a
		// minute.
		startWorkers(1, RateLimit.parse("1/m"));
		List<TaskResult> limited = sendLimited(6);
		List<TaskResult> free = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			free.add(this.stack.client.send("flow.free", "f" + i));
		}
		for (TaskResult result : free) {
			assertThat(result.get(Duration.ofSeconds(30), String.class)).startsWith("f");
		}
		// The limited tasks still wait: one started, the others are parked in the broker,
		// not
		// held by the consumer.
		assertThat(this.tasks.startsOf("flow.limited")).hasSize(1);
		assertThat(limited.stream().filter((result) -> result.getState() == TaskState.SUCCESS)).hasSize(1);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.events).filteredOn(TaskRateLimitedEvent.class::isInstance)
				.hasSize(5)
				.allSatisfy((event) -> assertThat(((TaskRateLimitedEvent) event).isParked()).isTrue()));
	}

	@Test
	void parkedTaskStartsAtItsReservedTime() {
		// 2/s: the third start is a second away, so it is parked, and comes back to start
		// then.
		startWorkers(1, RateLimit.parse("2/s"));
		List<TaskResult> results = sendLimited(5);
		results.forEach((result) -> assertThat(result.get(Duration.ofSeconds(30), String.class)).startsWith("n"));
		List<Long> starts = startTimes("flow.limited");
		assertThat(spanSeconds(starts)).isGreaterThan(1.5);
		assertThat(maxInWindow(starts, Duration.ofSeconds(1))).isLessThanOrEqualTo(3);
		assertThat(this.events).filteredOn(TaskRateLimitedEvent.class::isInstance)
			.anySatisfy((event) -> assertThat(((TaskRateLimitedEvent) event).isParked()).isTrue());
	}

	private void startWorkers(int count, RateLimit limit) {
		for (int i = 1; i <= count; i++) {
			this.stack.startWorker(WorkerSettings.builder("flow-" + i, List.of(this.stack.defaultQueue))
				.concurrency(1)
				.prefetch(4)
				.redeliveryBackoff(Duration.ofMillis(200))
				.tasks(Map.of("flow.limited", TaskOptions.rateLimit(limit)))
				.build(), List.of(), (event) -> {
					if (event instanceof TaskEvent taskEvent) {
						this.events.add(taskEvent);
					}
				});
		}
	}

	private List<TaskResult> sendLimited(int count) {
		List<TaskResult> results = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			results.add(this.stack.client.send("flow.limited", "n" + i));
		}
		return results;
	}

	private List<Long> startTimes(String task) {
		return this.tasks.startsOf(task).stream().map(FlowTasks.Start::nanos).sorted().toList();
	}

	private static double spanSeconds(List<Long> sorted) {
		return (sorted.get(sorted.size() - 1) - sorted.get(0)) / 1e9;
	}

	private static int maxInWindow(List<Long> sorted, Duration window) {
		int max = 0;
		for (int i = 0; i < sorted.size(); i++) {
			int n = 0;
			for (int j = i; j < sorted.size() && sorted.get(j) - sorted.get(i) < window.toNanos(); j++) {
				n++;
			}
			max = Math.max(max, n);
		}
		return max;
	}

}
