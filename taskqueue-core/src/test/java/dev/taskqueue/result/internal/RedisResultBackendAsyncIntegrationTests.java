package dev.taskqueue.result.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Infrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RedisResultBackendAsyncIntegrationTests {

	private static final long TIMEOUT_SECONDS = 10;

	private final LettuceConnectionFactory redis = Infrastructure.redis();

	private final StringRedisTemplate template = new StringRedisTemplate(this.redis);

	private final String prefix = Infrastructure.unique("results") + ":";

	private final ResultCodec codec = new ResultCodec(JsonMapper.builder().build());

	private final RedisResultBackend backend = new RedisResultBackend(this.redis, this.codec, this.prefix,
			Duration.ofMinutes(5));

	@AfterEach
	void close() throws Exception {
		this.backend.destroy();
		List<String> keys = new ArrayList<>(this.template.keys(this.prefix + "*"));
		if (!keys.isEmpty()) {
			this.template.delete(keys);
		}
		this.redis.destroy();
	}

	@Test
	void storeWritesCelerysRecordWithItsTtl() {
		ResultMeta meta = success();
		this.backend.store(meta);
		String key = this.backend.key(meta.taskId());
		assertThat(this.template.opsForValue().get(key)).isEqualTo(this.codec.encode(meta));
		assertThat(this.template.getExpire(key)).isBetween(1L, 300L);
	}

	@Test
	void storeAsyncCompletesOnceTheRecordIsStored() throws Exception {
		ResultMeta meta = success();
		this.backend.storeAsync(meta).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		String key = this.backend.key(meta.taskId());
		assertThat(this.template.opsForValue().get(key)).isEqualTo(this.codec.encode(meta));
		assertThat(this.template.getExpire(key)).isBetween(1L, 300L);
	}

	@Test
	void storeAsyncStoresAfterTheFactoryResetItsSharedConnection() throws Exception {
		this.backend.storeAsync(success()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		// Closes the shared connection the backend kept: the next store takes the new
		// one.
		this.redis.resetConnection();
		ResultMeta meta = success();
		this.backend.storeAsync(meta).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(this.template.opsForValue().get(this.backend.key(meta.taskId()))).isEqualTo(this.codec.encode(meta));
	}

	@Test
	void storeAsyncWakesWhoWaitsOnTheResult() throws Exception {
		ResultMeta meta = success();
		CompletableFuture<ResultMeta> ready = this.backend.whenReady(meta.taskId());
		this.backend.storeAsync(meta).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).status()).isEqualTo(TaskState.SUCCESS);
	}

	@Test
	void storeAsyncFromManyThreadsStoresEveryRecord() throws Exception {
		List<ResultMeta> metas = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			metas.add(success());
		}
		List<CompletableFuture<Void>> futures = metas.parallelStream().map(this.backend::storeAsync).toList();
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		List<String> keys = metas.stream().map((meta) -> this.backend.key(meta.taskId())).toList();
		assertThat(this.template.countExistingKeys(keys)).isEqualTo(500);
	}

	@Test
	void storesLoadTheScriptAgainWhenRedisForgotIt() throws Exception {
		this.template.execute((org.springframework.data.redis.core.RedisCallback<Object>) (connection) -> {
			connection.scriptingCommands().scriptFlush();
			return null;
		});
		ResultMeta sync = success();
		this.backend.store(sync);
		this.template.execute((org.springframework.data.redis.core.RedisCallback<Object>) (connection) -> {
			connection.scriptingCommands().scriptFlush();
			return null;
		});
		ResultMeta async = success();
		this.backend.storeAsync(async).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(this.backend.get(sync.taskId()).status()).isEqualTo(TaskState.SUCCESS);
		assertThat(this.backend.get(async.taskId()).status()).isEqualTo(TaskState.SUCCESS);
	}

	@Test
	void storeAsyncFailsItsFutureWhenRedisCannotBeReached() throws Exception {
		LettuceConnectionFactory unreachable = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", 1));
		unreachable.afterPropertiesSet();
		unreachable.start();
		RedisResultBackend down = new RedisResultBackend(unreachable, this.codec, this.prefix, Duration.ofMinutes(5));
		try {
			CompletableFuture<Void> future = down.storeAsync(success());
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
		}
		finally {
			down.destroy();
			unreachable.destroy();
		}
	}

	private static ResultMeta success() {
		return new ResultMeta(UUID.randomUUID().toString(), TaskState.SUCCESS, 42, null, List.of(),
				"2026-11-28T03:00:00.000000", null, null, "test.answer", List.of(), Map.of(), "worker@test", 0, "q");
	}

}
