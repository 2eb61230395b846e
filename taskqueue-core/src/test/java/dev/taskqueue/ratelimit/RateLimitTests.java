package dev.taskqueue.ratelimit;

import java.time.Duration;

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
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse("x/s")).withMessageContaining("not a number");
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse("0/s")).withMessageContaining("positive");
	}

	@Test
	void limiterSpacesReservationsOneIntervalApart() {
		RateLimiter limiter = new RateLimiter(RateLimit.parse("2/s"));
		assertThat(limiter.reserveMillis()).isZero();
		assertThat(limiter.reserveMillis()).isBetween(450L, 500L);
		assertThat(limiter.reserveMillis()).isBetween(950L, 1000L);
	}

}
