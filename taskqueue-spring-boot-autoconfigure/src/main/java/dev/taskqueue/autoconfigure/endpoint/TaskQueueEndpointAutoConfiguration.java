package dev.taskqueue.autoconfigure.endpoint;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.broker.ConfirmedPublisher;
import dev.taskqueue.broker.QueueInspector;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.ratelimit.RateLimits;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.worker.TaskRegistry;
import dev.taskqueue.worker.WorkerContainer;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of the {@link TaskQueueEndpoint taskqueue
 * endpoint} on applications that run a worker.
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(WorkerContainer.class)
@ConditionalOnAvailableEndpoint(TaskQueueEndpoint.class)
public final class TaskQueueEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TaskQueueEndpoint taskQueueEndpoint(WorkerContainer worker, TaskRegistry registry, TaskRouter router,
			QueueInspector queues, ConnectionFactory connectionFactory, ConfirmedPublisher publisher,
			TaskClient client, ObjectProvider<RateLimits> rateLimits) {
		TaskQueueEndpoint endpoint = new TaskQueueEndpoint(worker, registry, router, queues, connectionFactory,
				publisher, client);
		endpoint.setRateLimits(rateLimits.getIfAvailable());
		return endpoint;
	}

}
