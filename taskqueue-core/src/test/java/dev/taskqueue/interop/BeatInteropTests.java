package dev.taskqueue.interop;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.taskqueue.beat.PeriodicTask;
import dev.taskqueue.beat.Schedule;
import dev.taskqueue.beat.internal.Beat;
import dev.taskqueue.beat.internal.BeatLock;
import dev.taskqueue.beat.internal.BeatSettings;
import dev.taskqueue.beat.internal.DefaultPeriodicTasks;
import dev.taskqueue.beat.internal.RedBeatJson;
import dev.taskqueue.beat.internal.RedBeatKeys;
import dev.taskqueue.beat.internal.RedBeatStore;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Python Celery worker runs the tasks the Java beat fires, and sees Celery beat's
 * header on them.
 */
class BeatInteropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static String queue;

	private static Stack stack;

	private static PythonCelery.Worker python;

	private static final String prefix = Infrastructure.unique("beat-interop") + ":";

	@BeforeAll
	static void startPythonWorker() {
		queue = Infrastructure.unique("py-beat");
		stack = Stack.builder().route("interop.py.*", Route.toQueue(queue)).build();
		python = PythonCelery.startWorker(queue);
	}

	@AfterAll
	static void stopPythonWorker() {
		try {
			if (python != null) {
				python.close();
			}
		}
		finally {
			StringRedisTemplate redis = new StringRedisTemplate(stack.redis);
			List<String> keys = new ArrayList<>();
			try (Cursor<String> cursor = redis.scan(ScanOptions.scanOptions().match(prefix + "*").build())) {
				cursor.forEachRemaining(keys::add);
			}
			if (!keys.isEmpty()) {
				redis.delete(keys);
			}
			stack.close();
		}
	}

	@Test
	void aPythonWorkerRunsWhatTheJavaBeatFiresAndSeesItIsAPeriodicRun() {
		String adder = Infrastructure.unique("py-add");
		String header = Infrastructure.unique("py-header");
		StringRedisTemplate redis = new StringRedisTemplate(stack.redis);
		RedBeatStore store = new RedBeatStore(redis, new RedBeatKeys(prefix, null, false),
				new RedBeatJson(JsonMapper.builder().build()));
		BeatSettings settings = new BeatSettings(Duration.ofSeconds(5), Duration.ofMillis(200), ZoneId.of("UTC"),
				Duration.ofMinutes(1), 2, 100);
		Beat beat = new Beat(store,
				new BeatLock(redis, store.keys(), "java:" + UUID.randomUUID(), settings.lockTimeout()), stack.client,
				settings, Clock.systemUTC(), List::of);
		DefaultPeriodicTasks tasks = new DefaultPeriodicTasks(store, beat, ZoneId.of("UTC"), Clock.systemUTC());
		tasks.add(PeriodicTask.builder(adder, "interop.py.add")
			.schedule(Schedule.every(Duration.ofSeconds(1)))
			.args(2, 3)
			.build());
		tasks.add(PeriodicTask.builder(header, "interop.py.request_header")
			.schedule(Schedule.every(Duration.ofSeconds(1)))
			.args("periodic_task_name")
			.build());
		beat.start();
		try {
			assertThat(stack.client.result(firstRun(redis, adder)).get(TIMEOUT)).isEqualTo(5);
			assertThat(stack.client.result(firstRun(redis, header)).get(TIMEOUT)).isEqualTo(header);
		}
		finally {
			beat.stop();
		}
	}

	/** The id of the entry's first run whose result Python stored. */
	private static String firstRun(StringRedisTemplate redis, String entry) {
		List<String> ids = new ArrayList<>();
		await("a result of " + entry).atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
			try (Cursor<String> cursor = redis
				.scan(ScanOptions.scanOptions().match("celery-task-meta-beat:" + entry + ":*").build())) {
				cursor.forEachRemaining((key) -> ids.add(key.substring("celery-task-meta-".length())));
			}
			return !ids.isEmpty();
		});
		return ids.get(0);
	}

}
