package dev.taskqueue.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every {@code taskqueue.*} value that cannot work fails start-up, and what Spring Boot
 * then prints (the failure analysis) names the property, the value and what to do. Each
 * context fails while its beans are created, before anything connects to the broker or
 * Redis.
 */
class InvalidTaskQueuePropertiesTests {

	private static final AutoConfigurations RABBIT_AND_JACKSON = AutoConfigurations.of(RabbitAutoConfiguration.class,
			JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class);

	private static final String ACCEPTED = "json (application/json), msgpack (application/x-msgpack)";

	private @Nullable Environment environment;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(RABBIT_AND_JACKSON)
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
		.withInitializer((context) -> this.environment = context.getEnvironment())
		.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.data.redis.host=127.0.0.1",
				"taskqueue.worker.queues=tq-invalid-" + UUID.randomUUID().toString().substring(0, 8),
				"taskqueue.worker.concurrency=1");

	static Stream<Arguments> valuesTheBinderCannotConvert() {
		return Stream.of(
				arguments("taskqueue.tasks.[worker.divide].rate-limit", "fast",
						"taskqueue.tasks[worker.divide].rate-limit", "10/s, 100/m, 1000/h"),
				arguments("taskqueue.tasks.[worker.divide].rate-limit", "3/week",
						"taskqueue.tasks[worker.divide].rate-limit", "the unit must be s, m or h"),
				arguments("taskqueue.tasks.[worker.divide].rate-limit-scope", "global",
						"taskqueue.tasks[worker.divide].rate-limit-scope", "CLUSTER"),
				arguments("taskqueue.default-queue-type", "stream", "taskqueue.default-queue-type", "QUORUM"),
				arguments("taskqueue.queues.orders.type", "stream", "taskqueue.queues.orders.type", "QUORUM"),
				arguments("taskqueue.default-exchange-type", "fanout", "taskqueue.default-exchange-type", "TOPIC"),
				arguments("taskqueue.queues.orders.exchange-type", "headers", "taskqueue.queues.orders.exchange-type",
						"TOPIC"),
				arguments("taskqueue.native-delayed-delivery.queue-type", "stream",
						"taskqueue.native-delayed-delivery.queue-type", "QUORUM"),
				arguments("taskqueue.compression", "bzip2", "taskqueue.compression", "ZLIB"),
				arguments("taskqueue.result.backend", "mongo", "taskqueue.result.backend", "REDIS"),
				arguments("taskqueue.worker.heartbeat-interval", "often", "taskqueue.worker.heartbeat-interval",
						"java.time.Duration"),
				arguments("taskqueue.worker.max-message-size", "huge", "taskqueue.worker.max-message-size",
						"org.springframework.util.unit.DataSize"),
				arguments("taskqueue.tasks.[worker.divide].auto-retry-for", "com.example.NoSuchException",
						"taskqueue.tasks[worker.divide].auto-retry-for", "com.example.NoSuchException"));
	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("valuesTheBinderCannotConvert")
	void valueTheBinderCannotConvertFailsNamingThePropertyAndTheValue(String property, String value, String name,
			String explanation) {
		FailureAnalysis analysis = analyzeFailure(this.contextRunner, property + "=" + value);
		assertThat(analysis.getDescription()).contains("Property: " + name)
			.contains("Value: \"" + value + "\"")
			.contains("Origin: \"" + property + "\" from property source \"test\"");
		assertThat(analysis.getDescription() + analysis.getAction()).contains(explanation);
		assertThat(analysis.getAction()).startsWith("Update your application's configuration");
	}

	@Test
	void valueOfAClosedSetFailsListingTheValidValues() {
		FailureAnalysis analysis = analyzeFailure(this.contextRunner,
				"taskqueue.tasks.[worker.divide].rate-limit-scope=global");
		assertThat(analysis.getAction()).contains("The following values are valid").contains("CLUSTER", "WORKER");
	}

	static Stream<Arguments> valuesOutOfRange() {
		return Stream.of(range("taskqueue.worker.max-deliveries", "-1", "Must be 0 (no limit) or more."),
				range("taskqueue.worker.concurrency", "0", "Must be at least 1."),
				range("taskqueue.worker.prefetch", "0", "Must be at least 1."),
				range("taskqueue.worker.fair-margin", "-1", "Must be at least 0."),
				range("taskqueue.worker.redelivery-backoff", "-1s", "Must not be negative."),
				range("taskqueue.worker.heartbeat-interval", "-1s", "Must not be negative."),
				range("taskqueue.worker.queue-stats-max-age", "-1s", "Must not be negative."),
				range("taskqueue.worker.time-limit", "0", "Must be positive."),
				range("taskqueue.worker.soft-time-limit", "-5s", "Must be positive."),
				range("taskqueue.worker.max-message-size", "0B", "Must be positive."),
				range("taskqueue.tasks[worker.divide].time-limit", "0", "Must be positive."),
				range("taskqueue.tasks[worker.divide].soft-time-limit", "0", "Must be positive."),
				range("taskqueue.tasks[worker.divide].rate-limit-burst", "0", "Must be at least 1.",
						"taskqueue.tasks[worker.divide].rate-limit=1/s"),
				range("taskqueue.queues.orders.concurrency", "0", "Must be at least 1."),
				range("taskqueue.queues.orders.prefetch", "0", "Must be at least 1."),
				range("taskqueue.queues.orders.max-priority", "256", "Must be between 1 and 255."),
				range("taskqueue.queues.orders.delivery-limit", "0", "Must be at least 1.",
						"taskqueue.queues.orders.type=quorum"),
				range("taskqueue.client.publish-timeout", "0s", "Must be positive."),
				range("taskqueue.client.channel-pool-size", "0", "Must be at least 1."),
				range("taskqueue.client.subscribe-before-send", "-1s", "Must not be negative."),
				range("taskqueue.result.expires", "0s", "Must be positive."),
				range("taskqueue.result.wait-for-replicas", "-1", "Must be at least 0."),
				range("taskqueue.result.wait-for-replicas-timeout", "0s", "Must be positive.",
						"taskqueue.result.wait-for-replicas=1"));
	}

	private static Arguments range(String property, String value, String reason, String... others) {
		return arguments(property, value, reason, List.of(others));
	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("valuesOutOfRange")
	void valueOutOfRangeFailsNamingThePropertyTheValueAndTheRange(String property, String value, String reason,
			List<String> others) {
		List<String> properties = new ArrayList<>(others);
		properties.add(property + "=" + value);
		FailureAnalysis analysis = analyzeFailure(this.contextRunner, properties.toArray(String[]::new));
		assertThat(analysis.getDescription())
			.startsWith("Invalid value '" + value + "' for configuration property '" + property
					+ "' (originating from '\"" + property + "\" from property source \"test\"')")
			.endsWith(reason);
		assertThat(analysis.getAction()).isEqualTo("Review the value of the property with the provided reason.");
	}

	@Test
	void unknownSerializerNamesTheSerializersThereAre() {
		FailureAnalysis analysis = analyzeFailure(this.contextRunner, "taskqueue.serializer=pickle");
		assertThat(analysis.getDescription()).isEqualTo("Property 'taskqueue.serializer' with value 'pickle' "
				+ "(originating from '\"taskqueue.serializer\" from property source \"test\"') is not supported: "
				+ "no serializer has that name or content type.");
		assertThat(analysis.getAction())
			.isEqualTo("Use one of " + ACCEPTED + ", or define a TaskSerializer bean for 'pickle'.");
	}

	@Test
	void unknownResultSerializerNamesTheSerializersThereAre() {
		FailureAnalysis analysis = analyzeFailure(this.contextRunner, "taskqueue.result.serializer=yaml");
		assertThat(analysis.getDescription()).startsWith("Property 'taskqueue.result.serializer' with value 'yaml'");
		assertThat(analysis.getAction()).contains(ACCEPTED);
	}

	@Test
	void unknownAcceptedContentNamesItsIndex() {
		FailureAnalysis analysis = analyzeFailure(this.contextRunner, "taskqueue.accept-content=json,msgpak");
		assertThat(analysis.getDescription()).startsWith("Property 'taskqueue.accept-content[1]' with value 'msgpak'");
		assertThat(analysis.getAction()).contains(ACCEPTED);
	}

	@Test
	void unknownSerializerOfATaskNamesTheTaskEntry() {
		FailureAnalysis analysis = analyzeFailure(this.contextRunner, "taskqueue.tasks.[worker.divide].serializer=xml");
		assertThat(analysis.getDescription())
			.startsWith("Property 'taskqueue.tasks[worker.divide].serializer' with value 'xml'");
		assertThat(analysis.getAction()).contains(ACCEPTED);
	}

	@Test
	void routeWithoutAQueueSaysTheQueueIsWhatARouteNeeds() {
		FailureAnalysis analysis = analyzeFailure(this.contextRunner, "taskqueue.routes.[worker.*].exchange=tasks");
		assertThat(analysis.getDescription()).isEqualTo(
				"Property 'taskqueue.routes[worker.*].queue' is not set: a route needs the queue its tasks go to.");
		assertThat(analysis.getAction()).startsWith("Set taskqueue.routes[worker.*].queue to that queue");
	}

	@Test
	void rateLimitBurstWithoutARateAsksForTheRate() {
		FailureAnalysis analysis = analyzeFailure(this.contextRunner,
				"taskqueue.tasks.[worker.divide].rate-limit-burst=5");
		assertThat(analysis.getDescription())
			.startsWith("Property 'taskqueue.tasks[worker.divide].rate-limit-burst' with value '5' (originating from")
			.endsWith(" needs taskqueue.tasks[worker.divide].rate-limit, which replaces @QueueTask(rateLimit) as a "
					+ "whole.");
		assertThat(analysis.getAction()).isEqualTo("Set taskqueue.tasks[worker.divide].rate-limit too (the rate, e.g. "
				+ "10/s, 100/m, 1000/h), or remove taskqueue.tasks[worker.divide].rate-limit-burst.");
	}

	@Test
	void rateLimitScopeWithoutARateAsksForTheRate() {
		FailureAnalysis analysis = analyzeFailure(this.contextRunner,
				"taskqueue.tasks.[worker.divide].rate-limit-scope=cluster");
		assertThat(analysis.getDescription())
			.startsWith("Property 'taskqueue.tasks[worker.divide].rate-limit-scope' with value 'cluster'")
			.contains(" needs taskqueue.tasks[worker.divide].rate-limit,");
	}

	@Test
	void clusterWideRateLimitWithoutRedisSaysRedisIsMissing() {
		ApplicationContextRunner withoutRedis = new ApplicationContextRunner().withConfiguration(RABBIT_AND_JACKSON)
			.withInitializer((context) -> this.environment = context.getEnvironment())
			.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "taskqueue.result.backend=none");
		FailureAnalysis analysis = analyzeFailure(withoutRedis, "taskqueue.tasks.[worker.divide].rate-limit=10/s",
				"taskqueue.tasks.[worker.divide].rate-limit-scope=cluster");
		assertThat(analysis.getDescription())
			.startsWith("Property 'taskqueue.tasks[worker.divide].rate-limit-scope' with value 'cluster'")
			.contains(" needs Redis: ")
			.contains("no RedisConnectionFactory");
		assertThat(analysis.getAction()).isEqualTo("Add spring-boot-starter-data-redis and spring.data.redis.* "
				+ "settings, or set taskqueue.tasks[worker.divide].rate-limit-scope to worker to limit each worker "
				+ "on its own.");
	}

	@Test
	void redisResultsWithoutRedisSayRedisIsMissing() {
		ApplicationContextRunner withoutRedis = new ApplicationContextRunner().withConfiguration(RABBIT_AND_JACKSON)
			.withInitializer((context) -> this.environment = context.getEnvironment())
			.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "taskqueue.worker.enabled=false");
		FailureAnalysis analysis = analyzeFailure(withoutRedis);
		assertThat(analysis.getDescription())
			.isEqualTo("Property 'taskqueue.result.backend' with value 'redis' needs Redis, and this application has "
					+ "no RedisConnectionFactory (or several and none of them @Primary).");
		assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis")
			.contains("set taskqueue.result.backend to none to store no results");
	}

	@Test
	void priorityOnAQuorumQueueAsksForAClassicQueue() {
		FailureAnalysis analysis = analyzeFailure(this.contextRunner, "taskqueue.queues.orders.type=quorum",
				"taskqueue.queues.orders.max-priority=5");
		assertThat(analysis.getDescription())
			.startsWith("Property 'taskqueue.queues.orders.max-priority' with value '5'")
			.endsWith(" needs a classic queue: quorum queues do not order messages by priority.");
		assertThat(analysis.getAction())
			.isEqualTo("Set taskqueue.queues.orders.type to classic, or remove taskqueue.queues.orders.max-priority.");
	}

	@Test
	void deliveryLimitOnAClassicQueueAsksForAQuorumQueue() {
		FailureAnalysis analysis = analyzeFailure(this.contextRunner, "taskqueue.queues.orders.delivery-limit=3");
		assertThat(analysis.getDescription())
			.startsWith("Property 'taskqueue.queues.orders.delivery-limit' with value '3'")
			.contains(" needs a quorum queue");
		assertThat(analysis.getAction())
			.startsWith("Set taskqueue.queues.orders.type (or taskqueue.default-queue-type) to quorum");
	}

	private FailureAnalysis analyzeFailure(ApplicationContextRunner runner, String... properties) {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			analysis[0] = FailureAnalyses.of(context.getStartupFailure(), this.environment);
		});
		return analysis[0];
	}

}
