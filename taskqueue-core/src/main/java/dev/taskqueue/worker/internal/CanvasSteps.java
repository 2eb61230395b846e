package dev.taskqueue.worker.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.internal.CanvasPublisher.Frozen;
import dev.taskqueue.client.internal.CanvasPublisher.Parent;
import dev.taskqueue.client.internal.CanvasPublisher;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.internal.ExceptionInfoCodec;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.ChordPart;
import dev.taskqueue.result.internal.ResultBackend;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What a worker does for the canvas fields of a message's {@code embed}, as Celery 5.2's
 * worker does ({@code celery/app/trace.py}, {@code celery/backends/base.py} and
 * {@code redis.py}): callbacks and the next chain step after success; the chord part's
 * outcome after success or failure, and the chord's body when that part completes it;
 * after a failure, the chain steps that will never run are marked failed and the errbacks
 * are sent.
 */
final class CanvasSteps {

	private static final Log logger = LogFactory.getLog(CanvasSteps.class);

	private final TaskClient client;

	private final ResultBackend backend;

	private final ResultMetaFactory metas;

	private final CanvasPublisher canvas;

	CanvasSteps(TaskClient client, ResultBackend backend, ResultMetaFactory metas) {
		this.client = client;
		this.backend = backend;
		this.metas = metas;
		this.canvas = new CanvasPublisher(client, backend, null);
	}

	/**
	 * The callbacks of a task that succeeded, each plain task given its id first, so the
	 * task's result can name them among its children, as Celery's does.
	 * @param task the task that succeeded
	 * @param children where the callbacks' ids are added, in Celery's children format
	 * @return the callbacks to send once the result is stored
	 */
	List<Signature> callbacks(TaskMessage task, List<Object> children) {
		List<Signature> callbacks = signatures(task.embed().callbacks());
		for (int i = 0; i < callbacks.size(); i++) {
			Signature callback = callbacks.get(i);
			if (callback.getSubtaskType() == null) {
				Object id = callback.getOptions().get("task_id");
				String callbackId = (id != null) ? String.valueOf(id) : UUID.randomUUID().toString();
				callbacks.set(i, callback.withTaskId(callbackId));
				children.add(Arrays.asList(Arrays.asList(callbackId, null), null));
			}
		}
		return callbacks;
	}

	/**
	 * Send the errbacks of a task that failed for good, with the failed task's id as
	 * their only argument (Celery's wire format for them).
	 * @param task the task that failed
	 */
	void sendErrbacks(TaskMessage task) {
		List<Signature> errbacks = signatures(task.embed().errbacks());
		if (errbacks.isEmpty()) {
			return;
		}
		// Celery sends errbacks as a group, so they share a fresh group id.
		String group = UUID.randomUUID().toString();
		for (Signature errback : errbacks) {
			this.client
				.send(errback.withOptions(Map.of("parent_id", task.id(), "root_id", task.rootId(), "group_id", group))
					.toRequest(List.of(task.id()))
					.build());
		}
	}

	private static List<Signature> signatures(@Nullable List<?> maps) {
		if (maps == null || maps.isEmpty()) {
			return List.of();
		}
		List<Signature> signatures = new ArrayList<>(maps.size());
		for (Object map : maps) {
			signatures.add(Signature.fromMap((Map<?, ?>) map));
		}
		return signatures;
	}

	/**
	 * Pop the next chain step (the last element of {@code embed.chain}) and assign its
	 * ids, so the task's result can name it among its children before it is sent.
	 * @param task the task that succeeded
	 * @return the next step, or {@code null} when the task is no chain step
	 */
	@Nullable NextStep nextStep(TaskMessage task) {
		List<?> chain = task.embed().chain();
		if (chain == null || chain.isEmpty()) {
			return null;
		}
		Frozen next = this.canvas.freeze(Signature.fromMap((Map<?, ?>) chain.get(chain.size() - 1)));
		return new NextStep(next.signature(), new ArrayList<>(chain.subList(0, chain.size() - 1)),
				next.node().outermost().toTuple());
	}

	/**
	 * Send a callback with the task's result put in front of its arguments.
	 * @param callback the callback (a task or a canvas)
	 * @param task the task that succeeded
	 * @param result its result
	 */
	void sendCallback(Signature callback, TaskMessage task, @Nullable Object result) {
		Map<String, Object> options = new LinkedHashMap<>();
		options.put("parent_id", task.id());
		options.put("root_id", task.rootId());
		this.canvas.apply(callback, Arrays.asList(result), Map.of(), options, parent(task));
	}

