package dev.taskqueue.autoconfigure.beat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TestQueues;
import dev.taskqueue.autoconfigure.endpoint.TaskQueueEndpoint;
import dev.taskqueue.autoconfigure.endpoint.TaskQueueEndpointWebExtension;
import dev.taskqueue.autoconfigure.endpoint.TaskQueueEndpointAutoConfiguration;
import dev.taskqueue.beat.BeatStatus;
import dev.taskqueue.beat.Periodic;
import dev.taskqueue.beat.PeriodicTasks;
import dev.taskqueue.beat.ScheduledTask;
import dev.taskqueue.beat.internal.Beat;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.worker.QueueTask;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The beat's auto-configuration: when it applies, what it builds, and how bad input in
 * {@code taskqueue.beat.*} or in {@code @Periodic} stops the application.
 */
class TaskQueueBeatAutoConfigurationIntegrationTests {

	private final String queue = "tq-beat-" + UUID.randomUUID().toString().substring(0, 8);

	private final String prefix = "tq-test-beat-" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class, TaskQueueBeatAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.data.redis.host=127.0.0.1",
				"taskqueue.default-queue=" + this.queue, "taskqueue.worker.enabled=false",
				"taskqueue.beat.key-prefix=" + this.prefix, "taskqueue.beat.lock-timeout=3s",
				"taskqueue.beat.max-interval=200ms");

	@AfterEach
	void clean() {
		TestQueues.delete(this.queue);
		this.runner.run((context) -> {
			StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
			List<String> keys = new ArrayList<>();
			try (Cursor<String> cursor = redis.scan(ScanOptions.scanOptions().match(this.prefix + "*").build())) {
				cursor.forEachRemaining(keys::add);
			}
			if (!keys.isEmpty()) {
				redis.delete(keys);
			}
		});
	}

	@Test
	void everyApplicationWithRedisGetsTheScheduleButRunsNoBeatUnlessAsked() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(PeriodicTasks.class).doesNotHaveBean(Beat.class);
			assertThat(context.getBean(PeriodicTasks.class).status().state()).isEqualTo(BeatStatus.State.STOPPED);
		});
	}

	@Test
	void anEnabledBeatTakesTheLockAndWritesTheConfiguredEntries() {
		this.runner
			.withPropertyValues("taskqueue.beat.enabled=true", "taskqueue.beat.zone=Europe/Berlin",
					"taskqueue.beat.schedule.report.task=reports.daily",
					"taskqueue.beat.schedule.report.cron=0 30 9 * * MON-FRI",
					"taskqueue.beat.schedule.report.kwargs.kind=weekday",
					"taskqueue.beat.schedule.report.options.queue=" + this.queue,
					"taskqueue.beat.schedule.report.options.priority=7",
					"taskqueue.beat.schedule.report.options.expires=30s",
					"taskqueue.beat.schedule.report.options.headers.source=yml",
					"taskqueue.beat.schedule.[celery.style].task=t.celery",
					"taskqueue.beat.schedule.[celery.style].crontab.minute=*/15",
					"taskqueue.beat.schedule.[celery.style].crontab.day-of-week=sat,sun",
					"taskqueue.beat.schedule.tick.task=t.tick", "taskqueue.beat.schedule.tick.every=10s",
					"taskqueue.beat.schedule.tick.args[0]=1", "taskqueue.beat.schedule.tick.missed-runs=skip")
			.run((context) -> {
				Beat beat = context.getBean(Beat.class);
				await().atMost(Duration.ofSeconds(10)).until(beat::isLeader);
				PeriodicTasks tasks = context.getBean(PeriodicTasks.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> tasks.list().size() == 3);
				ScheduledTask report = tasks.get("report").orElseThrow();
				assertThat(report.origin()).isEqualTo(ScheduledTask.Origin.CONFIGURATION);
				assertThat(report.zone().getId()).isEqualTo("Europe/Berlin");
				assertThat(report.task().getSchedule().describe()).isEqualTo("cron 0 30 9 * * MON-FRI");
				StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
				assertThat(redis.opsForHash().get(this.prefix + "report", "definition")).isEqualTo(
						"{\"name\": \"report\", \"task\": \"reports.daily\", \"args\": null, \"kwargs\": {\"kind\": "
								+ "\"weekday\"}, \"options\": {\"queue\": \"" + this.queue + "\", \"priority\": 7, "
								+ "\"expires\": 30, \"headers\": {\"source\": \"yml\"}}, \"schedule\": {\"__type__\": "
								+ "\"crontab\", \"minute\": \"30\", \"hour\": \"9\", \"day_of_week\": \"1-5\", "
								+ "\"day_of_month\": \"*\", \"month_of_year\": \"*\"}, \"enabled\": true}");
				assertThat(tasks.get("celery.style").orElseThrow().task().getSchedule().describe())
					.isEqualTo("crontab */15 * * * sat,sun (m h dom mon dow)");
				assertThat(tasks.get("tick").orElseThrow().task().getMissedRuns())
					.isEqualTo(dev.taskqueue.beat.MissedRunPolicy.SKIP);
				assertThat(redis.opsForSet().members(this.prefix + ":statics:java")).containsExactlyInAnyOrder("report",
						"celery.style", "tick");
			});
	}

	@Test
	void theBeatsHealthAndMetricsShowItsState() {
		this.runner.withPropertyValues("taskqueue.beat.enabled=true")
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				Beat beat = context.getBean(Beat.class);
				await().atMost(Duration.ofSeconds(10)).until(beat::isLeader);
				Health health = context.getBean(BeatHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("state", "leader")
					.containsEntry("lockHolder", beat.status().instance());
				SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
				context.getBean(BeatMetrics.class).bindTo(registry);
				assertThat(registry.get("taskqueue.beat.lock.held").gauge().value()).isEqualTo(1.0);
			});
	}

	@Test
	void aPeriodicAnnotationPutsItsTaskOnTheSchedule() {
		this.runner.withPropertyValues("taskqueue.beat.enabled=true")
			.withUserConfiguration(AnnotatedTasks.class)
			.run((context) -> {
				await().atMost(Duration.ofSeconds(10)).until(context.getBean(Beat.class)::isLeader);
				PeriodicTasks tasks = context.getBean(PeriodicTasks.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> tasks.list().size() == 2);
				ScheduledTask cleanup = tasks.get("files.cleanup").orElseThrow();
				assertThat(cleanup.origin()).isEqualTo(ScheduledTask.Origin.ANNOTATION);
				assertThat(cleanup.task().getArgs()).containsExactly(7);
				assertThat(tasks.get("files.cleanup-hourly").orElseThrow().task().getSchedule().describe())
					.isEqualTo("cron 0 0 * * * *");
			});
	}

	@Test
	void theEndpointListsTheScheduleAndRunsDisablesAndEnablesEntries() {
		this.runner
			.withConfiguration(
					AutoConfigurations.of(EndpointAutoConfiguration.class, TaskQueueEndpointAutoConfiguration.class))
			.withPropertyValues("taskqueue.beat.enabled=true", "spring.jmx.enabled=true",
					"management.endpoints.jmx.exposure.include=taskqueue", "taskqueue.beat.schedule.tick.task=t.tick",
					"taskqueue.beat.schedule.tick.every=1h")
			.run((context) -> {
				await().atMost(Duration.ofSeconds(10)).until(context.getBean(Beat.class)::isLeader);
				TaskQueueEndpoint endpoint = context.getBean(TaskQueueEndpoint.class);
				// Running, enabling and disabling entries are path-shaped: an HTTP
				// operation.
				TaskQueueEndpointWebExtension web = new TaskQueueEndpointWebExtension(endpoint,
						context.getBean(TaskClient.class), Show.NEVER, Set.of());
				await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.describe().beat().entries().size() == 1);
				BeatOperations.BeatDescriptor beat = endpoint.describe().beat();
				assertThat(beat.state()).isEqualTo("leader");
				assertThat(beat.lockHolder()).isEqualTo(beat.instance());
				BeatOperations.EntryDescriptor tick = beat.entries().get(0);
				assertThat(tick.name()).isEqualTo("tick");
				assertThat(tick.schedule()).isEqualTo("every 1h");
				assertThat(tick.zone()).isEqualTo("UTC");
				assertThat(tick.nextRunAt()).isNotNull();
				assertThat(tick.totalRunCount()).isZero();
				assertThat(tick.origin()).isEqualTo("configuration");
				web.changePeriodicTask("beat", "tick", "disable");
				assertThat(endpoint.describe().beat().entries().get(0).enabled()).isFalse();
				web.changePeriodicTask("beat", "tick", "enable");
				web.changePeriodicTask("beat", "tick", "run");
				await().atMost(Duration.ofSeconds(10))
					.until(() -> endpoint.describe().beat().entries().get(0).totalRunCount() == 1);
				assertThatExceptionOfType(InvalidEndpointRequestException.class)
					.isThrownBy(() -> web.changePeriodicTask("beat", "tick", "explode"))
					.withMessageContaining("use run, enable or disable");
				assertThatExceptionOfType(InvalidEndpointRequestException.class)
					.isThrownBy(() -> web.changePeriodicTask("beat", "nothing", "run"))
					.withMessageContaining("There is no periodic task 'nothing'");
			});
	}

	@Test
	void badEntriesStopTheApplicationNamingTheProperty() {
		Map<String, List<String>> cases = Map.of("taskqueue.beat.schedule.report.cron",
				List.of("taskqueue.beat.schedule.report.task=t", "taskqueue.beat.schedule.report.cron=0 61 * * * *"),
				"taskqueue.beat.schedule.report.task", List.of("taskqueue.beat.schedule.report.every=10s"),
				"taskqueue.beat.schedule.report.zone",
				List.of("taskqueue.beat.schedule.report.task=t", "taskqueue.beat.schedule.report.every=10s",
						"taskqueue.beat.schedule.report.zone=Mars/Olympus"),
				"taskqueue.beat.schedule.[reports.daily].zone",
				List.of("taskqueue.beat.schedule.[reports.daily].task=t",
						"taskqueue.beat.schedule.[reports.daily].every=10s",
						"taskqueue.beat.schedule.[reports.daily].zone=+02:00"),
				"taskqueue.beat.schedule.report.options.foo",
				List.of("taskqueue.beat.schedule.report.task=t", "taskqueue.beat.schedule.report.every=10s",
						"taskqueue.beat.schedule.report.options.foo=bar"),
				"taskqueue.beat.schedule.report needs exactly one of cron, crontab and every",
				List.of("taskqueue.beat.schedule.report.task=t", "taskqueue.beat.schedule.report.every=10s",
						"taskqueue.beat.schedule.report.cron=0 * * * * *"),
				"taskqueue.beat.schedule.report.crontab",
				List.of("taskqueue.beat.schedule.report.task=t", "taskqueue.beat.schedule.report.crontab.hour=25"),
				"taskqueue.beat.schedule.report.options.priority",
				List.of("taskqueue.beat.schedule.report.task=t", "taskqueue.beat.schedule.report.every=10s",
						"taskqueue.beat.schedule.report.options.priority=300"),
				"taskqueue.beat.lock-timeout, max-interval",
				List.of("taskqueue.beat.enabled=true", "taskqueue.beat.max-interval=5s"),
				"taskqueue.beat.schedule.report.cron: Cron expression '0 0 0 L * *' uses 'L'",
				List.of("taskqueue.beat.schedule.report.task=t", "taskqueue.beat.schedule.report.cron=0 0 0 L * *"));
		cases.forEach((property, values) -> this.runner.withPropertyValues(values.toArray(String[]::new))
			.run((context) -> assertFailed(context, property)));
	}

	@Test
	void anEnabledBeatWithoutRedisStopsTheApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, JacksonAutoConfiguration.class,
					TaskQueueAutoConfiguration.class, TaskQueueBeatAutoConfiguration.class))
			.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "taskqueue.worker.enabled=false",
					"taskqueue.result.backend=none", "taskqueue.beat.enabled=true")
			.run((context) -> assertFailed(context, "taskqueue.beat.enabled=true needs Redis"));
	}

	@Test
	void aBadPeriodicAnnotationStopsTheApplicationNamingTheMethod() {
		this.runner.withPropertyValues("taskqueue.beat.enabled=true")
			.withUserConfiguration(BadlyAnnotatedTasks.class)
			.run((context) -> assertFailed(context, "@Periodic on " + BadlyAnnotatedTasks.Tasks.class.getName()
					+ ".both: give exactly one of cron and every"));
	}

	private static void assertFailed(AssertableApplicationContext context, String message) {
		assertThat(context).as(message).hasFailed();
		Throwable failure = context.getStartupFailure();
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		assertThat(messages.toString()).as(message).contains(message);
	}

	@Configuration(proxyBeanMethods = false)
	static class AnnotatedTasks {

		@Bean
		Tasks fileTasks() {
			return new Tasks();
		}

		static class Tasks {

			@QueueTask("files.cleanup")
			@Periodic(every = "${cleanup.every:10m}", args = "[7]")
			@Periodic(name = "files.cleanup-hourly", cron = "0 0 * * * *")
			void cleanup(int days) {
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadlyAnnotatedTasks {

		@Bean
		Tasks badTasks() {
			return new Tasks();
		}

		static class Tasks {

			@QueueTask("bad.both")
			@Periodic(cron = "0 * * * * *", every = "10s")
			void both() {
			}

		}

	}

}
