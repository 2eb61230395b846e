package dev.taskqueue.beat.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import dev.taskqueue.support.TestClock;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A schedule of a test's own on the real Redis (a unique key prefix) whose runs go to a
 * queue of its own on the real broker, with a clock the test moves, and beats built on
 * it. Everything is deleted on {@link #close()}.
 */
final class BeatFixture implements AutoCloseable {

	final Stack stack = Stack.builder().build();

	final String queue = this.stack.defaultQueue;

	final String prefix = Infrastructure.unique("beat") + ":";

	final StringRedisTemplate redis = new StringRedisTemplate(this.stack.redis);

	final RedBeatJson codec = new RedBeatJson(JsonMapper.builder().build());

	final RedBeatKeys keys = new RedBeatKeys(this.prefix, null, false);

	final RedBeatStore store = new RedBeatStore(this.redis, this.keys, this.codec);

	final TestClock clock = new TestClock(Instant.parse("2026-12-07T10:00:10Z"));

	final List<StaticTask> statics = new CopyOnWriteArrayList<>();

	private final List<Beat> beats = new ArrayList<>();

	private final RabbitTemplate rabbit = new RabbitTemplate(this.stack.rabbit);

	BeatFixture() {
		this.redis.afterPropertiesSet();
		// Runs are sent to the test's queue: make sure it exists before the first one.
		this.stack.declarer.declareQueue(this.queue);
	}

	DefaultPeriodicTasks tasks(Beat beat) {
		return new DefaultPeriodicTasks(this.store, beat, ZoneId.of("UTC"), this.clock);
	}

	DefaultPeriodicTasks tasks() {
		return new DefaultPeriodicTasks(this.store, null, ZoneId.of("UTC"), this.clock);
	}

	Beat beat(String name) {
		return beat(name, settings(Duration.ofSeconds(30), Duration.ofSeconds(5)), this.stack.redis, this.statics);
	}

	BeatSettings settings(Duration lockTimeout, Duration maxInterval) {
		return new BeatSettings(lockTimeout, maxInterval, ZoneId.of("UTC"), Duration.ofMinutes(1), 4, 100);
	}

	Beat beat(String name, LongSupplier nanoTime) {
		return beat(name, settings(Duration.ofSeconds(30), Duration.ofSeconds(5)), this.stack.redis, this.statics,
				nanoTime);
	}

	Beat beat(String name, BeatSettings settings, RedisConnectionFactory redis, List<StaticTask> statics) {
		return beat(name, settings, redis, statics, System::nanoTime);
	}

	Beat beat(String name, BeatSettings settings, RedisConnectionFactory redis, List<StaticTask> statics,
			LongSupplier nanoTime) {
		StringRedisTemplate template = new StringRedisTemplate(redis);
		template.afterPropertiesSet();
		RedBeatStore store = new RedBeatStore(template, this.keys, this.codec);
		BeatLock lock = new BeatLock(template, this.keys, "java:" + name + ":" + UUID.randomUUID(),
				settings.lockTimeout(), nanoTime);
		Beat beat = new Beat(store, lock, this.stack.client, settings, this.clock, () -> List.copyOf(statics));
		this.beats.add(beat);
		return beat;
	}

	/** Take every message sent so far off the test's queue. */
	List<Message> drain() {
		List<Message> messages = new ArrayList<>();
		Message message;
		while ((message = this.rabbit.receive(this.queue)) != null) {
			messages.add(message);
		}
		return messages;
	}

	/** The task ids of every message sent so far. */
	List<String> drainIds() {
		return drain().stream().map((message) -> header(message, "id")).toList();
	}

	static String header(Message message, String name) {
		Object value = message.getMessageProperties().getHeaders().get(name);
		return String.valueOf(value);
	}

	String raw(String key, String field) {
		return (String) this.redis.opsForHash().get(key, field);
	}

	Double score(String name) {
		return this.redis.opsForZSet().score(this.keys.schedule(), this.keys.entry(name));
	}

	Map<Object, Object> hash(String name) {
		return this.redis.opsForHash().entries(this.keys.entry(name));
	}

	Set<String> members() {
		return this.redis.opsForZSet().range(this.keys.schedule(), 0, -1);
	}

	@Override
	public void close() {
		this.beats.forEach(Beat::halt);
		List<String> keys = new ArrayList<>();
		try (Cursor<String> cursor = this.redis.scan(ScanOptions.scanOptions().match(this.prefix + "*").build())) {
			cursor.forEachRemaining(keys::add);
		}
		if (!keys.isEmpty()) {
			this.redis.delete(keys);
		}
		this.stack.close();
	}

}
