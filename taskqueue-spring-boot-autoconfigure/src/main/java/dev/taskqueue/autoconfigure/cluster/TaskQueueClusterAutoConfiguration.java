package dev.taskqueue.autoconfigure.cluster;

import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.control.internal.WorkerEventMonitor;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of the cluster of Java and Python workers
 * on the application's RabbitMQ connection factory: a {@link ClusterControl} to inspect
 * and control every worker over Celery's remote control, the {@link EventDispatcher} that
 * publishes Celery monitoring events (the client's {@code task-sent} when
 * {@code taskqueue.client.send-sent-event} is on), and, unless
 * {@code taskqueue.cluster.monitor-workers=false}, the {@link WorkerEventMonitor} through
 * which the worker directory lists Celery workers.
 * <p>
 * The client and the dispatcher touch the broker only when first used.
 */
@AutoConfiguration(afterName = "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration")
@ConditionalOnClass(ConnectionFactory.class)
@ConditionalOnBean(ConnectionFactory.class)
@EnableConfigurationProperties(TaskQueueClusterProperties.class)
public final class TaskQueueClusterAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClusterControl taskQueueClusterControl(ConnectionFactory connectionFactory, TaskQueueClusterProperties properties) {
		ClusterControl cluster = new ClusterControl(connectionFactory);
		cluster.setNamespace(properties.getControlExchange());
		cluster.setTimeout(properties.getTimeout());
		return cluster;
	}

	@Bean
	@ConditionalOnMissingBean
	EventDispatcher taskQueueEventDispatcher(ConnectionFactory connectionFactory,
			TaskQueueClusterProperties properties) {
		EventDispatcher dispatcher = new EventDispatcher(connectionFactory);
		dispatcher.setExchange(properties.getEventExchange());
		return dispatcher;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "taskqueue.cluster.monitor-workers", matchIfMissing = true)
	WorkerEventMonitor taskQueueWorkerEventMonitor(ConnectionFactory connectionFactory,
			TaskQueueClusterProperties properties, EventDispatcher dispatcher) {
		WorkerEventMonitor monitor = new WorkerEventMonitor(connectionFactory);
		monitor.setExchange(properties.getEventExchange());
		monitor.setClock(dispatcher.getClock());
		return monitor;
	}

}
