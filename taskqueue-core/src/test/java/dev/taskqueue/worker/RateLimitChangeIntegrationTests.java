package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.taskqueue.control.RateLimits;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rate limit changed once applies on every worker, through the control channel.
 */
@Isolated("bounds the time a rate-limit change takes")
class RateLimitChangeIntegrationTests {

	private Stack stack;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(new RevocationIntegrationTests.RevocableTasks()).build();
	}

	@AfterEach
	void stop() {
		this.stack.close();
	}

	@Test
	void changeAppliesOnEveryWorker() {
		WorkerSettings settings = this.stack.settings(List.of(this.stack.defaultQueue),
				Map.of("revoke.record", TaskOptions.rateLimit(RateLimit.parse("1/s"))));
		WorkerContainer first = this.stack.startWorker(settings);
		WorkerContainer second = this.stack.startWorker(settings);
		assertThat(first.getRateLimit("revoke.record")).isEqualTo(RateLimit.parse("1/s"));
		long receivers = new RateLimits(this.stack.control).change("revoke.record", "10/s");
		assertThat(receivers).isGreaterThanOrEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(first.getRateLimit("revoke.record")).isEqualTo(RateLimit.parse("10/s"));
			assertThat(second.getRateLimit("revoke.record")).isEqualTo(RateLimit.parse("10/s"));
		});
		assertThat(first.isRateLimitChanged("revoke.record")).isTrue();
		// Ten starts at 10/s take about a second, not the nine seconds of the old 1/s.
		long start = System.nanoTime();
		for (int i = 0; i < 10; i++) {
			this.stack.client.send("revoke.record", "n" + i).get(Duration.ofSeconds(20));
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void invalidLimitIsRefused() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> new RateLimits(this.stack.control).change("revoke.record", "fast"));
	}

}
