package dev.taskqueue.autoconfigure.endpoint;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.taskqueue.autoconfigure.endpoint.TaskQueueEndpoint.ActiveTaskDescriptor;
import dev.taskqueue.autoconfigure.endpoint.TaskQueueEndpoint.WorkerDescriptor;
import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.QueueInspector;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.internal.TaskRouter;
import dev.taskqueue.worker.ActiveTask;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.internal.TaskRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Whom the arguments of running tasks are shown to, following
 * {@code management.endpoint.taskqueue.show-values} and {@code roles} as Spring Boot's
 * {@code env} endpoint follows its own. No broker: the worker is a stand-in running one
 * task.
 */
class TaskQueueEndpointShowValuesTests {

	private static final SecurityContext ANONYMOUS = SecurityContext.NONE;

	private static final SecurityContext USER = user();

	private static final SecurityContext OPERATOR = user("ops");

	private final WorkerContainer worker = runningOneTask();

	@Test
	void neverShowsThemNotEvenToAnAuthorizedUser() {
		assertThat(args(Show.NEVER, Set.of(), OPERATOR)).isEqualTo("******");
		assertThat(kwargs(Show.NEVER, Set.of(), OPERATOR)).isEqualTo("******");
		assertThat(endpoint(Show.NEVER).describe().activeTasks()).singleElement()
			.extracting(ActiveTaskDescriptor::args)
			.isEqualTo("******");
	}

	@Test
	void alwaysShowsThemToAnyone() {
		assertThat(args(Show.ALWAYS, Set.of(), ANONYMOUS)).isEqualTo("[4, secret]");
		assertThat(kwargs(Show.ALWAYS, Set.of(), ANONYMOUS)).isEqualTo("{token=abc}");
	}

	@Test
	void whenAuthorizedShowsThemToAuthenticatedUsersOnly() {
		assertThat(args(Show.WHEN_AUTHORIZED, Set.of(), ANONYMOUS)).isEqualTo("******");
		assertThat(args(Show.WHEN_AUTHORIZED, Set.of(), USER)).isEqualTo("[4, secret]");
	}

	@Test
	void whenAuthorizedWithRolesShowsThemToUsersInOneOfTheRoles() {
		assertThat(args(Show.WHEN_AUTHORIZED, Set.of("ops"), USER)).isEqualTo("******");
		assertThat(args(Show.WHEN_AUTHORIZED, Set.of("ops"), OPERATOR)).isEqualTo("[4, secret]");
	}

	@Test
	void outsideHttpWhenAuthorizedShowsThem() {
		// As Spring Boot's endpoints: JMX has no user to ask about, access to it is the
		// authorization.
		assertThat(endpoint(Show.WHEN_AUTHORIZED).describe().activeTasks()).singleElement()
			.extracting(ActiveTaskDescriptor::args)
			.isEqualTo("[4, secret]");
	}

	private String args(Show show, Set<String> roles, SecurityContext securityContext) {
		return running(show, roles, securityContext).args();
	}

	private String kwargs(Show show, Set<String> roles, SecurityContext securityContext) {
		return running(show, roles, securityContext).kwargs();
	}

	private ActiveTaskDescriptor running(Show show, Set<String> roles, SecurityContext securityContext) {
		TaskQueueEndpointWebExtension extension = new TaskQueueEndpointWebExtension(endpoint(show),
				mock(TaskClient.class), show, roles);
		WorkerDescriptor described = extension.describe(securityContext);
		assertThat(described.activeTasks()).hasSize(1);
		return described.activeTasks().get(0);
	}

	private TaskQueueEndpoint endpoint(Show show) {
		return new TaskQueueEndpoint(this.worker, new TaskRegistry(), mock(TaskRouter.class),
				mock(QueueInspector.class), mock(ConnectionFactory.class), mock(ConfirmedPublisher.class), show);
	}

	private static WorkerContainer runningOneTask() {
		ActiveTask task = new ActiveTask("id-1", "endpoint.secret", "tasks", List.of(4, "secret"),
				Map.of("token", "abc"), Instant.now(), Duration.ZERO, null);
		WorkerContainer worker = mock(WorkerContainer.class);
		given(worker.getActiveTasks()).willReturn(List.of(task));
		given(worker.getQueues()).willReturn(List.of());
		given(worker.getSettings()).willReturn(WorkerSettings.builder("shown-worker", List.of("tasks")).build());
		return worker;
	}

	private static SecurityContext user(String... roles) {
		Principal principal = () -> "alice";
		return new SecurityContext() {

			@Override
			public @Nullable Principal getPrincipal() {
				return principal;
			}

			@Override
			public boolean isUserInRole(String role) {
				return List.of(roles).contains(role);
			}

		};
	}

}
