package dev.taskqueue.autoconfigure;

import java.time.Duration;

import dev.taskqueue.ratelimit.RateLimit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link StringToRateLimitConverter} reads rates as Celery writes them.
 */
class StringToRateLimitConverterTests {

	private final StringToRateLimitConverter converter = new StringToRateLimitConverter();

	@Test
	void readsCeleryRates() {
		assertThat(this.converter.convert("10/s")).isEqualTo(new RateLimit(10, Duration.ofSeconds(1)));
		assertThat(this.converter.convert("100/m")).isEqualTo(new RateLimit(100, Duration.ofMinutes(1)));
		assertThat(this.converter.convert("0.5")).isEqualTo(new RateLimit(0.5, Duration.ofSeconds(1)));
	}

	@Test
	void blankMeansNoRateLimit() {
		assertThat(this.converter.convert(" ")).isNull();
	}

	@Test
	void unreadableRateNamesTheAcceptedForms() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.converter.convert("fast"))
			.withMessageContaining("'fast'")
			.withMessageContaining(RateLimit.ACCEPTED_FORMS);
	}

}
