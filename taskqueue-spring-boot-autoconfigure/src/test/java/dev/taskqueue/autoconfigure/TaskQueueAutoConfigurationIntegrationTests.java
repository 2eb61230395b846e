package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.client.internal.TaskRouter;
import dev.taskqueue.client.internal.UniqueLocks;
import dev.taskqueue.control.internal.ControlBus;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.result.internal.RedisResultBackend;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskOptions;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.internal.QueueTaskBeanPostProcessor;
import dev.taskqueue.worker.internal.TaskRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitOperations;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.RabbitListenerContainerFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.Mockito.mock;

/**
 * Wiring and condition tests for {@link TaskQueueAutoConfiguration}, beside Spring Boot's
 * own RabbitMQ, Redis and Jackson auto-configurations. Contexts connect to the real local
 * broker and Redis (scripts/services starts them); each test's worker consumes a queue of
 * its own, deleted afterwards.
 */
class TaskQueueAutoConfigurationIntegrationTests {

	private static final String RABBIT_HOST = System.getProperty("taskqueue.test.rabbit.host", "127.0.0.1");

	private static final String REDIS_HOST = System.getProperty("taskqueue.test.redis.host", "127.0.0.1");

	private static final AutoConfigurations BOOT = AutoConfigurations.of(RabbitAutoConfiguration.class,
			DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class);

	private final String queue = "tq-autoconf-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner bootOnly = new ApplicationContextRunner().withConfiguration(BOOT)
		.withPropertyValues("spring.rabbitmq.host=" + RABBIT_HOST, "spring.data.redis.host=" + REDIS_HOST);

	private final ApplicationContextRunner contextRunner = this.bootOnly
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.queues=" + this.queue, "taskqueue.worker.concurrency=1");

	@AfterEach
	void deleteQueues() {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(RABBIT_HOST);
		try {
			RabbitAdmin admin = new RabbitAdmin(connectionFactory);
			for (String name : List.of(this.queue, this.queue + QueueDeclarer.DLQ_SUFFIX)) {
				admin.deleteQueue(name);
				admin.deleteExchange(name);
			}
		}
		finally {
			connectionFactory.destroy();
		}
	}

