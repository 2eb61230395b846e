package dev.taskqueue.client.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.taskqueue.client.BulkSendException;
import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.result.internal.ResultBackend;
import org.jspecify.annotations.Nullable;

/**
 * Sends signatures of every kind as Celery 5.2's canvas does ({@code celery/canvas.py}),
 * so the messages, ids and Redis bookkeeping are the ones a Celery worker expects and
 * makes:
 * <ul>
 * <li>a <b>chain</b> publishes only its first task; the other steps travel in
 * {@code embed.chain}, last step first, each with its task id already assigned (Celery's
 * {@code prepare_steps}); a group followed by another step becomes a chord with that step
 * as its body;</li>
 * <li>a <b>group</b> publishes its members with a shared group id (nested groups are
 * flattened), all at once with {@link TaskClient#sendAll(List)};</li>
 * <li>a <b>chord</b> writes its size to {@code celery-taskset-meta-<gid>.s}, then
 * publishes the header tasks as a group whose members carry the body in
 * {@code embed.chord} and their position in {@code group_index}.</li>
 * </ul>
 * When some tasks of a group are not sent, the {@link BulkSendException} names each of
 * them with its request, ready to be sent again with the same id (which completes a
 * chord); when none was sent, the chords it set up are removed from the backend. Workers
 * use the same code to send the next chain step and a chord's body.
 */
public final class CanvasPublisher {

	private static final String CHAIN = "chain";

	private static final String GROUP = "group";

	private static final String CHORD = "chord";

	private final TaskClient client;

	private final ResultBackend backend;

	private final @Nullable String replyTo;

	/**
	 * Create a publisher.
	 * @param client sends the tasks
	 * @param backend keeps chord sizes
	 * @param replyTo the {@code reply_to} written into signatures when their ids are
	 * assigned (Celery's {@code app.thread_oid}), or {@code null} to leave it out
	 */
	public CanvasPublisher(TaskClient client, ResultBackend backend, @Nullable String replyTo) {
		this.client = client;
		this.backend = backend;
		this.replyTo = replyTo;
	}

	/**
	 * Send a signature as Celery's
	 * {@code signature(sig).apply_async(args, kwargs, **options)}.
	 * @param signature the task, chain, group or chord
	 * @param args arguments put in front of the signature's own (unless it is immutable)
	 * @param kwargs keyword arguments merged into the signature's own
	 * @param options send options (Celery's names) merged into the signature's own
	 * @param parent the running task that sends it (its id becomes the default
	 * {@code parent_id}, its root the default {@code root_id}), or {@code null}
	 * @return what it produced: a chain's last task, a group, a chord's body
	 * @throws IllegalArgumentException if the chain is empty, or a group is given a link
	 */
	public ResultNode apply(Signature signature, List<?> args, Map<String, ?> kwargs, Map<String, ?> options,
			@Nullable Parent parent) {
		return apply(signature, args, kwargs, options, parent, null);
	}

	/**
	 * Send a signature, or, with a batch, add the tasks it publishes to the batch, which
	 * the outermost group sends at once.
	 */
	private ResultNode apply(Signature signature, List<?> args, Map<String, ?> kwargs, Map<String, ?> options,
			@Nullable Parent parent, @Nullable Batch batch) {
		Map<String, @Nullable Object> opts = withoutNulls(options);
		String type = signature.getSubtaskType();
		if (CHAIN.equals(type)) {
			return applyChain(signature, args, kwargs, opts, parent, batch);
		}
		if (GROUP.equals(type)) {
			return applyGroup(signature, args, kwargs, opts, parent, batch);
		}
		if (CHORD.equals(type)) {
			return applyChord(signature, args, opts, parent, batch);
		}
		return applyTask(signature, args, kwargs, opts, parent, batch);
	}

	/**
	 * Assign the ids a signature will run with (Celery's {@code freeze()}), without
	 * sending it.
	 * @param signature the signature
	 * @return the signature with its ids, and what it will produce
	 */
	public Frozen freeze(Signature signature) {
		return freeze(signature, null, null, null, null, null, null);
	}

