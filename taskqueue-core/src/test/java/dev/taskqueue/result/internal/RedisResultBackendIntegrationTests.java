package dev.taskqueue.result.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.CeleryVectors;
import dev.taskqueue.support.Infrastructure;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RedisResultBackend} on the real Redis keeps results as Celery's Redis backend
 * does: a string under {@code celery-task-meta-<id>} with the result TTL, published on
 * the channel of the same name.
 */
class RedisResultBackendIntegrationTests {

	private static final Duration EXPIRES = Duration.ofDays(1);

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final ResultCodec codec = new ResultCodec(JsonMapper.builder().build());

	private final List<String> keys = new ArrayList<>();

	private final List<RedisResultBackend> backends = new ArrayList<>();

	private LettuceConnectionFactory redis;

	private StringRedisTemplate template;

	private RedisResultBackend backend;

	private RedisClient pubSubClient;

	@BeforeEach
	void connect() {
		this.redis = Infrastructure.redis();
		this.template = new StringRedisTemplate(this.redis);
		this.backend = backend("");
	}

	@AfterEach
	void cleanUp() throws Exception {
		this.template.delete(this.keys);
		for (RedisResultBackend b : this.backends) {
			b.destroy();
		}
		if (this.pubSubClient != null) {
			this.pubSubClient.shutdown();
		}
		this.redis.destroy();
	}

	@Test
	void storeWritesTheRecordUnderCelerysKey() {
		ResultMeta meta = success(newId(), 5);
		this.backend.store(meta);
		assertThat(this.template.opsForValue().get("celery-task-meta-" + meta.taskId()))
			.isEqualTo(this.codec.encode(meta))
			.startsWith(
					"{\"status\": \"SUCCESS\", \"result\": 5, \"traceback\": null, \"children\": [], \"date_done\": ");
	}

	@Test
	void storeGivesTheKeyTheConfiguredTtl() {
		ResultMeta meta = success(newId(), 5);
		this.backend.store(meta);
		Long ttl = this.template.getExpire(this.backend.key(meta.taskId()), TimeUnit.SECONDS);
		assertThat(ttl).isGreaterThan(EXPIRES.toSeconds() - 5).isLessThanOrEqualTo(EXPIRES.toSeconds());
	}

	@Test
	void storePublishesTheSameValueOnTheChannelNamedAfterTheKey() throws Exception {
		ResultMeta meta = success(newId(), 5);
		String key = this.backend.key(meta.taskId());
		BlockingQueue<List<String>> messages = subscribe(key);
		this.backend.store(meta);
		List<String> message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(message).as("message on " + key).isNotNull();
		assertThat(message.get(0)).isEqualTo(key);
		assertThat(message.get(1)).isEqualTo(this.template.opsForValue().get(key)).isEqualTo(this.codec.encode(meta));
	}

	@Test
	void getOfAnUnknownIdIsPending() {
		ResultMeta meta = this.backend.get(newId());
		assertThat(meta.status()).isEqualTo(TaskState.PENDING);
		assertThat(meta.result()).isNull();
		assertThat(meta.children()).isEmpty();
	}

	@Test
	void getReadsARecordCeleryWrote() {
		JsonNode failure = CeleryVectors.load("results-failure.json").get("redis");
		String id = newId();
		this.template.opsForValue().set("celery-task-meta-" + id, failure.get("value").asString());
		ResultMeta meta = this.backend.get(id);
		assertThat(meta.status()).isEqualTo(TaskState.FAILURE);
		assertThat(meta.exception().type()).isEqualTo("ZeroDivisionError");
		assertThat(meta.taskId()).isEqualTo(id);
	}

	@Test
	void whenReadyCompletesWhenTheResultIsStoredAfterTheCall() throws Exception {
		String id = newId();
		CompletableFuture<ResultMeta> ready = this.backend.whenReady(id);
		Thread.sleep(200);
		assertThat(ready).isNotDone();
		this.backend.store(success(id, 7));
		assertThat(ready).succeedsWithin(WAIT).satisfies((meta) -> {
			assertThat(meta.status()).isEqualTo(TaskState.SUCCESS);
			assertThat(meta.result()).isEqualTo(7);
		});
	}

	@Test
	void whenReadyCompletesWhenTheResultWasStoredBeforeTheCall() {
		String id = newId();
		this.backend.store(success(id, 8));
		assertThat(this.backend.whenReady(id)).succeedsWithin(WAIT)
			.satisfies((meta) -> assertThat(meta.result()).isEqualTo(8));
	}