	@Test
	void providesTheClientResultBackendCodecRouterPublisherDeclarerWorkerAndRegistry() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(TaskClient.class)
			.hasSingleBean(ResultBackend.class)
			.hasSingleBean(TaskMessageCodec.class)
			.hasSingleBean(TaskRouter.class)
			.hasSingleBean(ConfirmedPublisher.class)
			.hasSingleBean(QueueDeclarer.class)
			.hasSingleBean(WorkerContainer.class)
			.hasSingleBean(TaskRegistry.class));
	}

	@Test
	void workerConsumesTheConfiguredQueues() {
		this.contextRunner.run((context) -> {
			WorkerContainer worker = context.getBean(WorkerContainer.class);
			assertThat(worker.getQueues()).containsExactly(this.queue);
			assertThat(worker.isRunning()).isTrue();
		});
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void startsWithoutWarningsAboutBeansCreatedForItsBeanPostProcessor(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(DivideTasks.class)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("not eligible for getting processed by all BeanPostProcessors");
	}

	@Test
	void backsOffWhenTheApplicationDefinesATaskClient() {
		TaskClient client = mock(TaskClient.class);
		this.contextRunner.withBean("userTaskClient", TaskClient.class, () -> client)
			.run((context) -> assertThat(context).getBean(TaskClient.class).isSameAs(client));
	}

	@Test
	void backsOffWhenTheApplicationDefinesAResultBackend() {
		ResultBackend backend = mock(ResultBackend.class);
		this.contextRunner.withBean("userResultBackend", ResultBackend.class, () -> backend)
			.run((context) -> assertThat(context).getBean(ResultBackend.class).isSameAs(backend));
	}

	@Test
	void backsOffWhenTheApplicationDefinesATaskRouter() {
		TaskRouter router = new TaskRouter(Map.of(), this.queue);
		this.contextRunner.withBean("userTaskRouter", TaskRouter.class, () -> router)
			.run((context) -> assertThat(context).getBean(TaskRouter.class).isSameAs(router));
	}

	@Test
	void backsOffWhenTheApplicationDefinesATaskMessageCodec() {
		TaskMessageCodec codec = new TaskMessageCodec(JsonMapper.builder().build(), List.of("json"));
		this.contextRunner.withBean("userTaskMessageCodec", TaskMessageCodec.class, () -> codec)
			.run((context) -> assertThat(context).getBean(TaskMessageCodec.class).isSameAs(codec));
	}

	@Test
	void backsOffWhenTheApplicationDefinesAConfirmedPublisher() {
		this.contextRunner.withUserConfiguration(UserPublisherConfiguration.class)
			.run((context) -> assertThat(context).getBean(ConfirmedPublisher.class)
				.isSameAs(context.getBean("userConfirmedPublisher")));
	}

	@Test
	void backsOffWhenTheApplicationDefinesAQueueDeclarer() {
		this.contextRunner.withUserConfiguration(UserDeclarerConfiguration.class)
			.run((context) -> assertThat(context).getBean(QueueDeclarer.class)
				.isSameAs(context.getBean("userQueueDeclarer")));
	}

	@Test
	void backsOffWhenTheApplicationDefinesAWorkerContainer() {
		WorkerContainer worker = mock(WorkerContainer.class);
		this.contextRunner.withBean("userWorkerContainer", WorkerContainer.class, () -> worker)
			.run((context) -> assertThat(context).getBean(WorkerContainer.class).isSameAs(worker));
	}

	@Test
	void backsOffWhenTheApplicationDefinesATaskRegistry() {
		TaskRegistry registry = new TaskRegistry();
		this.contextRunner
			.withBean("userTaskRegistry", TaskRegistry.class, () -> registry,
					(definition) -> definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE))
			.withUserConfiguration(DivideTasks.class)
			.run((context) -> {
				assertThat(context).getBean(TaskRegistry.class).isSameAs(registry);
				assertThat(registry.get("worker.divide")).isNotNull();
			});
	}

	@Test
	void backsOffWhenSeveralConnectionFactoriesAndNoPrimaryOneLeaveItUnclearWhichToUse() {
		// Without Boot's RabbitMQ auto-configuration, whose listener container factory
		// needs a single connection factory too.
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					TaskQueueAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + REDIS_HOST)
			.withUserConfiguration(TwoConnectionFactoriesConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskClient.class));
	}

	@Test
	void usesThePrimaryOfSeveralConnectionFactories() {
		this.contextRunner.withUserConfiguration(TwoConnectionFactoriesConfiguration.class)
			.withPropertyValues("taskqueue.worker.enabled=false")
			.withBean("primaryConnectionFactory", CachingConnectionFactory.class,
					() -> new CachingConnectionFactory(RABBIT_HOST), (definition) -> definition.setPrimary(true))
			.run((context) -> assertThat(context).hasSingleBean(TaskClient.class));
	}

	@Test
	void redisPartsBackOffWhenSeveralRedisConnectionFactoriesAndNoPrimaryOneLeaveItUnclearWhichToUse() {
		this.contextRunner.withUserConfiguration(TwoRedisConnectionFactoriesConfiguration.class)
			.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.result.backend=none")
			.run((context) -> assertThat(context).hasSingleBean(TaskClient.class)
				.doesNotHaveBean(ControlBus.class)
				.doesNotHaveBean(UniqueLocks.class));
	}

	@Test
	void redisPartsUseThePrimaryOfSeveralRedisConnectionFactories() {
		this.contextRunner.withUserConfiguration(TwoRedisConnectionFactoriesConfiguration.class)
			.withPropertyValues("taskqueue.worker.enabled=false")
			.withBean("primaryRedisConnectionFactory", LettuceConnectionFactory.class,
					() -> new LettuceConnectionFactory(REDIS_HOST, 6379), (definition) -> definition.setPrimary(true))
			.run((context) -> assertThat(context).hasSingleBean(ControlBus.class)
				.getBean(ResultBackend.class)
				.isInstanceOf(RedisResultBackend.class));
	}

	@Test
	void registersNoRabbitTemplateOrRabbitOperationsOfItsOwn() {
		assertSameBeansWithAndWithoutTaskQueue(RabbitTemplate.class, RabbitOperations.class);
	}

	@Test
	void registersNoMessageConverter() {
		assertSameBeansWithAndWithoutTaskQueue(org.springframework.amqp.support.converter.MessageConverter.class,
				org.springframework.messaging.converter.MessageConverter.class);
	}

	@Test
	void registersNoRedisTemplateOrStringRedisTemplateOfItsOwn() {
		assertThat(assertSameBeansWithAndWithoutTaskQueue(RedisTemplate.class, StringRedisTemplate.class))
			.containsOnlyKeys("redisTemplate", "stringRedisTemplate");
	}

	@Test
	void registersNoRabbitListenerContainerFactoryOfItsOwn() {
		assertThat(assertSameBeansWithAndWithoutTaskQueue(RabbitListenerContainerFactory.class))
			.containsOnlyKeys("rabbitListenerContainerFactory");
	}

	@Test
	void registersNoJsonMapperOfItsOwn() {
		assertSameBeansWithAndWithoutTaskQueue(JsonMapper.class, JsonMapper.Builder.class);
	}

	@Test
	void registersNoConnectionFactoryOrAmqpAdminOfItsOwn() {
		assertSameBeansWithAndWithoutTaskQueue(ConnectionFactory.class, RedisConnectionFactory.class, AmqpAdmin.class);
	}

	@Test
	void applicationRabbitTemplateStaysTheOnlyOne() {
		this.contextRunner.withUserConfiguration(UserRabbitTemplateConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(RabbitTemplate.class).hasSingleBean(TaskClient.class);
			assertThat(context).getBean(RabbitOperations.class).isSameAs(context.getBean("userRabbitTemplate"));
		});
	}

	@Test
	void applicationStringRedisTemplateStaysTheOnlyOne() {
		this.contextRunner.withUserConfiguration(UserStringRedisTemplateConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(StringRedisTemplate.class).hasSingleBean(TaskClient.class);
			assertThat(context).getBean(StringRedisTemplate.class).isSameAs(context.getBean("userStringRedisTemplate"));
		});
	}

	@Test
	void applicationJsonMapperStaysTheOnlyOne() {
		JsonMapper mapper = JsonMapper.builder().build();
		this.contextRunner.withBean("userJsonMapper", JsonMapper.class, () -> mapper).run((context) -> {
			assertThat(context).hasSingleBean(JsonMapper.class).hasSingleBean(TaskClient.class);
			assertThat(context).getBean(JsonMapper.class).isSameAs(mapper);
		});
	}

	@Test
	void workerDisabledLeavesOnlyTheClientSide() {
		this.contextRunner.withPropertyValues("taskqueue.worker.enabled=false")
			.withUserConfiguration(DivideTasks.class)
			.run((context) -> assertThat(context).hasSingleBean(TaskClient.class)
				.doesNotHaveBean(WorkerContainer.class)
				.doesNotHaveBean(TaskRegistry.class)
				.doesNotHaveBean(QueueTaskBeanPostProcessor.class));
	}

	@Test
	void resultBackendNoneStoresNothing() {
		this.contextRunner.withPropertyValues("taskqueue.result.backend=none")
			.run((context) -> assertThat(context.getBean(ResultBackend.class).isEnabled()).isFalse());
	}

	@Test
	void resultBackendNoneRefusesToReadAResult() {
		this.contextRunner.withPropertyValues("taskqueue.result.backend=none")
			.run((context) -> assertThatIllegalStateException()
				.isThrownBy(() -> context.getBean(TaskClient.class).result(UUID.randomUUID().toString()).getState())
				.satisfies((ex) -> assertThat(ex.getMessage()).containsIgnoringCase("no result backend")));
	}

	@Test
	void twoTasksWithTheSameNameFailStartupNamingBothMethods() {
		this.contextRunner.withUserConfiguration(DivideTasks.class, OtherDivideTasks.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.messages(context.getStartupFailure()))
				.contains("Duplicate task name 'worker.divide'")
				.contains(DivideTasks.class.getName() + ".divide(double, double)")
				.contains(OtherDivideTasks.class.getName() + ".divide(double, double)");
		});
	}

	@Test
	void routeKeyedByATaskNameInBracketsReachesTheRouter() {
		this.contextRunner.withPropertyValues("taskqueue.routes.[worker.divide].queue=divide")
			.run((context) -> assertThat(context.getBean(TaskRouter.class).route("worker.divide", null))
				.isEqualTo(Route.toQueue("divide")));
	}

	@Test
	void routeKeyedByAGlobInBracketsReachesTheRouter() {
		this.contextRunner.withPropertyValues("taskqueue.routes.[worker.*].queue=w")
			.run((context) -> assertThat(context.getBean(TaskRouter.class).route("worker.multiply", null))
				.isEqualTo(Route.toQueue("w")));
	}

	@Test
	void routeExchangeAndRoutingKeyReachTheRouter() {
		this.contextRunner
			.withPropertyValues("taskqueue.routes.[worker.divide].queue=divide",
					"taskqueue.routes.[worker.divide].exchange=tasks",
					"taskqueue.routes.[worker.divide].routing-key=math.divide")
			.run((context) -> assertThat(context.getBean(TaskRouter.class).route("worker.divide", null))
				.isEqualTo(new Route("divide", "tasks", "math.divide")));
	}

	@Test
	void routeWithoutAQueueFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("taskqueue.routes.[worker.divide].exchange=tasks").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.messages(context.getStartupFailure()))
				.contains("taskqueue.routes[worker.divide].queue is not set");
		});
	}

	@Test
	void workerAllowsFiveDeliveriesAndTheLifecyclePhaseTimeoutByDefault() {
		this.contextRunner.run((context) -> {
			WorkerSettings settings = context.getBean(WorkerContainer.class).getSettings();
			assertThat(settings.maxDeliveries()).isEqualTo(5);
			assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
		});
	}

	@Test
	void maxDeliveriesAndShutdownPhaseTimeoutReachTheWorker() {
		this.contextRunner
			.withPropertyValues("taskqueue.worker.max-deliveries=0", "spring.lifecycle.timeout-per-shutdown-phase=7s")
			.run((context) -> {
				WorkerSettings settings = context.getBean(WorkerContainer.class).getSettings();
				assertThat(settings.maxDeliveries()).isZero();
				assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(7));
			});
	}

	@Test
	void negativeMaxDeliveriesFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("taskqueue.worker.max-deliveries=-1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.messages(context.getStartupFailure())).contains(
					"Property taskqueue.worker.max-deliveries with value '-1' is invalid: Must be 0 (no limit) or more.");
		});
	}

	@Test
	void rateLimitOfATaskKeyedInBracketsReachesTheWorker() {
		this.contextRunner.withPropertyValues("taskqueue.tasks.[worker.divide].rate-limit=1/s").run((context) -> {
			WorkerSettings settings = context.getBean(WorkerContainer.class).getSettings();
			assertThat(settings.optionsOf("worker.divide").rateLimit())
				.isEqualTo(new RateLimit(1, Duration.ofSeconds(1)));
			assertThat(settings.tasks()).containsOnlyKeys("worker.divide");
		});
	}

	@Test
	void retryOptionsOfATaskReachTheWorker() {
		this.contextRunner.withPropertyValues("taskqueue.tasks.[worker.divide].max-retries=5",
				"taskqueue.tasks.[worker.divide].auto-retry-for=java.io.IOException,java.lang.IllegalStateException",
				"taskqueue.tasks.[worker.divide].retry-backoff=true",
				"taskqueue.tasks.[worker.divide].retry-backoff-max=30s",
				"taskqueue.tasks.[worker.divide].default-retry-delay=2s")
			.run((context) -> {
				TaskOptions options = context.getBean(WorkerContainer.class).getSettings().optionsOf("worker.divide");
				assertThat(options.maxRetries()).isEqualTo(5);
				assertThat(options.autoRetryFor()).containsExactly(java.io.IOException.class,
						IllegalStateException.class);
				assertThat(options.retryBackoff()).isTrue();
				assertThat(options.retryBackoffMax()).isEqualTo(Duration.ofSeconds(30));
				assertThat(options.defaultRetryDelay()).isEqualTo(Duration.ofSeconds(2));
				assertThat(options.retryJitter()).isNull();
			});
	}

	@Test
	void timeLimitsAndMaxMessageSizeReachTheWorkerInSecondsByDefault() {
		this.contextRunner
			.withPropertyValues("taskqueue.worker.time-limit=300", "taskqueue.worker.soft-time-limit=4m",
					"taskqueue.worker.max-message-size=2MB", "taskqueue.tasks.[worker.divide].time-limit=10",
					"taskqueue.tasks.[worker.divide].soft-time-limit=1500ms")
			.run((context) -> {
				WorkerSettings settings = context.getBean(WorkerContainer.class).getSettings();
				assertThat(settings.timeLimit()).isEqualTo(Duration.ofMinutes(5));
				assertThat(settings.softTimeLimit()).isEqualTo(Duration.ofMinutes(4));
				assertThat(settings.maxMessageSize()).isEqualTo(2L * 1024 * 1024);
				TaskOptions options = settings.optionsOf("worker.divide");
				assertThat(options.timeLimit()).isEqualTo(Duration.ofSeconds(10));
				assertThat(options.softTimeLimit()).isEqualTo(Duration.ofMillis(1500));
			});
	}

	@Test
	void workerDefaultsToNoTimeLimitsAndTenMegabyteMessages() {
		this.contextRunner.run((context) -> {
			WorkerSettings settings = context.getBean(WorkerContainer.class).getSettings();
			assertThat(settings.timeLimit()).isNull();
			assertThat(settings.softTimeLimit()).isNull();
			assertThat(settings.maxMessageSize()).isEqualTo(10L * 1024 * 1024);
		});
	}

	@Test
	void nonPositiveMaxMessageSizeFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("taskqueue.worker.max-message-size=0B").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.messages(context.getStartupFailure()))
				.contains("taskqueue.worker.max-message-size");
		});
	}

	@Test
	void uniqueLocksAreGivenToTheClientWhenRedisIsThere() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(UniqueLocks.class));
	}

	@Test
	void codecNeverUsesDefaultTypingEvenWhenTheApplicationTurnsItOn() {
		this.contextRunner.withBean(JsonMapperBuilderCustomizer.class,
				() -> (builder) -> builder.activateDefaultTyping(
						BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build(),
						DefaultTyping.NON_FINAL))
			.run((context) -> {
				JsonMapper mapper = context.getBean(TaskMessageCodec.class).mapper();
				assertThat(mapper.readValue("{\"@class\": \"java.io.File\", \"path\": \"/etc/passwd\"}", Object.class))
					.isInstanceOf(Map.class);
				assertThat(mapper.readValue("[\"java.io.File\", \"/etc/passwd\"]", Object.class))
					.isInstanceOf(List.class);
			});
	}

	@Test
	void invalidRateLimitFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("taskqueue.tasks.[worker.divide].rate-limit=fast").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.messages(context.getStartupFailure()))
				.contains("taskqueue.tasks[worker.divide].rate-limit")
				.contains("'fast'");
		});
	}

	@Test
	void unknownSerializerFailsStartupNamingThePropertyAndTheAcceptedForms() {
		this.contextRunner.withPropertyValues("taskqueue.serializer=pickle").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.messages(context.getStartupFailure()))
				.contains("taskqueue.serializer=pickle is not supported")
				.contains("json (application/json), msgpack (application/x-msgpack)");
		});
	}

	@Test
	void unknownResultSerializerFailsStartupNamingThePropertyAndTheAcceptedForms() {
		this.contextRunner.withPropertyValues("taskqueue.result.serializer=yaml").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.messages(context.getStartupFailure()))
				.contains("taskqueue.result.serializer=yaml is not supported")
				.contains("json (application/json), msgpack (application/x-msgpack)");
		});
	}

	/**
	 * Asserts that adding {@link TaskQueueAutoConfiguration} changes no bean of the given
	 * types: the same names, defined in the same place, so taskqueue neither adds one nor
	 * makes Spring Boot's back off.
	 * @return where each bean of those types is defined, by bean name
	 */
	private Map<String, String> assertSameBeansWithAndWithoutTaskQueue(Class<?>... types) {
		Map<String, String> withTaskQueue = beanDefinitions(this.contextRunner, types);
		assertThat(withTaskQueue).isEqualTo(beanDefinitions(this.bootOnly, types));
		return withTaskQueue;
	}

	private static Map<String, String> beanDefinitions(ApplicationContextRunner runner, Class<?>... types) {
		Map<String, String> definitions = new TreeMap<>();
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			for (Class<?> type : types) {
				for (String name : context.getBeanNamesForType(type)) {
					BeanDefinition definition = context.getBeanFactory().getBeanDefinition(name);
					definitions.put(name, definition.getFactoryBeanName() + "#" + definition.getFactoryMethodName()
							+ " " + definition.getResourceDescription());
				}
			}
		});
		return definitions;
	}

	@Configuration(proxyBeanMethods = false)
	static class UserPublisherConfiguration {

		@Bean
		ConfirmedPublisher userConfirmedPublisher(ConnectionFactory connectionFactory) {
			return new ConfirmedPublisher(connectionFactory, Duration.ofSeconds(5), 1);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDeclarerConfiguration {

		@Bean
		QueueDeclarer userQueueDeclarer(ConnectionFactory connectionFactory) {
			return new QueueDeclarer(connectionFactory);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoConnectionFactoriesConfiguration {

		@Bean
		CachingConnectionFactory oneConnectionFactory() {
			return new CachingConnectionFactory(RABBIT_HOST);
		}

		@Bean
		CachingConnectionFactory otherConnectionFactory() {
			return new CachingConnectionFactory(RABBIT_HOST);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoRedisConnectionFactoriesConfiguration {

		@Bean
		LettuceConnectionFactory oneRedisConnectionFactory() {
			return new LettuceConnectionFactory(REDIS_HOST, 6379);
		}

		@Bean
		LettuceConnectionFactory otherRedisConnectionFactory() {
			return new LettuceConnectionFactory(REDIS_HOST, 6379);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRabbitTemplateConfiguration {

		@Bean
		RabbitTemplate userRabbitTemplate(ConnectionFactory connectionFactory) {
			return new RabbitTemplate(connectionFactory);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserStringRedisTemplateConfiguration {

		@Bean
		StringRedisTemplate userStringRedisTemplate(RedisConnectionFactory connectionFactory) {
			return new StringRedisTemplate(connectionFactory);
		}

	}

	static class DivideTasks {

		@QueueTask("worker.divide")
		double divide(double x, double y) {
			return x / y;
		}

	}

	static class OtherDivideTasks {

		@QueueTask("worker.divide")
		double divide(double x, double y) {
			return x / y;
		}

	}

}
