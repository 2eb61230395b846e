package dev.taskqueue.autoconfigure.endpoint;

import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.QueueInspector;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.internal.TaskRouter;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * When the endpoint and its web extension exist, and how their properties bind. No
 * broker: the beans they use are stand-ins.
 */
class TaskQueueEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueEndpointAutoConfiguration.class))
		.withBean(TaskClient.class, () -> mock(TaskClient.class))
		.withBean(TaskRouter.class, () -> mock(TaskRouter.class))
		.withBean(QueueInspector.class, () -> mock(QueueInspector.class))
		.withBean(ConnectionFactory.class, () -> mock(ConnectionFactory.class))
		.withBean(ConfirmedPublisher.class, () -> mock(ConfirmedPublisher.class));

	@Test
	void exposedOverHttpTheEndpointHasItsWebExtension() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=taskqueue")
			.run((context) -> assertThat(context).hasSingleBean(TaskQueueEndpoint.class)
				.hasSingleBean(TaskQueueEndpointWebExtension.class));
	}

	@Test
	void exposedOverJmxOnlyTheEndpointHasNoWebExtension() {
		this.contextRunner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=taskqueue")
			.run((context) -> assertThat(context).hasSingleBean(TaskQueueEndpoint.class)
				.doesNotHaveBean(TaskQueueEndpointWebExtension.class));
	}

	@Test
	void notExposedThereIsNoEndpoint() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueEndpoint.class)
			.doesNotHaveBean(TaskQueueEndpointWebExtension.class));
	}

	@Test
	void argumentsAreNeverShownUnlessConfigured() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=taskqueue")
			.run((context) -> assertThat(context.getBean(TaskQueueEndpointProperties.class).getShowValues())
				.isEqualTo(Show.NEVER));
	}

	@Test
	void showValuesAndRolesBind() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=taskqueue",
					"management.endpoint.taskqueue.show-values=when-authorized",
					"management.endpoint.taskqueue.roles=ops,admin")
			.run((context) -> {
				TaskQueueEndpointProperties properties = context.getBean(TaskQueueEndpointProperties.class);
				assertThat(properties.getShowValues()).isEqualTo(Show.WHEN_AUTHORIZED);
				assertThat(properties.getRoles()).containsExactlyInAnyOrder("ops", "admin");
			});
	}

	@Test
	void unknownShowValuesFailsNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=taskqueue",
					"management.endpoint.taskqueue.show-values=sometimes")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("management.endpoint.taskqueue.show-values")
				.hasStackTraceContaining("sometimes"));
	}

}