	/**
	 * How many header parts a signature counts for in a chord (Celery's
	 * {@code _chord._descend}): one per task, the sum over a group, a chain's last step,
	 * a chord's body.
	 * @param signature the signature
	 * @return the count
	 */
	public static int chordSize(Signature signature) {
		String type = signature.getSubtaskType();
		if (GROUP.equals(type)) {
			return signature.getTasks().stream().mapToInt(CanvasPublisher::chordSize).sum();
		}
		if (CHAIN.equals(type)) {
			List<Signature> steps = signature.getTasks();
			for (int i = steps.size() - 1; i >= 0; i--) {
				int size = chordSize(steps.get(i));
				if (size > 0) {
					return size;
				}
			}
			return 0;
		}
		if (CHORD.equals(type)) {
			Signature body = signature.getBody();
			return (body != null) ? chordSize(body) : 0;
		}
		return 1;
	}

	private ResultNode applyTask(Signature signature, List<?> args, Map<String, ?> kwargs,
			Map<String, @Nullable Object> options, @Nullable Parent parent, @Nullable Batch batch) {
		Signature merged = signature.clone(args, kwargs, options);
		if (parent != null) {
			// Celery's send_task: a task sent from a running task defaults to it as
			// parent and root.
			if (merged.getOptions().get("parent_id") == null) {
				merged = merged.withOption("parent_id", parent.id());
			}
			if (merged.getOptions().get("root_id") == null) {
				merged = merged.withOption("root_id", parent.rootId());
			}
		}
		TaskRequest.Builder request = merged.toRequest(List.of());
		if (batch == null) {
			return ResultNode.task(this.client.send(request.build()).getId());
		}
		String taskId = text(merged.getOptions().get("task_id"));
		if (taskId == null) {
			taskId = UUID.randomUUID().toString();
			request.taskId(taskId);
		}
		batch.requests.add(request.build());
		return ResultNode.task(taskId);
	}

	private @Nullable ResultNode applyChain(Signature chain, List<?> args, Map<String, ?> kwargs,
			Map<String, @Nullable Object> callOptions, @Nullable Parent parent, @Nullable Batch batch) {
		List<?> chainArgs = (!args.isEmpty() && !chain.isImmutable()) ? concat(args, chain.getArgs()) : chain.getArgs();
		Map<String, @Nullable Object> options = merge(chain.getOptions(), callOptions);
		String taskId = text(options.remove("task_id"));
		Object link = options.remove("link");
		Object linkError = options.remove("link_error");
		String groupId = text(options.remove("group_id"));
		Object chord = options.remove("chord");
		String rootId = text(options.remove("root_id"));
		options.remove("parent_id");
		Integer groupIndex = integer(options.remove("group_index"));
		Steps steps = prepareSteps(chainArgs, kwargs, chain.getTasks(), rootId, signatures(linkError), taskId, groupId,
				chord, groupIndex);
		if (steps.tasks.isEmpty()) {
			throw new IllegalArgumentException("A chain needs at least one step");
		}
		List<Signature> tasks = steps.tasks;
		for (Signature callback : signatures(link)) {
			tasks.set(0, tasks.get(0).withLink(callback));
		}
		Signature first = tasks.remove(tasks.size() - 1);
		List<Object> rest = new ArrayList<>();
		if (options.get("chain") instanceof List<?> existing) {
			rest.addAll(existing);
		}
		tasks.forEach((task) -> rest.add(task.toMap()));
		options.put("chain", rest);
		ResultNode applied = apply(first, List.of(), Map.of(), options, parent, batch);
		return tasks.isEmpty() ? applied : steps.results.get(0);
	}

	private ResultNode applyGroup(Signature group, List<?> args, Map<String, ?> kwargs,
			Map<String, @Nullable Object> callOptions, @Nullable Parent parent, @Nullable Batch outer) {
		if (callOptions.containsKey("link")) {
			throw new IllegalArgumentException("A group cannot have a link: use a chord");
		}
		if (callOptions.containsKey("link_error")) {
			throw new IllegalArgumentException("A group cannot have a link_error: give it to its members");
		}
		if (group.getTasks().isEmpty()) {
			return freeze(group).node();
		}
		Map<String, @Nullable Object> options = merge(group.getOptions(), callOptions);
		String groupId = text(options.remove("task_id"));
		if (groupId == null) {
			groupId = UUID.randomUUID().toString();
		}
		options.put("group_id", groupId);
		options.remove("chord");
		String rootId = text(options.get("root_id"));
		List<Frozen> members = new ArrayList<>();
		for (Signature member : flatten(group.getTasks())) {
			members.add(freeze(member, null, groupId, null, rootId, null, null));
		}
		Object chord = null;
		int size = 0;
		for (Frozen member : members) {
			size += chordSize(member.signature());
			Object memberChord = chordOf(member.signature());
			chord = (memberChord != null) ? memberChord : chord;
		}
		// Nested in another group (or in a chain or chord inside one), the members join
		// the outermost group's batch.
		Batch batch = (outer != null) ? outer : new Batch();
		if (chord != null) {
			// Celery writes the size as it publishes the last part; writing it before
			// any part is published is as safe.
			this.backend.setChordSize(groupId, size);
			batch.chords.add(groupId);
		}
		for (Frozen member : members) {
			Map<String, @Nullable Object> memberOptions = new LinkedHashMap<>(options);
			Object memberChord = chordOf(member.signature());
			if (memberChord != null) {
				memberOptions.put("chord", memberChord);
			}
			apply(member.signature(), args, kwargs, memberOptions, parent, batch);
		}
		if (outer == null) {
			send(batch);
		}
		return new ResultNode(groupId, null, members.stream().map(Frozen::node).toList());
	}

