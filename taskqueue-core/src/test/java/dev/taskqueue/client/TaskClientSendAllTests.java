package dev.taskqueue.client;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The bulk send every {@link TaskClient} has: one send after the other, each failure
 * reported with its request.
 */
class TaskClientSendAllTests {

	private final OneAtATime client = new OneAtATime();

	@Test
	void sendsEachRequestInOrder() {
		List<TaskResult> results = this.client.sendAll(
				List.of(TaskRequest.builder("a").taskId("1").build(), TaskRequest.builder("b").taskId("2").build()));
		assertThat(results).extracting(TaskResult::getId).containsExactly("1", "2");
		assertThat(this.client.sent).containsExactly("1", "2");
	}

	@Test
	void reportsEveryFailureAndSendsTheRest() {
		TaskRequest refused = TaskRequest.builder("refused").taskId("2").build();
		TaskRequest invalid = TaskRequest.builder("invalid").taskId("4").build();
		List<TaskRequest> requests = List.of(TaskRequest.builder("a").taskId("1").build(), refused,
				TaskRequest.builder("b").taskId("3").build(), invalid);
		assertThatExceptionOfType(BulkSendException.class).isThrownBy(() -> this.client.sendAll(requests))
			.withMessage("2 of 4 tasks were not sent; the first, #1 (refused): nack")
			.satisfies((ex) -> {
				assertThat(ex.getTaskId()).isEqualTo("2");
				assertThat(ex.getFailures()).extracting(BulkSendException.Failure::index).containsExactly(1, 3);
				assertThat(ex.getFailures()).extracting(BulkSendException.Failure::request)
					.containsExactly(refused, invalid);
				assertThat(ex.getFailures().get(1).cause()).isInstanceOf(IllegalArgumentException.class);
				assertThat(ex.getSent()).extracting(TaskResult::getId).containsExactly("1", "3");
				assertThat(ex.getResults()).hasSize(4);
				assertThat(ex.getResults().get(1)).isNull();
			});
		assertThat(this.client.sent).containsExactly("1", "3");
	}

	/** Implements only {@code send}. */
	private static final class OneAtATime implements TaskClient {

		final List<String> sent = new ArrayList<>();

		@Override
		public TaskResult send(String name, @Nullable Object... args) {
			throw new UnsupportedOperationException();
		}

		@Override
		public TaskResult send(TaskRequest request) {
			if (request.getTaskName().equals("refused")) {
				throw new TaskPublishException("nack", request.getTaskId(), null);
			}
			if (request.getTaskName().equals("invalid")) {
				throw new IllegalArgumentException("invalid");
			}
			this.sent.add(request.getTaskId());
			return result(request.getTaskId());
		}

		@Override
		public TaskResult result(String taskId) {
			return (TaskResult) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { TaskResult.class },
					(proxy, method, args) -> {
						if (method.getName().equals("getId")) {
							return taskId;
						}
						throw new UnsupportedOperationException(method.getName());
					});
		}

		@Override
		public void revoke(String taskId, boolean terminate) {
			throw new UnsupportedOperationException();
		}

		@Override
		public CanvasCall<TaskResult> chain(Signature... steps) {
			throw new UnsupportedOperationException();
		}

		@Override
		public CanvasCall<TaskResult> chain(List<Signature> steps) {
			throw new UnsupportedOperationException();
		}

		@Override
		public CanvasCall<GroupResult> group(Signature... members) {
			throw new UnsupportedOperationException();
		}

		@Override
		public CanvasCall<GroupResult> group(List<Signature> members) {
			throw new UnsupportedOperationException();
		}

		@Override
		public CanvasCall<TaskResult> chord(List<Signature> header, Signature body) {
			throw new UnsupportedOperationException();
		}

		@Override
		public @Nullable GroupResult restoreGroup(String groupId) {
			return null;
		}

	}

}
