package dev.taskqueue.autoconfigure.fault;

import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.taskqueue.autoconfigure.TestQueues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault suite, beat part: applications that run a beat, each in a JVM of its own, on one
 * schedule (on the shared Redis and broker, under keys and a queue of the test's own). An
 * entry runs every second; every run must arrive exactly once whatever happens to the
 * beat that holds the lock: killed ({@code SIGKILL}) or frozen past the lock's timeout
 * ({@code SIGSTOP}) and thawed ({@code SIGCONT}). The test's consumer stores each run's
 * result as a worker does, which a new leader checks before it sends again a run its
 * predecessor sent but had not cleared.
 */
class BeatFaultTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(3);

	private static final Duration MAX_INTERVAL = Duration.ofMillis(500);

	private static final String RESULT_PREFIX = "celery-task-meta-";

	private final String queue = "tq-beat-fault-" + UUID.randomUUID().toString().substring(0, 8);

	private final String prefix = "tq-test-beat-fault-" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private final List<WorkerProcess> beats = new CopyOnWriteArrayList<>();

	/** Every run received, by task id, with the time the broker delivered it. */
	private final Map<String, List<Long>> runs = new ConcurrentHashMap<>();

	private final List<String> order = new CopyOnWriteArrayList<>();

	private CachingConnectionFactory rabbit;

	private SimpleMessageListenerContainer consumer;

	private LettuceConnectionFactory redisFactory;

	private StringRedisTemplate redis;

	@BeforeEach
	void consume() {
		this.redisFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
		this.redisFactory.afterPropertiesSet();
		this.redisFactory.start();
		this.redis = new StringRedisTemplate(this.redisFactory);
		this.redis.afterPropertiesSet();
		this.rabbit = new CachingConnectionFactory("127.0.0.1");
		new RabbitAdmin(this.rabbit).declareQueue(new org.springframework.amqp.core.Queue(this.queue));
		this.consumer = new SimpleMessageListenerContainer(this.rabbit);
		this.consumer.setQueueNames(this.queue);
		this.consumer.setMessageListener((Message message) -> {
			Object id = message.getMessageProperties().getHeaders().get("id");
			this.runs.computeIfAbsent(String.valueOf(id), (key) -> new CopyOnWriteArrayList<>())
				.add(System.currentTimeMillis());
			this.order.add(String.valueOf(id));
			// As a worker would, so that a new leader sees the run arrived: the
			// documented
			// way a run its predecessor sent but did not clear is not sent again.
			this.redis.opsForValue().set(RESULT_PREFIX + id, succeeded(String.valueOf(id)), Duration.ofMinutes(5));
		});
		this.consumer.start();
	}

	private static String succeeded(String id) {
		String done = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
			.format(LocalDateTime.now(ZoneOffset.UTC));
		return "{\"status\": \"SUCCESS\", \"result\": null, \"traceback\": null, \"children\": [], \"date_done\": \""
				+ done + "\", \"task_id\": \"" + id + "\"}";
	}

	@AfterEach
	void stop() {
		this.beats.forEach(WorkerProcess::close);
		this.consumer.stop();
		Set<String> keys = this.redis.keys(this.prefix + "*");
		if (keys != null && !keys.isEmpty()) {
			this.redis.delete(keys);
		}
		this.redis.delete(this.runs.keySet().stream().map((id) -> RESULT_PREFIX + id).toList());
		this.redisFactory.destroy();
		this.rabbit.destroy();
		TestQueues.delete(this.queue);
	}

	@Test
	void threeInstancesSendEveryRunOnceAndAStandbyTakesOverFromAKilledLeader() {
		start(3);
		WorkerProcess leader = awaitLeader();
		awaitRuns(4);
		long killedAt = System.currentTimeMillis();
		int before = this.order.size();
		leader.kill();
		this.beats.remove(leader);
		WorkerProcess next = awaitLeader();
		assertThat(next.pid()).isNotEqualTo(leader.pid());
		awaitRuns(before + 4);
		long firstAfter = this.runs.get(this.order.get(before)).get(0);
		System.out.println("Beat failover: first run " + (firstAfter - killedAt) + " ms after SIGKILL (lock timeout "
				+ LOCK_TIMEOUT.toMillis() + " ms, max interval " + MAX_INTERVAL.toMillis() + " ms)");
		// The lock expires within its timeout of the last extend, and the standby asks
		// for it every max interval; the margin only absorbs a loaded machine.
		assertThat(firstAfter - killedAt).isLessThan(LOCK_TIMEOUT.plus(MAX_INTERVAL).plusSeconds(10).toMillis());
		assertEveryRunOnce();
	}

	@Test
	void aLeaderFrozenPastTheLocksTimeoutSendsNothingTwiceWhenItThaws() throws Exception {
		start(2);
		WorkerProcess leader = awaitLeader();
		awaitRuns(3);
		signal(leader, "STOP");
		try {
			await("a standby takes over").atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
				// Read once: the key expires between two reads while nobody holds it.
				Long holder = holderPid();
				return holder != null && holder != leader.pid();
			});
			int taken = this.order.size();
			awaitRuns(taken + 3);
		}
		finally {
			signal(leader, "CONT");
		}
		await("the thawed beat notices it lost the lock").atMost(TIMEOUT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> leader.output().contains("lost the lock") || leader.output().contains("no longer holds"));
		awaitRuns(this.order.size() + 3);
		assertThat(holderPid()).isNotEqualTo(leader.pid());
		assertEveryRunOnce();
	}

	private void assertEveryRunOnce() {
		this.runs.forEach((id, deliveries) -> assertThat(deliveries).as(id).hasSize(1));
		List<Long> dues = new ArrayList<>();
		for (String id : this.order) {
			dues.add((long) (Double.parseDouble(id.substring(id.lastIndexOf(':') + 1)) * 1000));
		}
		assertThat(new HashSet<>(this.order)).hasSize(this.order.size());
		assertThat(dues).isSorted();
	}

	private void start(int count) {
		List<CompletableFuture<WorkerProcess>> starting = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			starting.add(CompletableFuture.supplyAsync(() -> WorkerProcess.start(BeatApplication.class,
					"spring.rabbitmq.host=127.0.0.1", "spring.data.redis.host=127.0.0.1",
					"taskqueue.worker.enabled=false", "taskqueue.default-queue=" + this.queue,
					"taskqueue.beat.enabled=true", "taskqueue.beat.key-prefix=" + this.prefix,
					"taskqueue.beat.lock-timeout=" + LOCK_TIMEOUT.toMillis() + "ms",
					"taskqueue.beat.max-interval=" + MAX_INTERVAL.toMillis() + "ms",
					"taskqueue.beat.schedule.tick.task=fault.tick", "taskqueue.beat.schedule.tick.every=1s")));
		}
		starting.forEach((process) -> this.beats.add(process.join()));
	}

	private WorkerProcess awaitLeader() {
		await("a leader").atMost(TIMEOUT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.beats.stream().anyMatch((beat) -> Long.valueOf(beat.pid()).equals(holderPid())));
		return this.beats.stream()
			.filter((beat) -> Long.valueOf(beat.pid()).equals(holderPid()))
			.findFirst()
			.orElseThrow();
	}

	/** The pid in the lock holder's token, {@code java:gen<pid>@<host>:<random>}. */
	private Long holderPid() {
		String token = this.redis.opsForValue().get(this.prefix + ":lock");
		if (token == null || !token.startsWith("java:gen")) {
			return null;
		}
		return Long.valueOf(token.substring("java:gen".length(), token.indexOf('@')));
	}

	private void awaitRuns(int count) {
		try {
			await(count + " runs").atMost(TIMEOUT)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> this.order.size() >= count);
		}
		catch (RuntimeException ex) {
			this.beats.forEach((beat) -> System.out.println("Beat JVM " + beat.pid() + ":\n" + beat.output()));
			throw ex;
		}
	}

	private static void signal(WorkerProcess process, String signal) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
		assertThat(kill.waitFor()).isZero();
	}

}
