package dev.taskqueue.protocol.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import dev.taskqueue.support.CeleryVectors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link CeleryTime} writes and reads times as Celery does: Python's {@code isoformat()},
 * aware with {@code +00:00} in headers, naive UTC in {@code date_done}.
 */
class CeleryTimeTests {

	@Test
	void awareTimeWithMicrosecondsIsWrittenAsTheCountdownVectorsEta() {
		OffsetDateTime eta = OffsetDateTime.of(2026, 11, 28, 2, 18, 53, 406_277_000, ZoneOffset.UTC);
		assertThat(CeleryTime.formatAware(eta)).isEqualTo("2026-11-28T02:18:53.406277+00:00")
			.isEqualTo(CeleryVectors.first("countdown").header("eta"));
	}

	@Test
	void awareTimeOnAWholeSecondHasNoFraction() {
		OffsetDateTime eta = OffsetDateTime.of(2026, 11, 28, 2, 18, 51, 0, ZoneOffset.UTC);
		assertThat(CeleryTime.formatAware(eta)).isEqualTo("2026-11-28T02:18:51+00:00")
			.isEqualTo(CeleryVectors.first("eta").header("eta"));
	}

	@Test
	void utcOffsetIsWrittenAsPlusZeroNotZ() {
		assertThat(CeleryTime.formatAware(OffsetDateTime.parse("2026-01-02T03:04:05Z"))).endsWith("+00:00")
			.doesNotContain("Z");
	}

	@Test
	void microsecondsAlwaysHaveSixDigits() {
		OffsetDateTime time = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 500_000_000, ZoneOffset.UTC);
		assertThat(CeleryTime.formatAware(time)).isEqualTo("2026-01-02T03:04:05.500000+00:00");
	}

	@Test
	void nanosecondsAreTruncatedToMicroseconds() {
		OffsetDateTime time = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 406_277_999, ZoneOffset.UTC);
		assertThat(CeleryTime.formatAware(time)).isEqualTo("2026-01-02T03:04:05.406277+00:00");
	}

	@Test
	void lessThanAMicrosecondIsAWholeSecond() {
		OffsetDateTime time = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 999, ZoneOffset.UTC);
		assertThat(CeleryTime.formatAware(time)).isEqualTo("2026-01-02T03:04:05+00:00");
	}

	@Test
	void otherOffsetsAreWrittenAsPythonDoes() {
		assertThat(CeleryTime.formatAware(OffsetDateTime.parse("2026-01-02T03:04:05+05:30")))
			.isEqualTo("2026-01-02T03:04:05+05:30");
		assertThat(CeleryTime.formatAware(OffsetDateTime.parse("2026-01-02T03:04:05-03:00")))
			.isEqualTo("2026-01-02T03:04:05-03:00");
	}

	@Test
	void naiveUtcWithMicrosecondsIsWrittenAsDateDone() {
		Instant done = Instant.parse("2026-11-28T02:18:50.418976Z");
		assertThat(CeleryTime.formatNaiveUtc(done)).isEqualTo("2026-11-28T02:18:50.418976");
		assertThat(CeleryVectors.load("results-success.json").at("/redis/value").asString())
			.contains("\"date_done\": \"2026-11-28T02:18:50.418976\"");
	}

	@Test
	void naiveUtcOnAWholeSecondHasNoFraction() {
		assertThat(CeleryTime.formatNaiveUtc(Instant.parse("2026-11-28T02:18:50Z"))).isEqualTo("2026-11-28T02:18:50");
	}

	@Test
	void naiveUtcIsInUtcWhateverTheDefaultZone() {
		Instant instant = OffsetDateTime.parse("2026-11-28T03:18:50.000001+01:00").toInstant();
		assertThat(CeleryTime.formatNaiveUtc(instant)).isEqualTo("2026-11-28T02:18:50.000001");
	}

	@Test
	void timeWithOffsetIsParsedToThatInstant() {
		assertThat(CeleryTime.parse("2026-11-28T02:18:53.406277+00:00").toInstant())
			.isEqualTo(Instant.parse("2026-11-28T02:18:53.406277Z"));
		assertThat(CeleryTime.parse("2026-11-28T04:18:53+02:00").toInstant())
			.isEqualTo(Instant.parse("2026-11-28T02:18:53Z"));
	}

	@Test
	void timeWithZIsParsed() {
		assertThat(CeleryTime.parse("2026-11-28T02:18:53Z").toInstant())
			.isEqualTo(Instant.parse("2026-11-28T02:18:53Z"));
	}

	@Test
	void timeWithoutOffsetIsTakenAsUtc() {
		assertThat(CeleryTime.parse("2026-11-28T02:18:50.418976"))
			.isEqualTo(OffsetDateTime.parse("2026-11-28T02:18:50.418976+00:00"));
		assertThat(CeleryTime.parse("2026-11-28T02:18:50")).isEqualTo(OffsetDateTime.parse("2026-11-28T02:18:50Z"));
	}

	@Test
	void formattedTimeParsesBackToTheSameInstant() {
		OffsetDateTime time = OffsetDateTime.of(2026, 11, 28, 2, 18, 53, 406_277_000, ZoneOffset.ofHours(-5));
		assertThat(CeleryTime.parse(CeleryTime.formatAware(time))).isEqualTo(time);
	}

	@Test
	void textThatIsNotATimeIsRejected() {
		assertThatExceptionOfType(DateTimeParseException.class).isThrownBy(() -> CeleryTime.parse("tomorrow"));
		assertThatExceptionOfType(DateTimeParseException.class).isThrownBy(() -> CeleryTime.parse("2026-11-28"));
	}

	@Test
	void naiveTimesAreWrittenAsPythonsIsoformatAcrossTheYears() {
		java.util.SplittableRandom random = new java.util.SplittableRandom(20261208);
		java.time.format.DateTimeFormatter withMicros = java.time.format.DateTimeFormatter
			.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
		java.time.format.DateTimeFormatter withoutMicros = java.time.format.DateTimeFormatter
			.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
		for (int i = 0; i < 20_000; i++) {
			Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_402_300_799L),
					(i % 3 == 0) ? 0 : random.nextInt(1_000_000_000));
			java.time.LocalDateTime local = java.time.LocalDateTime
				.ofInstant(instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS), ZoneOffset.UTC);
			String expected = (local.getNano() == 0) ? withoutMicros.format(local) : withMicros.format(local);
			assertThat(CeleryTime.formatNaiveUtc(instant)).as("%s", instant).isEqualTo(expected);
		}
		assertThat(CeleryTime.formatNaiveUtc(Instant.parse("0999-01-02T03:04:05.000007Z")))
			.isEqualTo("0999-01-02T03:04:05.000007");
	}

}