	/**
	 * Publish a group's tasks at once: the broker's confirms are awaited together, and
	 * each task not sent is reported. A chord none of whose tasks was sent is removed,
	 * since nothing will ever complete it; one with some tasks sent is kept, so that
	 * sending the failed ones again completes it.
	 */
	private void send(Batch batch) {
		if (batch.requests.isEmpty()) {
			return;
		}
		try {
			this.client.sendAll(batch.requests);
		}
		catch (BulkSendException ex) {
			if (ex.getSent().isEmpty()) {
				for (String chord : batch.chords) {
					try {
						this.backend.deleteChord(chord);
					}
					catch (RuntimeException cleanup) {
						ex.addSuppressed(cleanup);
					}
				}
			}
			throw ex;
		}
	}

	private ResultNode applyChord(Signature chord, List<?> args, Map<String, @Nullable Object> callOptions,
			@Nullable Parent parent, @Nullable Batch batch) {
		List<?> chordArgs = (!args.isEmpty() && !chord.isImmutable()) ? concat(args, chord.getArgs()) : chord.getArgs();
		Map<String, @Nullable Object> bodyOptions = new LinkedHashMap<>(callOptions);
		String callTaskId = text(bodyOptions.remove("task_id"));
		Signature body = required(chord.getBody(), "A chord needs a body").clone(List.of(), Map.of(), bodyOptions);
		Signature header = required(chord.getHeader(), "A chord needs a header");
		Map<String, @Nullable Object> options = merge(chord.getOptions(), bodyOptions);
		String optionTaskId = text(options.remove("task_id"));
		String taskId = (callTaskId != null) ? callTaskId : optionTaskId;
		// chord.run()
		String groupId = text(header.getOptions().get("task_id"));
		if (groupId == null) {
			groupId = UUID.randomUUID().toString();
		}
		String rootId = text(body.getOptions().get("root_id"));
		// run()'s own parameters, which Celery never passes on (so countdown delays the
		// body only)
		for (String swallowed : List.of("interval", "countdown", "max_retries", "eager")) {
			options.remove(swallowed);
		}
		body = body.withOptions(options);
		Frozen frozenBody = freeze(body, taskId, null, null, rootId, null, null);
		for (String notForHeader : List.of("chain", "chord", "task_id", "link", "link_error")) {
			options.remove(notForHeader);
		}
		Frozen frozenHeader = freeze(header, null, groupId, frozenBody.signature().toMap(), rootId, null, null);
		if (!frozenHeader.signature().getTasks().isEmpty()) {
			Map<String, @Nullable Object> headerOptions = new LinkedHashMap<>(options);
			headerOptions.put("task_id", groupId);
			apply(frozenHeader.signature(), chordArgs, Map.of(), headerOptions, parent, batch);
		}
		else {
			apply(frozenBody.signature(), List.of(List.of()), Map.of(), Map.of(), parent, batch);
		}
		return new ResultNode(frozenBody.node().id(), frozenHeader.node(), frozenBody.node().members());
	}

