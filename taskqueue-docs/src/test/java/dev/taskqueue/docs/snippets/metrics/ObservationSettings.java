package dev.taskqueue.docs.snippets.metrics;

import dev.taskqueue.observation.DefaultTaskExecuteObservationConvention;
import dev.taskqueue.observation.TaskExecuteContext;
import dev.taskqueue.observation.TaskExecuteObservationConvention;
import io.micrometer.common.KeyValues;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

// tag::convention[]
@Configuration(proxyBeanMethods = false)
class ObservationSettings {

	// adds the namespace, "reports" for "reports.daily", to timers and spans
	@Bean
	TaskExecuteObservationConvention taskExecuteObservationConvention() {
		return new DefaultTaskExecuteObservationConvention() {

			@Override
			public KeyValues getLowCardinalityKeyValues(TaskExecuteContext context) {
				String name = context.getTaskName();
				String namespace = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
				return super.getLowCardinalityKeyValues(context).and("task.namespace", namespace);
			}

		};
	}

}
// end::convention[]
