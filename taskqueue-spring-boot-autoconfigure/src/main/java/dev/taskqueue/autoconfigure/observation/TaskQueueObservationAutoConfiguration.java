package dev.taskqueue.autoconfigure.observation;

import dev.taskqueue.observation.TaskExecuteContext;
import dev.taskqueue.observation.TaskExecuteObservationConvention;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.GlobalObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of the application's
 * {@link TaskExecuteObservationConvention}: the worker's {@code taskqueue.execute}
 * observations take it from the {@link ObservationRegistry}, where Spring Boot registers
 * every {@link GlobalObservationConvention} bean. (The application's
 * {@code TaskPublishObservationConvention} goes to the client directly.)
 */
@AutoConfiguration
@ConditionalOnClass(ObservationRegistry.class)
public final class TaskQueueObservationAutoConfiguration {

	@Bean
	@ConditionalOnBean(TaskExecuteObservationConvention.class)
	GlobalObservationConvention<TaskExecuteContext> taskQueueExecuteObservationConvention(
			TaskExecuteObservationConvention convention) {
		return new GlobalTaskExecuteObservationConvention(convention);
	}

	/**
	 * The application's convention, registered for every {@link TaskExecuteContext}.
	 */
	private record GlobalTaskExecuteObservationConvention(
			TaskExecuteObservationConvention delegate) implements GlobalObservationConvention<TaskExecuteContext> {

		@Override
		public boolean supportsContext(Observation.Context context) {
			return this.delegate.supportsContext(context);
		}

		@Override
		public @Nullable String getName() {
			return this.delegate.getName();
		}

		@Override
		public @Nullable String getContextualName(TaskExecuteContext context) {
			return this.delegate.getContextualName(context);
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(TaskExecuteContext context) {
			return this.delegate.getLowCardinalityKeyValues(context);
		}

		@Override
		public KeyValues getHighCardinalityKeyValues(TaskExecuteContext context) {
			return this.delegate.getHighCardinalityKeyValues(context);
		}

	}

}
