package dev.taskqueue.ratelimit.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.RateLimitScope;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RateLimitTests {

	@Test
	void parsesCeleryNotation() {
		assertThat(RateLimit.parse("10/s")).isEqualTo(new RateLimit(10, Duration.ofSeconds(1)));
		assertThat(RateLimit.parse("100/m")).isEqualTo(new RateLimit(100, Duration.ofMinutes(1)));
		assertThat(RateLimit.parse("1000/h")).isEqualTo(new RateLimit(1000, Duration.ofHours(1)));
		assertThat(RateLimit.parse("5")).isEqualTo(new RateLimit(5, Duration.ofSeconds(1)));
		assertThat(RateLimit.parse(" 1/s ").intervalNanos()).isEqualTo(1_000_000_000L);
	}

	@Test
	void rejectsWhatIsNotARate() {
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse("3/week")).withMessageContaining("unit");
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse("x/s"))
			.withMessageContaining("not a number");
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse("0/s")).withMessageContaining("positive");
	}

	@Test
	void limiterSpacesReservationsOneIntervalApart() {
		AtomicLong now = new AtomicLong();
		RateLimiter limiter = new RateLimiter(RateLimit.parse("2/s"), now::get);
		assertThat(limiter.reserveMillis()).isZero();
		assertThat(limiter.reserveMillis()).isEqualTo(500L);
		assertThat(limiter.reserveMillis()).isEqualTo(1000L);
		now.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
		assertThat(limiter.reserveMillis()).isEqualTo(1300L);
		// Idle for longer than its reservations reach: the next start is free again.
		now.addAndGet(TimeUnit.SECONDS.toNanos(5));
		assertThat(limiter.reserveMillis()).isZero();
	}

	@Test
	void errorsNameTheAcceptedForms() {
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse("fast"))
			.withMessageContaining("'fast'")
			.withMessageContaining("10/s, 100/m, 1000/h");
	}

	@Test
	void burstLetsThatManyStartAtOnceThenSpacesThem() {
		AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(42));
		RateLimiter limiter = new RateLimiter(RateLimit.parse("2/s").withBurst(3), now::get);
		assertThat(limiter.reserveMillis()).isZero();
		assertThat(limiter.reserveMillis()).isZero();
		assertThat(limiter.reserveMillis()).isZero();
		assertThat(limiter.reserveMillis()).isEqualTo(500L);
		assertThat(limiter.reserveMillis()).isEqualTo(1000L);
	}

	@Test
	void burstAndScopeMustMakeSense() {
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse("1/s").withBurst(0))
			.withMessageContaining("burst");
		assertThat(RateLimit.parse("10/m").withBurst(5).withScope(RateLimitScope.CLUSTER).describe())
			.isEqualTo("10/m (burst 5, cluster)");
		assertThat(RateLimit.parse("0.5").describe()).isEqualTo("0.5/s");
	}

}
