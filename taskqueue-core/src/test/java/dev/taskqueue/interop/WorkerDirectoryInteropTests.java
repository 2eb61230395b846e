package dev.taskqueue.interop;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.taskqueue.control.WorkerDirectory;
import dev.taskqueue.control.WorkerInfo;
import dev.taskqueue.control.internal.WorkerEventMonitor;
import dev.taskqueue.support.Infrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@link WorkerDirectory} lists real Celery 5.2.6 workers beside taskqueue's own, by
 * their {@code worker-online}/{@code worker-heartbeat}/{@code worker-offline} events: a
 * worker stopped warmly leaves at once, one killed with SIGKILL once its heartbeats are
 * {@code 2 × freq} overdue. The workers send events to an exchange of this test's own.
 */
class WorkerDirectoryInteropTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private final String exchange = Infrastructure.unique("dir-ev");

	private final Map<String, String> env = Map.of("INTEROP_EVENT_EXCHANGE", this.exchange, "INTEROP_CONTROL_EXCHANGE",
			Infrastructure.unique("dir-ctl"));

	private final String queue = Infrastructure.unique("dir-py");

	private final CachingConnectionFactory rabbit = Infrastructure.rabbit();

	private final LettuceConnectionFactory redis = Infrastructure.redis();

	private final WorkerEventMonitor monitor = new WorkerEventMonitor(this.rabbit);

	private final WorkerDirectory directory = new WorkerDirectory(this.redis, Infrastructure.unique("dir") + ":");

	private PythonCelery.Worker python;

	@BeforeEach
	void startMonitor() {
		this.monitor.setExchange(this.exchange);
		this.monitor.start();
		this.directory.setEventMonitor(this.monitor);
	}

	@AfterEach
	void stop() {
		try {
			if (this.python != null) {
				this.python.close();
			}
			this.monitor.stop();
			RabbitAdmin admin = new RabbitAdmin(this.rabbit);
			admin.deleteQueue(this.queue);
			admin.deleteExchange(this.queue);
			admin.deleteExchange(this.exchange);
			admin.deleteExchange(this.env.get("INTEROP_CONTROL_EXCHANGE") + ".pidbox");
		}
		finally {
			this.rabbit.destroy();
			this.redis.destroy();
		}
	}

	private void startPython() {
		// Heartbeats every second; no gossip or mingle, which need nothing here.
		this.python = PythonCelery.startWorker(this.queue, this.env,
				List.of("--without-mingle", "--without-gossip", "--heartbeat-interval", "1"));
	}

	private WorkerInfo awaitListed() {
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.directory.list()).extracting(WorkerInfo::name)
				.contains(this.python.nodeName()));
		return this.directory.get(this.python.nodeName());
	}

	@Test
	void aCeleryWorkerIsListedByItsHeartbeats() {
		Instant before = Instant.now().minusSeconds(1);
		startPython();
		WorkerInfo worker = awaitListed();
		assertThat(worker.pid()).isEqualTo(this.python.pid());
		assertThat(worker.software()).isEqualTo("py-celery 5.2.6");
		assertThat(worker.host()).isEqualTo(this.python.nodeName().substring(this.python.nodeName().indexOf('@') + 1));
		assertThat(worker.startedAt()).isAfterOrEqualTo(before);
		assertThat(worker.lastHeartbeat()).isAfterOrEqualTo(worker.startedAt());
		assertThat(this.monitor.isAlive(this.python.nodeName())).isTrue();
	}

	@Test
	void aWorkerStoppedWarmlyLeavesWithItsWorkerOffline() {
		startPython();
		String node = awaitListed().name();
		this.python.close();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.directory.get(node)).isNull());
		assertThat(this.directory.list()).extracting(WorkerInfo::name).doesNotContain(node);
	}

	@Test
	void aWorkerKilledWithSigkillLeavesWhenItsHeartbeatsAreTwiceFreqOverdue() {
		startPython();
		String node = awaitListed().name();
		// freq 1.0 was sent: the monitor waits 2 s after the last heartbeat arrived.
		this.python.kill();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.monitor.isAlive(node)).isFalse());
		assertThat(this.directory.list()).extracting(WorkerInfo::name).doesNotContain(node);
	}

}
