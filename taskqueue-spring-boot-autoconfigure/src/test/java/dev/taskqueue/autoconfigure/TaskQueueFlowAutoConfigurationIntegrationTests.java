package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import dev.taskqueue.broker.ExchangeType;
import dev.taskqueue.broker.QueueType;
import dev.taskqueue.broker.internal.QueueArguments;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.RateLimitScope;
import dev.taskqueue.ratelimit.internal.ClusterRateLimiters;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flow-control settings of {@link TaskQueueAutoConfiguration}: rate-limit burst and
 * scope, per-queue settings (taskqueue.queues.*), queue types and fair dispatch, and the
 * errors of bad values.
 */
class TaskQueueFlowAutoConfigurationIntegrationTests {

	private final String queue = "tq-flow-" + UUID.randomUUID().toString().substring(0, 8);

	private final String other = "tq-flow-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withUserConfiguration(SquareTasks.class)
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.data.redis.host=127.0.0.1",
				"taskqueue.worker.queues=" + this.queue, "taskqueue.worker.concurrency=1");

	@AfterEach
	void deleteQueues() {
		TestQueues.delete(this.queue);
		TestQueues.delete(this.other);
	}

	@Test
	void rateLimitBurstAndScopeReachTheWorker() {
		this.contextRunner
			.withPropertyValues("taskqueue.tasks.[flow.square].rate-limit=10/m",
					"taskqueue.tasks.[flow.square].rate-limit-burst=3",
					"taskqueue.tasks.[flow.square].rate-limit-scope=cluster")
			.run((context) -> {
				assertThat(context).hasSingleBean(ClusterRateLimiters.class);
				WorkerSettings settings = context.getBean(WorkerContainer.class).getSettings();
				assertThat(settings.optionsOf("flow.square").rateLimit())
					.isEqualTo(new RateLimit(10, Duration.ofMinutes(1), 3, RateLimitScope.CLUSTER));
			});
	}

	@Test
	void annotationBurstAndScopeApplyWithoutYml() {
		this.contextRunner.withBean(LimitedTasks.class).run((context) -> {
			assertThat(context.getBean(WorkerContainer.class).getRateLimit("flow.limited"))
				.isEqualTo(new RateLimit(5, Duration.ofSeconds(1), 2, RateLimitScope.CLUSTER));
		});
	}

	@Test
	void invalidRateLimitFailsStartupNamingThePropertyAndTheAcceptedForms() {
		this.contextRunner.withPropertyValues("taskqueue.tasks.[flow.square].rate-limit=3/week").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.messages(context.getStartupFailure()))
				.contains("taskqueue.tasks[flow.square].rate-limit")
				.contains("10/s, 100/m, 1000/h");
		});
	}

	@Test
	void invalidRateLimitScopeFailsStartupNamingThePropertyAndTheAcceptedValues() {
		this.contextRunner
			.withPropertyValues("taskqueue.tasks.[flow.square].rate-limit=1/s",
					"taskqueue.tasks.[flow.square].rate-limit-scope=global")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = FailureAnalyses.of(context.getStartupFailure(), null);
				assertThat(analysis.getDescription()).contains("taskqueue.tasks[flow.square].rate-limit-scope")
					.contains("\"global\"");
				assertThat(analysis.getAction()).contains("CLUSTER").contains("WORKER");
			});
	}

	@Test
	void burstWithoutARateFailsStartupNamingBothProperties() {
		this.contextRunner.withPropertyValues("taskqueue.tasks.[flow.square].rate-limit-burst=5").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.messages(context.getStartupFailure())).contains(
					"taskqueue.tasks[flow.square].rate-limit-burst=5 needs taskqueue.tasks[flow.square].rate-limit");
		});
	}

	@Test
	void perQueueSettingsReachTheWorkerAndTheDeclarer() {
		this.contextRunner.withPropertyValues("taskqueue.worker.queues=" + this.queue + "," + this.other,
				"taskqueue.worker.fair=true", "taskqueue.worker.fair-margin=1",
				"taskqueue.queues." + this.other + ".concurrency=2", "taskqueue.queues." + this.other + ".prefetch=3",
				"taskqueue.queues." + this.other + ".max-priority=10")
			.run((context) -> {
				WorkerContainer worker = context.getBean(WorkerContainer.class);
				WorkerSettings settings = worker.getSettings();
				assertThat(settings.queues()).containsExactly(this.queue, this.other);
				assertThat(settings.fairMargin()).isEqualTo(1);
				assertThat(settings.prefetchOf(this.queue)).isEqualTo(2);
				assertThat(settings.prefetchOf(this.other)).isEqualTo(3);
				assertThat(settings.concurrencyOf(this.other)).isEqualTo(2);
				assertThat(worker.getListenerContainers()).hasSize(2);
				assertThat(worker.getConcurrency()).isEqualTo(3);
				assertThat(context.getBean(QueueDeclarer.class).argumentsOf(this.other))
					.isEqualTo(new QueueArguments(QueueType.CLASSIC, 10, null));
				assertThat(context.getBean(QueueDeclarer.class).argumentsOf(this.queue))
					.isEqualTo(QueueArguments.CELERY);
				// The client declares the priority queue the same way, so sending to it
				// works.
				assertThat(context.getBean(TaskClient.class)
					.send(TaskRequest.builder("flow.square").args(4).queue(this.other).priority(7).build())
					.get(Duration.ofSeconds(10), Integer.class)).isEqualTo(16);
			});
	}

	@Test
	void quorumDefaultAppliesToEveryQueueWithoutAType() {
		this.contextRunner
			.withPropertyValues("taskqueue.default-queue-type=quorum",
					"taskqueue.queues." + this.queue + ".delivery-limit=5",
					"taskqueue.queues." + this.other + ".type=classic")
			.run((context) -> {
				QueueDeclarer declarer = context.getBean(QueueDeclarer.class);
				assertThat(declarer.argumentsOf(this.queue)).isEqualTo(new QueueArguments(QueueType.QUORUM, null, 5));
				assertThat(declarer.argumentsOf(this.other)).isEqualTo(QueueArguments.CELERY);
				assertThat(declarer.argumentsOf("elsewhere").type()).isEqualTo(QueueType.QUORUM);
				assertThat(context.getBean(TaskClient.class)
					.send(TaskRequest.builder("flow.square").args(3).queue(this.queue).build())
					.get(Duration.ofSeconds(10), Integer.class)).isEqualTo(9);
			});
	}

	@Test
	void exchangeTypesAndNativeDelayedDeliveryFollowTheProperties() {
		this.contextRunner
			.withPropertyValues("taskqueue.default-exchange-type=topic",
					"taskqueue.queues." + this.other + ".exchange-type=direct")
			.run((context) -> {
				QueueDeclarer declarer = context.getBean(QueueDeclarer.class);
				assertThat(declarer.argumentsOf(this.queue).exchangeType()).isEqualTo(ExchangeType.TOPIC);
				assertThat(declarer.argumentsOf(this.other).exchangeType()).isEqualTo(ExchangeType.DIRECT);
				// On by default from Celery 5.5, the default version.
				assertThat(declarer.getNativeDelayedDelivery()).isNotNull();
			});
		// The queues exist now, with these exchanges.
		String[] sameQueues = { "taskqueue.default-exchange-type=topic",
				"taskqueue.queues." + this.other + ".exchange-type=direct" };
		this.contextRunner.withPropertyValues(sameQueues)
			.withPropertyValues("taskqueue.celery-version=5.2")
			.run((context) -> assertThat(context.getBean(QueueDeclarer.class).getNativeDelayedDelivery()).isNull());
		this.contextRunner.withPropertyValues(sameQueues)
			.withPropertyValues("taskqueue.native-delayed-delivery.enabled=false")
			.run((context) -> assertThat(context.getBean(QueueDeclarer.class).getNativeDelayedDelivery()).isNull());
	}

	@Test
	void unsupportedQueueTypeFailsStartupNamingTheKeyAndTheAcceptedValues() {
		this.contextRunner.withPropertyValues("taskqueue.queues." + this.queue + ".type=stream").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalyses.of(context.getStartupFailure(), null);
			assertThat(analysis.getDescription()).contains("taskqueue.queues." + this.queue + ".type")
				.contains("\"stream\"");
			assertThat(analysis.getAction()).contains("CLASSIC").contains("QUORUM");
		});
	}

	@Test
	void priorityOnAQuorumQueueFailsStartupNamingTheKey() {
		this.contextRunner
			.withPropertyValues("taskqueue.queues." + this.queue + ".type=quorum",
					"taskqueue.queues." + this.queue + ".max-priority=5")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(FailureAnalyses.messages(context.getStartupFailure()))
					.contains("taskqueue.queues." + this.queue)
					.contains("max-priority=5 needs a classic queue");
			});
	}

	@Test
	void deliveryLimitOnAClassicQueueFailsStartup() {
		this.contextRunner.withPropertyValues("taskqueue.queues." + this.queue + ".delivery-limit=3").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.messages(context.getStartupFailure()))
				.contains("delivery-limit=3 needs a quorum queue");
		});
	}

	@Test
	void zeroConcurrencyOfAQueueFailsStartupNamingTheKey() {
		this.contextRunner.withPropertyValues("taskqueue.queues." + this.queue + ".concurrency=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.messages(context.getStartupFailure())).contains("Property taskqueue.queues."
					+ this.queue + ".concurrency with value '0' is invalid: Must be at least 1.");
		});
	}

	static class SquareTasks {

		@QueueTask("flow.square")
		int square(int x) {
			return x * x;
		}

	}

	static class LimitedTasks {

		@QueueTask(name = "flow.limited", rateLimit = "5/s", rateLimitBurst = 2,
				rateLimitScope = RateLimitScope.CLUSTER)
		int limited(int x) {
			return x;
		}

	}

}
