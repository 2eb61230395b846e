package dev.taskqueue.worker.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.taskqueue.control.WorkerDirectory;
import dev.taskqueue.control.WorkerInfo;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.support.CuttableProxy;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.Tasks;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;
import io.lettuce.core.ClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workers' heartbeats in Redis: what they say, and how a worker leaves the list.
 */
class WorkerHeartbeatIntegrationTests {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	private final Stack stack = Stack.builder().tasks(new Tasks()).build();

	// A prefix of its own, so other tests' workers never show up here.
	private final String keyPrefix = Infrastructure.unique("hb") + ":";

	private final WorkerDirectory directory = new WorkerDirectory(this.stack.redis, this.keyPrefix);

	private final List<WorkerHeartbeat> heartbeats = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() {
		this.heartbeats.forEach(WorkerHeartbeat::stop);
		this.stack.close();
	}

	@Test
	void twoWorkersAppearWithTheirFields() {
		String otherQueue = Infrastructure.unique("hb-other");
		Instant before = Instant.now();
		WorkerContainer first = this.stack.startWorker(settings("hb-first", List.of(this.stack.defaultQueue), 2));
		WorkerContainer second = this.stack
			.startWorker(settings("hb-second", List.of(this.stack.defaultQueue, otherQueue), 3));
		beat(first, this.directory);
		beat(second, this.directory);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.directory.list().size() == 2);
		List<WorkerInfo> workers = this.directory.list();
		assertThat(workers).extracting(WorkerInfo::name).containsExactly("hb-first", "hb-second");
		WorkerInfo info = workers.get(1);
		assertThat(info.host()).isEqualTo(ProcessIdentity.hostname());
		assertThat(info.pid()).isEqualTo(ProcessIdentity.pid());
		assertThat(info.queues()).containsExactly(this.stack.defaultQueue, otherQueue);
		assertThat(info.concurrency()).isEqualTo(3);
		assertThat(info.inFlight()).isZero();
		assertThat(info.startedAt()).isBetween(before, Instant.now());
		// Refreshed at each interval.
		Instant last = info.lastHeartbeat();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.directory.get("hb-second").lastHeartbeat().isAfter(last));
		assertThat(this.directory.get("hb-second").startedAt()).isEqualTo(info.startedAt());
	}

	@Test
	void inFlightCountsTheTasksRunning() throws Exception {
		WorkerContainer worker = this.stack.startWorker(settings("hb-busy", List.of(this.stack.defaultQueue), 2));
		beat(worker, this.directory);
		Tasks.release = new java.util.concurrent.CountDownLatch(1);
		this.stack.client.send("hb.block");
		this.stack.client.send("hb.block");
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			WorkerInfo info = this.directory.get("hb-busy");
			return info != null && info.inFlight() == 2;
		});
		Tasks.release.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.directory.get("hb-busy").inFlight() == 0);
	}

	@Test
	void cleanStopRemovesTheRecordAtOnce() {
		WorkerHeartbeat heartbeat = beat(
				this.stack.startWorker(settings("hb-clean", List.of(this.stack.defaultQueue), 1)), this.directory);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.directory.get("hb-clean") != null);
		heartbeat.stop();
		assertThat(this.directory.get("hb-clean")).isNull();
		assertThat(heartbeat.isRunning()).isFalse();
	}

	@Test
	void workerWhoseHeartbeatsStopVanishesAfterTheTtl() {
		WorkerHeartbeat heartbeat = beat(
				this.stack.startWorker(settings("hb-dead", List.of(this.stack.defaultQueue), 1)), this.directory);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.directory.get("hb-dead") != null);
		heartbeat.halt();
		// Still listed for up to three intervals, then gone without anyone deleting it.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.directory.get("hb-dead") == null);
		assertThat(this.directory.list()).isEmpty();
	}

	@Test
	void aWorkerReusingANameDoesNotDeleteTheOthersRecord() {
		WorkerContainer worker = this.stack.startWorker(settings("hb-twin", List.of(this.stack.defaultQueue), 1));
		WorkerHeartbeat first = beat(worker, this.directory);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.directory.get("hb-twin") != null);
		first.halt();
		WorkerHeartbeat second = beat(worker, this.directory);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.directory.get("hb-twin") != null);
		// The first instance's clean stop must not remove the second's record.
		assertThat(this.directory.remove("hb-twin", "not-the-owner")).isFalse();
		assertThat(this.directory.get("hb-twin")).isNotNull();
		second.stop();
		assertThat(this.directory.get("hb-twin")).isNull();
	}

	@Test
	void redisOutageIsLoggedOnceAndHeartbeatsResumeWhileTheWorkerKeepsRunning() {
		List<ILoggingEvent> logged = new CopyOnWriteArrayList<>();
		Logger logger = (Logger) LoggerFactory.getLogger(WorkerHeartbeat.class);
		AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
			@Override
			protected void append(ILoggingEvent event) {
				if (event.getLevel().isGreaterOrEqual(Level.INFO)) {
					logged.add(event);
				}
			}
		};
		appender.start();
		logger.addAppender(appender);
		try (CuttableProxy proxy = new CuttableProxy(Infrastructure.REDIS_HOST, Infrastructure.REDIS_PORT)) {
			LettuceConnectionFactory viaProxy = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", proxy.port()),
					LettuceClientConfiguration.builder()
						.commandTimeout(Duration.ofMillis(500))
						.clientOptions(ClientOptions.builder()
							.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
							.build())
						.build());
			viaProxy.afterPropertiesSet();
			viaProxy.start();
			try {
				WorkerDirectory cut = new WorkerDirectory(viaProxy, this.keyPrefix);
				WorkerContainer worker = this.stack
					.startWorker(settings("hb-outage", List.of(this.stack.defaultQueue), 1));
				beat(worker, cut);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.directory.list().size() == 1);
				proxy.cut();
				// The record expires while Redis is out of reach, and the worker still
				// runs tasks.
				await().atMost(Duration.ofSeconds(10)).until(() -> this.directory.list().isEmpty());
				assertThat(this.stack.client.send("hb.echo", "still here").get(Duration.ofSeconds(10)))
					.isEqualTo("still here");
				await().atMost(Duration.ofSeconds(10))
					.until(() -> logged.stream().anyMatch((e) -> e.getLevel() == Level.WARN));
				proxy.restore();
				await().atMost(Duration.ofSeconds(30)).until(() -> this.directory.list().size() == 1);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> logged.stream().anyMatch((e) -> e.getFormattedMessage().contains("again")));
				assertThat(logged.stream().filter((e) -> e.getLevel() == Level.WARN)).hasSize(1);
			}
			finally {
				this.heartbeats.forEach(WorkerHeartbeat::stop);
				this.heartbeats.clear();
				viaProxy.destroy();
			}
		}
		finally {
			logger.detachAppender(appender);
		}
	}

	private WorkerSettings settings(String name, List<String> queues, int concurrency) {
		queues.forEach(this.stack::deleteOnClose);
		return WorkerSettings.builder(name, queues)
			.concurrency(concurrency)
			.redeliveryBackoff(Duration.ofMillis(200))
			.heartbeatInterval(INTERVAL)
			.build();
	}

	private WorkerHeartbeat beat(WorkerContainer worker, WorkerDirectory directory) {
		WorkerHeartbeat heartbeat = new WorkerHeartbeat(worker, directory);
		this.heartbeats.add(heartbeat);
		heartbeat.start();
		return heartbeat;
	}

	static class Tasks {

		static volatile java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(0);

		@QueueTask("hb.echo")
		String echo(String text) {
			return text;
		}

		@QueueTask("hb.block")
		void block() throws InterruptedException {
			release.await(10, java.util.concurrent.TimeUnit.SECONDS);
		}

	}

}
