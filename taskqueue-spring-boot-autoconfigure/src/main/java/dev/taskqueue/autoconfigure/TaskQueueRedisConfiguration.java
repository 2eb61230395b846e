package dev.taskqueue.autoconfigure;

import dev.taskqueue.client.internal.UniqueLocks;
import dev.taskqueue.control.RateLimits;
import dev.taskqueue.control.WorkerDirectory;
import dev.taskqueue.control.internal.ControlBus;
import dev.taskqueue.control.internal.WorkerEventMonitor;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.ratelimit.internal.ClusterRateLimiters;
import dev.taskqueue.result.internal.RedisResultBackend;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.result.internal.ResultCodec;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static dev.taskqueue.autoconfigure.PropertyChecks.atLeast;
import static dev.taskqueue.autoconfigure.PropertyChecks.positive;

/**
 * What taskqueue keeps in the application's Redis: results (Celery's format), revocations
 * and runtime rate limits (the control bus), unique-task locks, cluster-wide rate limits
 * and the workers' heartbeats.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
class TaskQueueRedisConfiguration {

	@Bean
	@ConditionalOnMissingBean(ResultBackend.class)
	@ConditionalOnProperty(name = "taskqueue.result.backend", havingValue = "redis", matchIfMissing = true)
	RedisResultBackend taskQueueRedisResultBackend(RedisConnectionFactory redisConnectionFactory,
			TaskQueueProperties properties, TaskMessageCodec codec) {
		TaskQueueProperties.Result result = properties.getResult();
		RedisResultBackend backend = new RedisResultBackend(redisConnectionFactory,
				new ResultCodec(codec.mapper(), codec.serializers().get(result.getSerializer()),
						properties.writesTypedJson(), properties.getCeleryVersion().writesAwareDateDone()),
				result.getKeyPrefix(), positive("taskqueue.result.expires", result.getExpires()));
		int replicas = atLeast("taskqueue.result.wait-for-replicas", result.getWaitForReplicas(), 0);
		if (replicas > 0) {
			try {
				backend.setReplicaAcknowledgements(replicas,
						positive("taskqueue.result.wait-for-replicas-timeout", result.getWaitForReplicasTimeout()));
			}
			catch (IllegalStateException ex) {
				throw new InvalidConfigurationPropertyValueException("taskqueue.result.wait-for-replicas", replicas,
						ex.getMessage());
			}
		}
		return backend;
	}

	@Bean(destroyMethod = "destroy")
	@ConditionalOnMissingBean
	ControlBus taskQueueControlBus(RedisConnectionFactory redisConnectionFactory, TaskQueueProperties properties) {
		return new ControlBus(redisConnectionFactory, properties.getResult().getKeyPrefix(),
				positive("taskqueue.result.expires", properties.getResult().getExpires()));
	}

	@Bean
	@ConditionalOnMissingBean
	RateLimits taskQueueRateLimits(ControlBus control) {
		return new RateLimits(control);
	}

	@Bean
	@ConditionalOnMissingBean
	UniqueLocks taskQueueUniqueLocks(RedisConnectionFactory redisConnectionFactory, TaskQueueProperties properties,
			TaskMessageCodec codec) {
		return new UniqueLocks(redisConnectionFactory, properties.getResult().getKeyPrefix(), codec.mapper());
	}

	@Bean
	@ConditionalOnMissingBean
	ClusterRateLimiters taskQueueClusterRateLimiters(RedisConnectionFactory redisConnectionFactory,
			TaskQueueProperties properties) {
		return new ClusterRateLimiters(redisConnectionFactory, properties.getResult().getKeyPrefix());
	}

	@Bean
	@ConditionalOnMissingBean
	WorkerDirectory taskQueueWorkerDirectory(RedisConnectionFactory redisConnectionFactory,
			TaskQueueProperties properties, ObjectProvider<WorkerEventMonitor> eventMonitor) {
		WorkerDirectory directory = new WorkerDirectory(redisConnectionFactory, properties.getResult().getKeyPrefix());
		directory.setEventMonitor(eventMonitor.getIfAvailable());
		return directory;
	}

}
