package dev.taskqueue.autoconfigure;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.ratelimit.RateLimit;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link AutoConfiguration Auto-configuration} for taskqueue: the {@link TaskClient}, the
 * result backend and, unless {@code taskqueue.worker.enabled=false}, the worker that runs
 * {@link dev.taskqueue.worker.QueueTask @QueueTask} methods.
 * <p>
 * Active when the application has one RabbitMQ {@link ConnectionFactory} (or a primary
 * one); the Redis-backed parts (results, revocations, unique tasks, cluster-wide rate
 * limits, the worker directory) when it has one {@link RedisConnectionFactory} (or a
 * primary one).
 * <p>
 * Registers no {@code RabbitTemplate}, {@code MessageConverter},
 * {@code StringRedisTemplate}, {@code redisTemplate}, {@code JsonMapper} or listener
 * container factory, so Spring Boot's own beans and the application's stay as they are;
 * taskqueue builds private ones from the application's connection factories.
 * <p>
 * This is the only class that refers to Spring Boot's RabbitMQ support: it moves to
 * another module and package in a later Spring Boot, and ordering by class makes that
 * move fail the build instead of silently turning taskqueue off.
 */
@AutoConfiguration(
		after = { RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ ConnectionFactory.class, RedisConnectionFactory.class, JsonMapper.class })
@ConditionalOnSingleCandidate(ConnectionFactory.class)
@EnableConfigurationProperties(TaskQueueProperties.class)
@Import({ TaskQueueRedisConfiguration.class, TaskQueueClientConfiguration.class, TaskQueueWorkerConfiguration.class })
public final class TaskQueueAutoConfiguration {

	@Bean
	@ConfigurationPropertiesBinding
	static StringToRateLimitConverter taskQueueRateLimitConverter() {
		return new StringToRateLimitConverter();
	}

	@Bean
	@ConfigurationPropertiesBinding
	static StringToCeleryVersionConverter taskQueueCeleryVersionConverter() {
		return new StringToCeleryVersionConverter();
	}

}
