package dev.taskqueue.autoconfigure.endpoint;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.QueueInspector;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.internal.TaskRouter;
import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.RateLimits;
import dev.taskqueue.control.WorkerDirectory;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.internal.TaskRegistry;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of the {@link TaskQueueEndpoint taskqueue
 * endpoint} and its {@link TaskQueueEndpointWebExtension web extension}: the whole
 * endpoint on applications that run a worker, the cluster's workers and the cluster-wide
 * operations (revoke, rate limits) on dispatcher-only ones.
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(TaskClient.class)
@ConditionalOnAvailableEndpoint(TaskQueueEndpoint.class)
@EnableConfigurationProperties(TaskQueueEndpointProperties.class)
public final class TaskQueueEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TaskQueueEndpoint taskQueueEndpoint(ObjectProvider<WorkerContainer> worker, ObjectProvider<TaskRegistry> registry,
			TaskRouter router, QueueInspector queues, ConnectionFactory connectionFactory, ConfirmedPublisher publisher,
			ObjectProvider<WorkerDirectory> workers, TaskQueueEndpointProperties properties) {
		TaskQueueEndpoint endpoint = new TaskQueueEndpoint(worker.getIfAvailable(), registry.getIfAvailable(), router,
				queues, connectionFactory, publisher, properties.getShowValues());
		endpoint.setWorkerDirectory(workers.getIfAvailable());
		return endpoint;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(TaskQueueEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	TaskQueueEndpointWebExtension taskQueueEndpointWebExtension(TaskQueueEndpoint endpoint, TaskClient client,
			ObjectProvider<RateLimits> rateLimits, ObjectProvider<ClusterControl> cluster,
			TaskQueueEndpointProperties properties) {
		TaskQueueEndpointWebExtension extension = new TaskQueueEndpointWebExtension(endpoint, client,
				properties.getShowValues(), properties.getRoles());
		extension.setRateLimits(rateLimits.getIfAvailable());
		extension.setClusterControl(cluster.getIfAvailable());
		return extension;
	}

}