	@Test
	void whenReadyWaitsPastARetryForTheFinalResult() throws Exception {
		String id = newId();
		this.backend.store(new ResultMeta(id, TaskState.RETRY,
				Map.of("exc_type", "ValueError", "exc_message", List.of("transient failure"), "exc_module", "builtins"),
				"Traceback ...", List.of(), null, null, null, null, null, null, null, null, null));
		CompletableFuture<ResultMeta> ready = this.backend.whenReady(id);
		Thread.sleep(200);
		assertThat(ready).isNotDone();
		this.backend.store(success(id, "ok after 1 retries"));
		assertThat(ready).succeedsWithin(WAIT)
			.satisfies((meta) -> assertThat(meta.status()).isEqualTo(TaskState.SUCCESS));
	}

	/**
	 * A Celery worker writes SETEX and PUBLISH in one MULTI/EXEC; the waiter wakes on the
	 * PUBLISH.
	 */
	@Test
	void whenReadyCompletesWhenACeleryWorkerStoresTheResult() throws Exception {
		String id = newId();
		String value = CeleryVectors.load("results-success.json")
			.at("/redis/value")
			.asString()
			.replace("dbcdb8e7-795b-4c45-9b01-2a31322cf79c", id);
		CompletableFuture<ResultMeta> ready = this.backend.whenReady(id);
		Thread.sleep(200);
		String key = "celery-task-meta-" + id;
		this.template.execute(new DefaultRedisScript<>(
				"redis.call('SETEX', KEYS[1], 86400, ARGV[1]); return redis.call('PUBLISH', KEYS[1], ARGV[1])",
				Long.class), List.of(key), value);
		assertThat(ready).succeedsWithin(WAIT).satisfies((meta) -> {
			assertThat(meta.result()).isEqualTo(5);
			assertThat(meta.dateDone()).isEqualTo("2026-11-28T02:18:50.418976");
		});
	}

	@Test
	void keyPrefixIsPutBeforeCelerysKey() {
		RedisResultBackend prefixed = backend("tq-test-prefix:");
		ResultMeta meta = success(newId(), 5);
		prefixed.store(meta);
		String key = "tq-test-prefix:celery-task-meta-" + meta.taskId();
		this.keys.add(key);
		assertThat(prefixed.key(meta.taskId())).isEqualTo(key);
		assertThat(this.template.opsForValue().get(key)).isEqualTo(this.codec.encode(meta));
		assertThat(this.template.hasKey("celery-task-meta-" + meta.taskId())).isFalse();
		assertThat(prefixed.get(meta.taskId()).result()).isEqualTo(5);
		assertThat(this.backend.get(meta.taskId()).status()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void keyPrefixAlsoPrefixesTheChannel() throws Exception {
		RedisResultBackend prefixed = backend("tq-test-prefix:");
		ResultMeta meta = success(newId(), 5);
		String key = "tq-test-prefix:celery-task-meta-" + meta.taskId();
		this.keys.add(key);
		BlockingQueue<List<String>> messages = subscribe(key);
		CompletableFuture<ResultMeta> ready = prefixed.whenReady(meta.taskId());
		prefixed.store(meta);
		assertThat(messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).containsExactly(key, this.codec.encode(meta));
		assertThat(ready).succeedsWithin(WAIT);
	}

	private RedisResultBackend backend(String prefix) {
		RedisResultBackend b = new RedisResultBackend(this.redis, this.codec, prefix, EXPIRES);
		this.backends.add(b);
		return b;
	}

	private String newId() {
		String id = UUID.randomUUID().toString();
		this.keys.add("celery-task-meta-" + id);
		return id;
	}

	private static ResultMeta success(String id, Object result) {
		return new ResultMeta(id, TaskState.SUCCESS, result, null, List.of(), "2026-11-28T02:18:50.418976", null, null,
				null, null, null, null, null, null);
	}

	/** Subscribe on a connection of its own and return once Redis has confirmed it. */
	private BlockingQueue<List<String>> subscribe(String channel) {
		if (this.pubSubClient == null) {
			this.pubSubClient = RedisClient
				.create(RedisURI.create(Infrastructure.REDIS_HOST, Infrastructure.REDIS_PORT));
		}
		StatefulRedisPubSubConnection<String, String> connection = this.pubSubClient.connectPubSub();
		BlockingQueue<List<String>> messages = new LinkedBlockingQueue<>();
		connection.addListener(new RedisPubSubAdapter<>() {

			@Override
			public void message(String ch, String message) {
				messages.add(List.of(ch, message));
			}

		});
		connection.sync().subscribe(channel);
		return messages;
	}

}
