package dev.taskqueue.autoconfigure.metrics;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.broker.internal.QueueInspector;
import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.worker.WorkerContainer;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of taskqueue's Micrometer meters
 * ({@link TaskQueueMetrics}), when a {@link MeterRegistry} is available.
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, QueueInspector.class })
public final class TaskQueueMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TaskQueueMetrics taskQueueMetrics(ObjectProvider<WorkerContainer> worker, QueueInspector queues,
			ObjectProvider<EventDispatcher> events) {
		TaskQueueMetrics metrics = new TaskQueueMetrics(worker.getIfAvailable(), queues);
		metrics.setEventDispatcher(events.getIfAvailable());
		return metrics;
	}

}
