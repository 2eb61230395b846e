package dev.taskqueue.ratelimit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.RateLimitScope;
import dev.taskqueue.support.Infrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared bucket in Redis hands out each start once, whoever asks.
 */
class RedisRateLimiterIntegrationTests {

	private final LettuceConnectionFactory redis = Infrastructure.redis();

	private final String prefix = Infrastructure.unique("test-rate") + ":";

	private final ClusterRateLimiters limiters = new ClusterRateLimiters(this.redis, this.prefix);

	@AfterEach
	void close() {
		new StringRedisTemplate(this.redis).delete(this.limiters.keyOf("t"));
		this.redis.destroy();
	}

	@Test
	void limitersOfOneTaskShareTheBucket() {
		// One a minute, so that however slowly a busy machine makes the calls, the next
		// start is still ahead of each call.
		RateLimit limit = RateLimit.parse("1/m").withScope(RateLimitScope.CLUSTER);
		TaskRateLimiter first = this.limiters.limiter("t", limit);
		TaskRateLimiter second = this.limiters.limiter("t", limit);
		assertThat(first.isShared()).isTrue();
		assertThat(first.reserveMillis()).isZero();
		// The next start is a minute after the first, whichever limiter reserves it.
		assertThat(second.reserveMillis()).isBetween(1L, 60_000L);
		assertThat(first.reserveMillis()).isBetween(60_001L, 120_000L);
		Long ttl = new StringRedisTemplate(this.redis).getExpire(this.limiters.keyOf("t"));
		assertThat(ttl).isNotNull().isPositive();
	}

	@Test
	void concurrentReservationsGetDistinctStarts() throws Exception {
		RateLimit limit = RateLimit.parse("1/m").withBurst(5).withScope(RateLimitScope.CLUSTER);
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			List<Callable<Long>> calls = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				TaskRateLimiter limiter = this.limiters.limiter("t", limit);
				calls.add(limiter::reserveMillis);
			}
			List<Long> waits = new ArrayList<>();
			for (Future<Long> future : executor.invokeAll(calls)) {
				waits.add(future.get());
			}
			// At one a minute with a burst of 5, whatever the interleaving: five start
			// now and the
			// others get one distinct minute each, none skipped and none given twice.
			assertThat(waits.stream().filter((wait) -> wait == 0)).hasSize(5);
			List<Long> minutes = waits.stream()
				.filter((wait) -> wait > 0)
				.map((wait) -> Math.round(wait / 60_000.0))
				.sorted()
				.toList();
			assertThat(minutes)
				.containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 35).boxed().toList());
		}
		finally {
			executor.shutdownNow();
		}
	}

}