	private Frozen freeze(Signature signature, @Nullable String id, @Nullable String groupId, @Nullable Object chord,
			@Nullable String rootId, @Nullable String parentId, @Nullable Integer groupIndex) {
		String type = signature.getSubtaskType();
		if (CHAIN.equals(type)) {
			// The chain keeps its own arguments for when it is applied; its kwargs hold
			// its steps.
			Steps steps = prepareSteps(List.of(), Map.of(), signature.getTasks(), rootId, List.of(), id, groupId, chord,
					groupIndex);
			List<Signature> forward = new ArrayList<>(steps.tasks);
			Collections.reverse(forward);
			Signature frozen = signature.withTasks(forward);
			return new Frozen(frozen,
					steps.results.isEmpty() ? ResultNode.task(UUID.randomUUID().toString()) : steps.results.get(0));
		}
		if (GROUP.equals(type)) {
			Map<String, @Nullable Object> options = new LinkedHashMap<>(signature.getOptions());
			String gid = text(options.get("task_id"));
			if (gid == null) {
				gid = (groupId != null) ? groupId : UUID.randomUUID().toString();
				options.put("task_id", gid);
			}
			if (groupId != null) {
				options.put("group_id", groupId);
			}
			if (chord != null) {
				options.put("chord", chord);
			}
			if (groupIndex != null) {
				options.put("group_index", groupIndex);
			}
			// Celery's setdefault: the keys are written even when null.
			if (!options.containsKey("root_id")) {
				options.put("root_id", rootId);
			}
			if (!options.containsKey("parent_id")) {
				options.put("parent_id", parentId);
			}
			String memberRoot = text(options.get("root_id"));
			String memberParent = text(options.get("parent_id"));
			List<Signature> members = new ArrayList<>();
			List<ResultNode> nodes = new ArrayList<>();
			int index = 0;
			for (Signature member : flatten(signature.getTasks())) {
				Frozen frozen = freeze(member, null, groupId, chord, memberRoot, memberParent, index++);
				members.add(frozen.signature());
				nodes.add(frozen.node());
			}
			Signature frozen = signature.withTasks(members).withOptions(options);
			return new Frozen(frozen, new ResultNode(gid, null, nodes));
		}
		if (CHORD.equals(type)) {
			Frozen body = freeze(required(signature.getBody(), "A chord needs a body"), id, groupId, chord, rootId,
					null, groupIndex);
			Frozen header = freeze(required(signature.getHeader(), "A chord needs a header"), null, null,
					body.signature().toMap(), rootId, parentId, null);
			Signature frozen = signature.withHeader(header.signature())
				.withBody(body.signature())
				.withOptions(Map.of("task_id", header.node().id()));
			return new Frozen(frozen, new ResultNode(body.node().id(), header.node(), body.node().members()));
		}
		Map<String, @Nullable Object> options = new LinkedHashMap<>(signature.getOptions());
		String taskId = text(options.get("task_id"));
		if (taskId == null) {
			taskId = (id != null) ? id : UUID.randomUUID().toString();
			options.put("task_id", taskId);
		}
		if (rootId != null) {
			options.put("root_id", rootId);
		}
		if (parentId != null) {
			options.put("parent_id", parentId);
		}
		if (!options.containsKey("reply_to") && this.replyTo != null) {
			options.put("reply_to", this.replyTo);
		}
		if (groupId != null && !options.containsKey("group_id")) {
			options.put("group_id", groupId);
		}
		if (chord != null) {
			options.put("chord", chord);
		}
		if (groupIndex != null) {
			options.put("group_index", groupIndex);
		}
		return new Frozen(signature.withOptions(options), ResultNode.task(taskId));
	}

	/**
	 * Celery's {@code prepare_steps}: freeze the steps from the last to the first,
	 * upgrading a group followed by a step to a chord; the first step gets the chain's
	 * arguments.
	 * @return the steps last first, and their results (the last step's first)
	 */
	private Steps prepareSteps(List<?> args, Map<String, ?> kwargs, List<Signature> tasks, @Nullable String rootId,
			List<Signature> linkErrors, @Nullable String lastTaskId, @Nullable String groupId,
			@Nullable Object chordBody, @Nullable Integer groupIndex) {
		Deque<Signature> steps = new ArrayDeque<>(tasks);
		List<Signature> out = new ArrayList<>();
		List<ResultNode> results = new ArrayList<>();
		Signature previous = null;
		ResultNode previousResult = null;
		int frozenCount = 0;
		while (!steps.isEmpty()) {
			Signature task = steps.pollLast();
			if (GROUP.equals(task.getSubtaskType()) && task.getTasks().size() == 1) {
				task = task.getTasks().get(0);
			}
			if (CHAIN.equals(task.getSubtaskType())) {
				// Splice a nested chain in; its own arguments go to its first step.
				List<Signature> inner = new ArrayList<>(task.getTasks());
				if (!inner.isEmpty() && !task.getArgs().isEmpty()) {
					inner.set(0, inner.get(0).clone(task.getArgs(), Map.of(), Map.of()));
				}
				steps.addAll(inner);
				continue;
			}
			boolean isFirst = steps.isEmpty();
			boolean isLast = frozenCount == 0;
			if (isFirst) {
				task = task.clone(args, kwargs, Map.of());
			}
			if (GROUP.equals(task.getSubtaskType()) && previous != null && previousResult != null) {
				// group(...) | s -> chord(group, s)
				out.remove(out.size() - 1);
				results.remove(results.size() - 1);
				Map<String, @Nullable Object> chordOptions = new LinkedHashMap<>();
				chordOptions.put("task_id", previousResult.id());
				if (rootId != null) {
					chordOptions.put("root_id", rootId);
				}
				task = Signature.chord(List.of(), previous).withHeader(task).withOptions(chordOptions);
			}
			if (CHORD.equals(task.getSubtaskType())) {
				// Errbacks of a chord belong to its body, which the header tasks carry:
				// add them first.
				for (Signature errback : linkErrors) {
					task = task.withLinkError(errback);
				}
			}
			Frozen frozen = isLast ? freeze(task, lastTaskId, groupId, chordBody, rootId, null, groupIndex)
					: freeze(task, null, null, null, rootId, null, null);
			task = frozen.signature();
			frozenCount++;
			if (!CHORD.equals(task.getSubtaskType())) {
				for (Signature errback : linkErrors) {
					task = task.withLinkError(errback);
				}
			}
			out.add(task);
			results.add(frozen.node());
			previous = task;
			previousResult = frozen.node();
		}
		return new Steps(out, results);
	}

