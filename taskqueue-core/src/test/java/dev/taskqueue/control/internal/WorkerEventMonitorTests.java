package dev.taskqueue.control.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.taskqueue.control.WorkerInfo;
import dev.taskqueue.support.CeleryVectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WorkerEventMonitor} judges workers alive as Celery's
 * {@code celery.events.state.Worker.alive} does: until {@code 2 × freq} after the last
 * heartbeat's arrival, 60 s when the worker never sent {@code freq}, and offline at once
 * after {@code worker-offline}. Fed with the captured events of Celery 5.6.3 workers.
 */
class WorkerEventMonitorTests {

	private final WorkerEventMonitor monitor = new WorkerEventMonitor(
			new dev.taskqueue.control.internal.node.NoBrokerFactory());

	private static Map<String, @Nullable Object> captured(String file, int index, double receivedSecondsAgo) {
		JsonNode body = CeleryVectors.load("events/" + file).at("/messages/" + index + "/body_json");
		if (body.isArray()) {
			body = body.get(0);
		}
		Map<String, @Nullable Object> event = new LinkedHashMap<>(CeleryVectors.mapper().convertValue(body, Map.class));
		event.put("local_received", EventMessages.now() - receivedSecondsAgo);
		return event;
	}

	@Test
	void aHeartbeatKeepsAWorkerAliveForTwiceItsFreq() {
		// worker-heartbeat.json[0]: freq 2.0.
		this.monitor.onEvent(captured("worker-heartbeat.json", 0, 3.0));
		WorkerInfo worker = this.monitor.getWorker("worker1@example");
		assertThat(worker).isNotNull();
		assertThat(worker.host()).isEqualTo("example");
		assertThat(worker.pid()).isEqualTo(1000);
		assertThat(worker.software()).isEqualTo("py-celery 5.6.3");
		assertThat(worker.queues()).isEmpty();
	}

	@Test
	void aWorkerSilentForMoreThanTwiceItsFreqIsOffline() {
		this.monitor.onEvent(captured("worker-heartbeat.json", 0, 4.5));
		assertThat(this.monitor.isAlive("worker1@example")).isFalse();
		assertThat(this.monitor.getWorkers()).isEmpty();
	}

	@Test
	void theLastFreqSentCountsAndWithoutOneItIsSixtySeconds() {
		Map<String, @Nullable Object> event = captured("worker-heartbeat.json", 0, 30);
		this.monitor.onEvent(withoutFreq(event));
		assertThat(this.monitor.isAlive("worker1@example")).as("60 s without freq").isTrue();
		this.monitor.onEvent(captured("worker-heartbeat.json", 0, 10));
		assertThat(this.monitor.isAlive("worker1@example")).as("2 s freq, heard 10 s ago").isFalse();
	}

	@Test
	void workerOfflineTakesTheWorkerOffAtOnce() {
		this.monitor.onEvent(captured("worker-online.json", 0, 0.1));
		assertThat(this.monitor.getWorkers()).extracting(WorkerInfo::name).containsExactly("worker1@example");
		// worker-offline.json[1]: worker 1's warm shutdown.
		this.monitor.onEvent(captured("worker-offline.json", 1, 0));
		assertThat(this.monitor.getWorkers()).isEmpty();
	}

	@Test
	void anOnDemandHeartbeatCountsWithItsFreqOfFive() {
		// worker-heartbeat.json[2]: the answer to the heartbeat command, freq 5.
		this.monitor.onEvent(captured("worker-heartbeat.json", 2, 8));
		assertThat(this.monitor.isAlive("worker1@example")).isTrue();
	}

	@Test
	void taskEventsAndEventsWithoutHostnameAreIgnoredButMoveTheClock() {
		LamportClock clock = new LamportClock();
		this.monitor.setClock(clock);
		Map<String, @Nullable Object> task = captured("task-started.json", 0, 0);
		this.monitor.onEvent(task);
		assertThat(this.monitor.getWorkers()).isEmpty();
		assertThat(clock.value()).isEqualTo(((Number) task.get("clock")).longValue() + 1);
	}

	@Test
	void withoutABrokerItStartsListsNobodyAndTriesAgainLater() {
		this.monitor.start();
		assertThat(this.monitor.isRunning()).isTrue();
		assertThat(this.monitor.isListening()).isFalse();
		assertThat(this.monitor.getWorkers()).isEmpty();
		this.monitor.stop();
		assertThat(this.monitor.isRunning()).isFalse();
	}

	private static Map<String, @Nullable Object> withoutFreq(Map<String, @Nullable Object> event) {
		Map<String, @Nullable Object> copy = new LinkedHashMap<>(event);
		copy.remove("freq");
		return copy;
	}

}