	/**
	 * Send the next chain step with the task's result and the rest of the chain.
	 * @param next the step
	 * @param task the task that succeeded
	 * @param result its result
	 */
	void sendNext(NextStep next, TaskMessage task, @Nullable Object result) {
		Map<String, Object> options = new LinkedHashMap<>();
		options.put("chain", next.rest());
		options.put("parent_id", task.id());
		options.put("root_id", task.rootId());
		this.canvas.apply(next.signature(), Arrays.asList(result), Map.of(), options, parent(task));
	}

	/**
	 * Record the outcome of a chord header part and, if it completes the chord, send the
	 * body (or fail it when a part failed).
	 * @param task the task
	 * @param state its final state
	 * @param result its result, or its encoded exception
	 */
	void partReturned(TaskMessage task, TaskState state, @Nullable Object result) {
		Object chord = task.embed().chord();
		String groupId = task.group();
		if (chord instanceof Map<?, ?> body && groupId != null) {
			partReturned(groupId, task.groupIndex(), task.id(), state, result, body, parent(task));
		}
	}

	/**
	 * Mark the chain steps after a failed task failed too (they will never run), so a
	 * handle on the chain's last task does not wait forever; a step that is a chord
	 * header part counts as a failed part, as in Celery's {@code mark_as_failure}.
	 * @param task the task that failed
	 * @param exception its encoded exception
	 * @param traceback its traceback
	 */
	void chainFailed(TaskMessage task, Object exception, @Nullable String traceback) {
		List<?> chain = task.embed().chain();
		if (chain != null) {
			failSteps(chain, exception, traceback, parent(task));
		}
	}

	private void failSteps(List<?> chain, Object exception, @Nullable String traceback, @Nullable Parent parent) {
		for (Object element : chain) {
			Signature step = Signature.fromMap((Map<?, ?>) element);
			Map<String, @Nullable Object> options = step.getOptions();
			String groupId = text(options.get("group_id"));
			Set<String> ids = new LinkedHashSet<>();
			String ownId = text(options.get("task_id"));
			if (ownId != null) {
				ids.add(ownId);
			}
			ids.addAll(taskIds(step));
			for (String id : ids) {
				this.backend
					.store(this.metas.notRun(id, exception, traceback, groupId, text(options.get("parent_id"))));
			}
			if (options.get("chord") instanceof Map<?, ?> body && groupId != null && ownId != null && parent != null) {
				Object index = options.get("group_index");
				partReturned(groupId, (index instanceof Number n) ? n.intValue() : null, ownId, TaskState.FAILURE,
						exception, body, parent);
			}
		}
	}

	private void partReturned(String groupId, @Nullable Integer groupIndex, String taskId, TaskState state,
			@Nullable Object result, Map<?, ?> chord, Parent parent) {
		if (!this.backend.isEnabled()) {
			logger.warn("Task " + taskId + " is part of chord " + groupId + ", but no result backend keeps chords: "
					+ "its body will not run");
			return;
		}
		List<ChordPart> parts = this.backend.chordPartReturned(groupId, groupIndex, taskId, state, result);
		if (parts == null) {
			return;
		}
		Signature body = Signature.fromMap(chord);
		ChordPart failed = parts.stream().filter((part) -> part.state().isException()).findFirst().orElse(null);
		if (failed != null) {
			chordError(body, "Dependency " + failed.taskId() + " raised " + pythonRepr(failed.result()));
		}
		else {
			List<@Nullable Object> results = new ArrayList<>(parts.size());
			parts.forEach((part) -> results.add(part.result()));
			if (logger.isDebugEnabled()) {
				logger.debug("Chord " + groupId + " complete (" + parts.size() + " parts); sending its body "
						+ body.getTaskName());
			}
			this.canvas.apply(body, Arrays.asList((Object) results), Map.of(), Map.of(), parent);
		}
		this.backend.deleteChord(groupId);
	}

