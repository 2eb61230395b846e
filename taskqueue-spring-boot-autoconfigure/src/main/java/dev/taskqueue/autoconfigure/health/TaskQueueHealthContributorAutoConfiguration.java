package dev.taskqueue.autoconfigure.health;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueProperties;
import dev.taskqueue.broker.internal.QueueInspector;
import dev.taskqueue.worker.WorkerContainer;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link AutoConfiguration Auto-configuration} of the {@code taskqueue} health
 * contributor, enabled by {@code management.health.taskqueue.enabled} (default on).
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(QueueInspector.class)
@ConditionalOnEnabledHealthIndicator("taskqueue")
public final class TaskQueueHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "taskqueueHealthIndicator", "taskqueueHealthContributor" })
	TaskQueueHealthIndicator taskqueueHealthIndicator(ConnectionFactory connectionFactory,
			ObjectProvider<RedisConnectionFactory> redisConnectionFactory, ObjectProvider<WorkerContainer> worker,
			QueueInspector queues, TaskQueueProperties properties) {
		boolean results = properties.getResult().getBackend() != TaskQueueProperties.Result.Backend.NONE;
		return new TaskQueueHealthIndicator(connectionFactory, results ? redisConnectionFactory.getIfAvailable() : null,
				worker.getIfAvailable(), queues);
	}

}
