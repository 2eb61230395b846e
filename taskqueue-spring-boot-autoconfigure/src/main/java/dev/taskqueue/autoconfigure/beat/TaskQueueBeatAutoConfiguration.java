package dev.taskqueue.autoconfigure.beat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.endpoint.TaskQueueEndpoint;
import dev.taskqueue.beat.PeriodicTasks;
import dev.taskqueue.beat.internal.Beat;
import dev.taskqueue.beat.internal.BeatLock;
import dev.taskqueue.beat.internal.BeatSettings;
import dev.taskqueue.beat.internal.DefaultPeriodicTasks;
import dev.taskqueue.beat.internal.PeriodicAnnotationProcessor;
import dev.taskqueue.beat.internal.RedBeatJson;
import dev.taskqueue.beat.internal.RedBeatKeys;
import dev.taskqueue.beat.internal.RedBeatStore;
import dev.taskqueue.beat.internal.StaticTask;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.result.internal.RedisTopology;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link AutoConfiguration Auto-configuration} of periodic tasks: the
 * {@link PeriodicTasks} API on every application with Redis, and with
 * {@code taskqueue.beat.enabled=true} the beat itself, its metrics and its health. The
 * entries of {@code taskqueue.beat.schedule} and of {@link dev.taskqueue.beat.Periodic
 * &#64;Periodic} are checked at start-up and written to Redis by whichever beat takes the
 * lock.
 * <p>
 * The beat reads time from the application's {@link Clock} bean, when it has exactly one
 * (tests move such a clock instead of waiting).
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class)
@ConditionalOnClass({ TaskClient.class, RedisConnectionFactory.class })
@ConditionalOnBean(TaskClient.class)
@EnableConfigurationProperties(TaskQueueBeatProperties.class)
public final class TaskQueueBeatAutoConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static PeriodicAnnotationProcessor taskQueuePeriodicAnnotationProcessor() {
		return new PeriodicAnnotationProcessor();
	}

	@Bean
	ConfiguredSchedule taskQueueConfiguredSchedule(TaskQueueBeatProperties properties) {
		return new ConfiguredSchedule(properties);
	}

	@Bean
	@ConditionalOnBooleanProperty("taskqueue.beat.enabled")
	@ConditionalOnMissingBean(RedisConnectionFactory.class)
	Object taskQueueBeatWithoutRedis() {
		throw new IllegalStateException("taskqueue.beat.enabled=true needs Redis, where the schedule and its lock "
				+ "are kept: add spring-boot-starter-data-redis and spring.data.redis.* settings");
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(RedisConnectionFactory.class)
	static class ScheduleConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RedBeatStore taskQueueBeatStore(RedisConnectionFactory redisConnectionFactory,
				TaskQueueBeatProperties properties) {
			if (properties.isEnabled() && RedisTopology.isCluster(redisConnectionFactory)) {
				throw new IllegalStateException("taskqueue.beat.enabled=true needs a Redis that is not a Redis "
						+ "Cluster: the schedule keeps each entry's key and the schedule's sorted set (RedBeat's "
						+ "layout) in different hash slots, and one script updates them together. Keep the beat's "
						+ "schedule in a single Redis (with Sentinel for failover)");
			}
			StringRedisTemplate redis = new StringRedisTemplate(redisConnectionFactory);
			redis.afterPropertiesSet();
			RedBeatKeys keys;
			try {
				keys = new RedBeatKeys(properties.getKeyPrefix(), properties.getLockKey(),
						properties.getStaticsSet() == TaskQueueBeatProperties.StaticsSet.REDBEAT);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("taskqueue.beat.key-prefix: " + ex.getMessage(), ex);
			}
			return new RedBeatStore(redis, keys, new RedBeatJson(JsonMapper.builder().build()));
		}

		@Bean
		@ConditionalOnMissingBean
		PeriodicTasks taskQueuePeriodicTasks(RedBeatStore store, ObjectProvider<Beat> beat,
				TaskQueueBeatProperties properties, ObjectProvider<Clock> clock) {
			return new DefaultPeriodicTasks(store, beat.getIfAvailable(), properties.getZone(),
					clock.getIfUnique(Clock::systemUTC));
		}

		@Bean
		SmartInitializingSingleton taskQueuePeriodicAnnotationCheck(PeriodicAnnotationProcessor annotations,
				TaskQueueBeatProperties properties) {
			// After every bean is post-processed, so every @Periodic is found.
			return () -> {
				if (!properties.isEnabled() && !annotations.getTasks().isEmpty()) {
					LogFactory.getLog(TaskQueueBeatAutoConfiguration.class)
						.info("@Periodic entries "
								+ annotations.getTasks().stream().map((t) -> t.task().getName()).toList()
								+ " are written to the schedule by a beat of this application; it runs none "
								+ "(taskqueue.beat.enabled=false)");
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(RedisConnectionFactory.class)
	@ConditionalOnBooleanProperty("taskqueue.beat.enabled")
	static class BeatConfiguration {

		@Bean
		@ConditionalOnMissingBean
		Beat taskQueueBeat(RedBeatStore store, RedisConnectionFactory redisConnectionFactory, TaskClient client,
				TaskQueueBeatProperties properties, ConfiguredSchedule schedule,
				PeriodicAnnotationProcessor annotations, ObjectProvider<Clock> clock) {
			BeatSettings settings;
			try {
				settings = new BeatSettings(properties.getLockTimeout(), properties.getMaxInterval(),
						properties.getZone(), properties.getMissedRunGrace(), properties.getPublishThreads(),
						properties.getBatchSize());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("taskqueue.beat.lock-timeout, max-interval, missed-run-grace, "
						+ "publish-threads or batch-size: " + ex.getMessage(), ex);
			}
			List<StaticTask> configured = schedule.tasks();
			String token = "java:" + ProcessIdentity.origin() + ":" + UUID.randomUUID().toString().substring(0, 8);
			StringRedisTemplate redis = new StringRedisTemplate(redisConnectionFactory);
			redis.afterPropertiesSet();
			BeatLock lock = new BeatLock(redis, store.keys(), token, settings.lockTimeout());
			return new Beat(store, lock, client, settings, clock.getIfUnique(Clock::systemUTC),
					() -> merge(configured, annotations.getTasks()));
		}

		/** The configuration's entries win over annotations of the same name. */
		private static List<StaticTask> merge(List<StaticTask> configured, List<StaticTask> annotated) {
			Map<String, StaticTask> byName = new LinkedHashMap<>();
			annotated.forEach((task) -> byName.put(task.task().getName(), task));
			configured.forEach((task) -> byName.put(task.task().getName(), task));
			return new ArrayList<>(byName.values());
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(MeterBinder.class)
		static class MetricsConfiguration {

			@Bean
			@ConditionalOnMissingBean
			BeatMetrics taskQueueBeatMetrics(Beat beat) {
				return new BeatMetrics(beat);
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
		@ConditionalOnEnabledHealthIndicator("taskqueue-beat")
		static class HealthConfiguration {

			@Bean
			@ConditionalOnMissingBean(name = "taskqueueBeatHealthIndicator")
			BeatHealthIndicator taskqueueBeatHealthIndicator(Beat beat) {
				return new BeatHealthIndicator(beat);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	static class EndpointConfiguration {

		@Bean
		SmartInitializingSingleton taskQueueBeatEndpointOperations(ObjectProvider<TaskQueueEndpoint> endpoint,
				ObjectProvider<PeriodicTasks> tasks) {
			// The endpoint is configured after this auto-configuration: hand it the
			// schedule once every bean exists.
			return () -> endpoint.ifAvailable((taskqueue) -> taskqueue.setPeriodicTasks(tasks.getIfAvailable()));
		}

	}

}