	/**
	 * Celery's {@code chord_error_from_stack}: the body fails with a {@code ChordError}
	 * and its errbacks are called with its id.
	 */
	private void chordError(Signature body, String message) {
		logger.info("Chord body " + body.getTaskName() + " fails: " + message);
		ExceptionInfo error = new ExceptionInfo("ChordError", "celery.exceptions", List.of(message), null);
		String traceback = "celery.exceptions.ChordError: " + message + "\n";
		List<String> ids = taskIds(body);
		for (String id : ids) {
			this.backend.store(this.metas.notRun(id, ExceptionInfoCodec.encode(error), traceback, null, null));
		}
		// A chord inside a chain: the steps after it will never run either.
		if (body.getOptions().get("chain") instanceof List<?> rest && !rest.isEmpty()) {
			failSteps(rest, ExceptionInfoCodec.encode(error), traceback, null);
		}
		List<?> errbacks = (body.getOptions().get("link_error") instanceof List<?> list) ? list : List.of();
		if (errbacks.isEmpty() || ids.isEmpty()) {
			return;
		}
		String bodyId = ids.get(0);
		Map<String, Object> options = new LinkedHashMap<>();
		options.put("parent_id", bodyId);
		options.put("root_id", bodyId);
		// Celery sends errbacks as a group, so they share a fresh group id.
		options.put("group_id", UUID.randomUUID().toString());
		for (Object errback : errbacks) {
			if (errback instanceof Map<?, ?> map) {
				this.canvas.apply(Signature.fromMap(map), List.of(bodyId), Map.of(), options, null);
			}
		}
	}

	/** The ids of the tasks whose results a signature's outcome is read from. */
	private static List<String> taskIds(Signature signature) {
		String type = signature.getSubtaskType();
		List<String> ids = new ArrayList<>();
		if ("chord".equals(type)) {
			Signature body = signature.getBody();
			if (body != null) {
				ids.addAll(taskIds(body));
			}
		}
		else if (type != null) {
			signature.getTasks().forEach((task) -> ids.addAll(taskIds(task)));
		}
		else {
			String id = text(signature.getOptions().get("task_id"));
			if (id != null) {
				ids.add(id);
			}
		}
		return ids;
	}

	private static Parent parent(TaskMessage task) {
		return new Parent(task.id(), task.rootId());
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? String.valueOf(value) : null;
	}

	/**
	 * Python's {@code repr} of a stored result; an encoded exception shows as
	 * {@code Type('message')}.
	 */
	static String pythonRepr(@Nullable Object value) {
		if (value instanceof Map<?, ?> map && map.get("exc_type") instanceof String type) {
			Object message = map.get("exc_message");
			List<?> args = (message instanceof List<?> list) ? list : (message != null) ? List.of(message) : List.of();
			StringBuilder sb = new StringBuilder(type).append('(');
			for (int i = 0; i < args.size(); i++) {
				sb.append((i > 0) ? ", " : "").append(pythonRepr(args.get(i)));
			}
			return sb.append(')').toString();
		}
		if (value == null) {
			return "None";
		}
		if (value instanceof Boolean bool) {
			return bool ? "True" : "False";
		}
		if (value instanceof String text) {
			return quote(text);
		}
		if (value instanceof List<?> list) {
			StringBuilder sb = new StringBuilder("[");
			for (int i = 0; i < list.size(); i++) {
				sb.append((i > 0) ? ", " : "").append(pythonRepr(list.get(i)));
			}
			return sb.append(']').toString();
		}
		if (value instanceof Map<?, ?> map) {
			StringBuilder sb = new StringBuilder("{");
			int i = 0;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				sb.append((i++ > 0) ? ", " : "")
					.append(pythonRepr(entry.getKey()))
					.append(": ")
					.append(pythonRepr(entry.getValue()));
			}
			return sb.append('}').toString();
		}
		return String.valueOf(value);
	}

	private static String quote(String text) {
		char quote = (text.indexOf('\'') >= 0 && text.indexOf('"') < 0) ? '"' : '\'';
		StringBuilder sb = new StringBuilder().append(quote);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '\\' -> sb.append("\\\\");
				case '\n' -> sb.append("\\n");
				case '\r' -> sb.append("\\r");
				case '\t' -> sb.append("\\t");
				default -> {
					if (c == quote) {
						sb.append('\\').append(c);
					}
					else if (c < 0x20 || c == 0x7f) {
						sb.append(String.format("\\x%02x", (int) c));
					}
					else {
						sb.append(c);
					}
				}
			}
		}
		return sb.append(quote).toString();
	}

	/**
	 * The next chain step, with its ids assigned.
	 *
	 * @param signature the step
	 * @param rest the chain after it, last step first
	 * @param child the step's result as the parent's {@code children} records it
	 */
	record NextStep(Signature signature, List<Object> rest, List<@Nullable Object> child) {

	}

}
