package dev.taskqueue.test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.taskqueue.client.GroupResult;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.internal.StoredGroupResult;
import dev.taskqueue.client.internal.StoredTaskResult;
import dev.taskqueue.protocol.internal.CeleryTime;
import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.ExceptionInfoCodec;
import dev.taskqueue.result.internal.ResultCodec;
import dev.taskqueue.result.internal.ResultMeta;
import dev.taskqueue.test.internal.InMemoryResultBackend;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

/**
 * Factories of {@link TaskResult} and {@link GroupResult} in any state, for tests of code
 * that receives results (a mocked {@link TaskClient}, a service that reports on tasks).
 * The results behave as the client's do: their value goes through the result codec, a
 * failed one's {@code get} throws {@link dev.taskqueue.client.TaskFailedException}, a
 * pending one's times out, and {@code revoke()} makes it {@code REVOKED}.
 */
public final class TaskResults {

	private static final JsonMapper mapper = JsonMapper.shared();

	private static final InMemoryResultBackend backend = new InMemoryResultBackend(new ResultCodec(mapper));

	private static final TaskClient revoker = revoker();

	private TaskResults() {
	}

	/**
	 * A result of a task that has not finished (nothing is stored for it).
	 * @return the result, with a random id
	 */
	public static TaskResult pending() {
		return pending(newId());
	}

	/**
	 * A result of a task that has not finished.
	 * @param id the task id
	 * @return the result
	 */
	public static TaskResult pending(String id) {
		return handle(id);
	}

	/**
	 * A result of a task that succeeded.
	 * @param value what the task returned
	 * @return the result, with a random id
	 */
	public static TaskResult success(@Nullable Object value) {
		return success(newId(), value);
	}

	/**
	 * A result of a task that succeeded.
	 * @param id the task id
	 * @param value what the task returned
	 * @return the result
	 */
	public static TaskResult success(String id, @Nullable Object value) {
		return inState(id, TaskState.SUCCESS, value);
	}

	/**
	 * A result of a task that failed.
	 * @param exception what the task raised
	 * @return the result, with a random id
	 */
	public static TaskResult failure(Throwable exception) {
		return failure(newId(), ExceptionInfo.of(exception, null));
	}

	/**
	 * A result of a task that failed, as a task in any language reports it.
	 * @param id the task id
	 * @param exception the exception's type, module, arguments and traceback
	 * @return the result
	 */
	public static TaskResult failure(String id, ExceptionInfo exception) {
		Assert.notNull(exception, "'exception' must not be null");
		return store(id, TaskState.FAILURE, ExceptionInfoCodec.encode(exception), exception.traceback());
	}

	/**
	 * A result in any state, such as {@code STARTED}, {@code RETRY} or {@code REVOKED},
	 * with what the result store keeps for it.
	 * @param id the task id
	 * @param state the state
	 * @param info the result of a successful task, or the state's information (for a
	 * failure, the encoded exception of {@link #failure(String, ExceptionInfo)})
	 * @return the result
	 */
	public static TaskResult inState(String id, TaskState state, @Nullable Object info) {
		Assert.notNull(state, "'state' must not be null");
		if (state == TaskState.PENDING) {
			return pending(id);
		}
		return store(id, state, info, null);
	}

	/**
	 * A group of results, in order.
	 * @param members the members, such as results from this class
	 * @return the group, with a random id
	 */
	public static GroupResult group(TaskResult... members) {
		return group(newId(), List.of(members));
	}

	/**
	 * A group of results, in order. Members made by this class keep their state; other
	 * members are taken as pending.
	 * @param id the group id
	 * @param members the members
	 * @return the group
	 */
	public static GroupResult group(String id, List<TaskResult> members) {
		return new StoredGroupResult(id, members.stream().map(TaskResult::getId).toList(), backend, mapper, revoker);
	}

	private static TaskResult store(String id, TaskState state, @Nullable Object info, @Nullable String traceback) {
		Assert.hasText(id, "'id' must not be empty");
		backend.store(new ResultMeta(id, state, info, traceback, List.of(),
				state.isReady() ? CeleryTime.formatNaiveUtc(Instant.now()) : null, null, null, null, null, null, null,
				null, null));
		return handle(id);
	}

	private static TaskResult handle(String id) {
		return new StoredTaskResult(id, backend, mapper, revoker);
	}

	private static String newId() {
		return UUID.randomUUID().toString();
	}

	// The results' revoke() marks them revoked; nothing else of a client is needed.
	private static TaskClient revoker() {
		return (TaskClient) Proxy.newProxyInstance(TaskResults.class.getClassLoader(),
				new Class<?>[] { TaskClient.class }, (proxy, method, args) -> {
					if (method.getName().equals("revoke") && args != null && args.length >= 1
							&& args[0] instanceof String id) {
						backend.store(new ResultMeta(id, TaskState.REVOKED,
								ExceptionInfoCodec.encode(new ExceptionInfo("TaskRevokedError", "celery.exceptions",
										List.of("revoked"), null)),
								null, List.of(), CeleryTime.formatNaiveUtc(Instant.now()), null, null, null, null, null,
								null, null, null));
						return null;
					}
					if (method.getName().equals("toString")) {
						return "TaskResults";
					}
					throw new UnsupportedOperationException(
							"A result made by TaskResults has no client: " + method.getName() + " is not available");
				});
	}

}
