package dev.taskqueue.beat.internal;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.beat.Schedule;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Celery's crontab as the Java beat reads and evaluates it, replayed against what Celery
 * 5.6.3 computed ({@code crontab-vs-spring.json}) and what RedBeat refused
 * ({@code encodings.json}).
 */
class CrontabScheduleTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	@Test
	void everyCaptureCeleryAcceptsExpandsToCelerysSetsAndRunsAtCelerysTimes() {
		int replayed = 0;
		for (JsonNode each : RedBeatVectors.read("crontab-vs-spring.json").get("cases")) {
			if (!each.get("celery_error").isNull()) {
				continue;
			}
			CrontabSchedule crontab = CrontabSchedule.fromStored(kwargs(each));
			each.get("celery_expanded_sets")
				.properties()
				.forEach((field) -> assertThat(crontab.expanded(field.getKey())).as(each.get("case") + " " + field)
					.isEqualTo(ints(field.getValue())));
			ZoneId zone = ZoneId.of(each.get("app_timezone").asString());
			ZonedDateTime last = ZonedDateTime.ofLocal(LocalDateTime.parse(each.get("start_local").asString()), zone,
					null);
			List<OffsetDateTime> expected = new ArrayList<>();
			each.get("celery_next").forEach((time) -> expected.add(OffsetDateTime.parse(time.asString())));
			List<OffsetDateTime> actual = new ArrayList<>();
			for (int i = 0; i < expected.size(); i++) {
				last = crontab.next(last);
				actual.add(last.toOffsetDateTime());
			}
			assertThat(actual).as(each.get("case").asString()).isEqualTo(expected);
			replayed++;
		}
		assertThat(replayed).isEqualTo(21);
	}

	@Test
	void everyCaptureCeleryRefusesIsRefused() {
		int refused = 0;
		for (JsonNode each : RedBeatVectors.read("crontab-vs-spring.json").get("cases")) {
			if (each.get("celery_error").isNull()) {
				continue;
			}
			assertThatIllegalArgumentException().as(each.get("case").asString())
				.isThrownBy(() -> CrontabSchedule.fromStored(kwargs(each)));
			refused++;
		}
		assertThat(refused).isEqualTo(3);
	}

	@Test
	void aCrontabIsEvaluatedInTheZoneOfItsLastRunAsCeleryDoes() {
		CrontabSchedule nineOClock = CrontabSchedule.ofFields("0", "9", "*", "*", "*");
		for (JsonNode each : RedBeatVectors.read("crontab-vs-spring.json").get("zone_of_last_run_at").get("cases")) {
			OffsetDateTime lastRunAt = OffsetDateTime.parse(each.get("last_run_at").asString());
			String tz = each.get("last_run_at_tz").asString();
			ZoneId zone = tz.contains("Europe/Berlin") ? BERLIN
					: tz.contains("+01:00") ? lastRunAt.getOffset() : ZoneId.of("UTC");
			ZonedDateTime next = nineOClock.next(lastRunAt.atZoneSameInstant(zone));
			assertThat(next.toInstant()).as(tz)
				.isEqualTo(OffsetDateTime.parse(each.get("next_fire_utc").asString()).toInstant());
		}
	}

	@Test
	void springForward0230RunsAt0330OnTheNightTheClockSkipsIt() {
		Schedule daily = Schedule.cron("0 30 2 * * *");
		ZonedDateTime first = daily.next(ZonedDateTime.of(2027, 3, 27, 12, 0, 0, 0, BERLIN));
		assertThat(first.toOffsetDateTime()).isEqualTo(OffsetDateTime.parse("2027-03-28T03:30+02:00"));
		assertThat(daily.next(first).toOffsetDateTime()).isEqualTo(OffsetDateTime.parse("2027-03-29T02:30+02:00"));
	}

	@Test
	void fallBack0230RunsOnceAtTheFirstOfTheTwo() {
		Schedule daily = Schedule.cron("0 30 2 * * *");
		ZonedDateTime first = daily.next(ZonedDateTime.of(2026, 10, 24, 12, 0, 0, 0, BERLIN));
		assertThat(first.toOffsetDateTime()).isEqualTo(OffsetDateTime.parse("2026-10-25T02:30+02:00"));
		assertThat(daily.next(first).toOffsetDateTime()).isEqualTo(OffsetDateTime.parse("2026-10-26T02:30+01:00"));
	}

	@Test
	void fallBackHourlySkipsTheRepeatedHourAsCeleryDoes() {
		Schedule hourly = Schedule.cron("0 * * * *");
		ZonedDateTime run = ZonedDateTime.of(2026, 10, 25, 0, 30, 0, 0, BERLIN);
		List<OffsetDateTime> runs = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			run = hourly.next(run);
			runs.add(run.toOffsetDateTime());
		}
		assertThat(runs).containsExactly(OffsetDateTime.parse("2026-10-25T01:00+02:00"),
				OffsetDateTime.parse("2026-10-25T02:00+02:00"), OffsetDateTime.parse("2026-10-25T03:00+01:00"));
	}

	@Test
	void springForwardHourlyGoesFromOneToThree() {
		Schedule hourly = Schedule.cron("0 0 * * * *");
		ZonedDateTime run = ZonedDateTime.of(2027, 3, 28, 0, 30, 0, 0, BERLIN);
		List<OffsetDateTime> runs = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			run = hourly.next(run);
			runs.add(run.toOffsetDateTime());
		}
		assertThat(runs).containsExactly(OffsetDateTime.parse("2027-03-28T01:00+01:00"),
				OffsetDateTime.parse("2027-03-28T03:00+02:00"), OffsetDateTime.parse("2027-03-28T04:00+02:00"));
	}

	@Test
	void springSixFieldsAreStoredAsCeleryFieldsWithSpringsMeaning() {
		CrontabSchedule weekdays = CrontabSchedule.parse("0 30 9 * * MON-FRI");
		assertThat(weekdays.stored()).containsExactly(Map.entry("minute", "30"), Map.entry("hour", "9"),
				Map.entry("day_of_week", "1-5"), Map.entry("day_of_month", "*"), Map.entry("month_of_year", "*"));
		// Spring's day-of-week */2 is Monday, Wednesday, Friday, Sunday; Celery's is
		// Sunday, Tuesday, Thursday, Saturday.
		assertThat(CrontabSchedule.parse("0 0 0 * * */2").expanded("day_of_week")).containsExactly(0, 1, 3, 5);
		assertThat(CrontabSchedule.parse("0 0 0 * * SUN").expanded("day_of_week")).containsExactly(0);
		assertThat(CrontabSchedule.parse("0 0 0 * * 7").expanded("day_of_week")).containsExactly(0);
		assertThat(CrontabSchedule.parse("0 */15 * * * *").stored().get("minute")).isEqualTo("0,15,30,45");
		assertThat(CrontabSchedule.parse("@daily").stored().values()).containsExactly("0", "0", "*", "*", "*");
	}

	@Test
	void springExpressionsRunWhereSpringRunsThem() {
		ZonedDateTime start = ZonedDateTime.of(2026, 12, 7, 0, 0, 0, 0, ZoneId.of("UTC"));
		for (String expression : List.of("0 30 9 * * MON-FRI", "0 0 0 * * */2", "0 5/15 * * * *", "0 0 12 1,15 * ?",
				"0 0 0 1 JAN-MAR *", "@weekly", "0 0 8-18/3 * * SAT,SUN")) {
			org.springframework.scheduling.support.CronExpression spring = org.springframework.scheduling.support.CronExpression
				.parse(expression);
			Schedule celery = Schedule.cron(expression);
			ZonedDateTime s = start;
			ZonedDateTime c = start;
			for (int i = 0; i < 20; i++) {
				s = spring.next(s);
				c = celery.next(c);
				assertThat(c).as(expression).isEqualTo(s);
			}
		}
	}

	@Test
	void springOnlySyntaxAndSecondsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.cron("0 0 0 L * *"))
			.withMessageContaining("no L, W or #");
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.cron("0 0 0 * * MON#1"))
			.withMessageContaining("no L, W or #");
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.cron("0 0 0 15W * *"))
			.withMessageContaining("no L, W or #");
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.cron("30 0 0 * * *"))
			.withMessageContaining("seconds");
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.cron("0 61 * * * *"))
			.withMessageContaining("Invalid cron expression");
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.cron("* * *")).withMessageContaining("3 fields");
	}

	@Test
	void celeryFiveFieldsFollowCelerysGrammar() {
		CrontabSchedule celery = CrontabSchedule.parse("0 22-2 * * fri-mon");
		assertThat(celery.expanded("hour")).containsExactly(0, 1, 2, 22, 23);
		assertThat(celery.expanded("day_of_week")).containsExactly(0, 1, 5, 6);
		assertThat(celery.stored().get("hour")).isEqualTo("22-2");
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabSchedule.parse("5/15 * * * *"));
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabSchedule.parse("0 0 * * 7"));
	}

	@Test
	void aCrontabThatNeverMatchesIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.crontab("0", "0", "*", "30", "2"))
			.withMessageContaining("never matches");
	}

	@Test
	void decodeCasesOfRedBeatAreReadAsRedBeatReadsThem() {
		JsonNode cases = RedBeatVectors.read("encodings.json").get("decode_cases");
		for (String name : List.of("crontab-partial", "crontab-dow-wrap", "crontab-dow-star-step")) {
			JsonNode each = cases.get(name);
			@SuppressWarnings("unchecked")
			Map<String, @Nullable Object> stored = (Map<String, @Nullable Object>) RedBeatVectors
				.plain(RedBeatVectors.MAPPER.readTree(each.get("json").asString()));
			CrontabSchedule crontab = CrontabSchedule.fromStored(stored);
			each.get("expanded")
				.properties()
				.forEach((field) -> assertThat(crontab.expanded(field.getKey())).as(name)
					.isEqualTo(ints(field.getValue())));
		}
		for (String name : List.of("crontab-docs-example", "crontab-spring-L", "crontab-n-slash-step", "crontab-dow-7",
				"crontab-question-mark")) {
			@SuppressWarnings("unchecked")
			Map<String, @Nullable Object> stored = (Map<String, @Nullable Object>) RedBeatVectors
				.plain(RedBeatVectors.MAPPER.readTree(cases.get(name).get("json").asString()));
			stored.remove("__type__");
			assertThatIllegalArgumentException().as(name).isThrownBy(() -> CrontabSchedule.fromStored(stored));
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, @Nullable Object> kwargs(JsonNode each) {
		return new LinkedHashMap<>(
				(Map<String, @Nullable Object>) RedBeatVectors.plain(each.get("celery_crontab_kwargs")));
	}

	private static List<Integer> ints(JsonNode array) {
		List<Integer> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.asInt()));
		return values;
	}

}
