package dev.taskqueue.autoconfigure;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskInterfaceFactory;
import dev.taskqueue.protocol.internal.TaskMessageCodec;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of the {@link TaskInterfaceFactory} that
 * the task interfaces imported with {@link dev.taskqueue.client.ImportTaskInterfaces} are
 * created with: it sends through the application's {@link TaskClient} and converts
 * results with the mapper of the task messages.
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class)
@ConditionalOnBean({ TaskClient.class, TaskMessageCodec.class })
@EnableConfigurationProperties(TaskInterfacesProperties.class)
public final class TaskInterfacesAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TaskInterfaceFactory taskInterfaceFactory(TaskClient client, TaskMessageCodec codec,
			TaskInterfacesProperties properties) {
		return new TaskInterfaceFactory(client, codec.mapper(),
				PropertyChecks.positive("taskqueue.task-interfaces.timeout", properties.getTimeout()));
	}

}