	/** The chord body a signature completes, as sent in {@code embed.chord}. */
	private static @Nullable Object chordOf(Signature signature) {
		if (CHAIN.equals(signature.getSubtaskType())) {
			List<Signature> steps = signature.getTasks();
			return steps.isEmpty() ? null : chordOf(steps.get(steps.size() - 1));
		}
		if (GROUP.equals(signature.getSubtaskType()) || CHORD.equals(signature.getSubtaskType())) {
			return null;
		}
		return signature.getOptions().get("chord");
	}

	private static List<Signature> flatten(List<Signature> tasks) {
		List<Signature> flat = new ArrayList<>();
		for (Signature task : tasks) {
			if (GROUP.equals(task.getSubtaskType())) {
				flat.addAll(flatten(task.getTasks()));
			}
			else {
				flat.add(task);
			}
		}
		return flat;
	}

	private static List<Signature> signatures(@Nullable Object value) {
		List<Signature> signatures = new ArrayList<>();
		if (value instanceof Signature signature) {
			signatures.add(signature);
		}
		else if (value instanceof Map<?, ?> map) {
			signatures.add(Signature.fromMap(map));
		}
		else if (value instanceof List<?> list) {
			for (Object element : list) {
				signatures.addAll(signatures(element));
			}
		}
		return signatures;
	}

	private static Map<String, @Nullable Object> merge(Map<String, ?> base, Map<String, ?> options) {
		Map<String, @Nullable Object> merged = new LinkedHashMap<>(base);
		merged.putAll(options);
		return merged;
	}

	private static Map<String, @Nullable Object> withoutNulls(Map<String, ?> options) {
		Map<String, @Nullable Object> result = new LinkedHashMap<>();
		options.forEach((name, value) -> {
			if (value != null) {
				result.put(name, value);
			}
		});
		return result;
	}

	private static List<@Nullable Object> concat(List<?> first, List<?> second) {
		List<@Nullable Object> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? String.valueOf(value) : null;
	}

	private static @Nullable Integer integer(@Nullable Object value) {
		return (value instanceof Number number) ? number.intValue() : null;
	}

	private static <T> T required(@Nullable T value, String message) {
		if (value == null) {
			throw new IllegalArgumentException(message);
		}
		return value;
	}

	/**
	 * The running task a canvas is sent from.
	 *
	 * @param id its id, the default {@code parent_id}
	 * @param rootId its root id, the default {@code root_id}
	 */
	public record Parent(String id, String rootId) {

	}

	/**
	 * A signature with its ids assigned.
	 *
	 * @param signature the signature, with {@code task_id} (and more) in its options
	 * @param node what it will produce
	 */
	public record Frozen(Signature signature, ResultNode node) {

	}

	private record Steps(List<Signature> tasks, List<ResultNode> results) {

	}

	/**
	 * The tasks of a group, with those of the groups, chains and chords inside it, to be
	 * published at once; and the chords set up for them.
	 */
	private static final class Batch {

		final List<TaskRequest> requests = new ArrayList<>();

		final List<String> chords = new ArrayList<>();

	}

}
