package dev.taskqueue.client;

import java.math.BigInteger;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.taskqueue.protocol.internal.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * A task call to be made later: a task name, partial arguments, keyword arguments and
 * send options (Celery's {@code signature}, {@code .s()} and {@code .si()}). Links,
 * errbacks and canvases are made of signatures; they need no class of the worker.
 * <pre class="code">
 * client.send(TaskRequest.builder("worker.divide").args(16, 2)
 *     .link(Signature.of("worker.divide", 8))             // divide(8.0, 8) after success
 *     .linkError(Signature.of("worker.error_handler"))   // error_handler(failed_id) after failure
 *     .build());
 * </pre> On the wire a signature is Celery's dict: {@code task}, {@code args},
 * {@code kwargs}, {@code options}, {@code subtask_type}, {@code immutable}. Options use
 * Celery's names ({@code task_id}, {@code queue}, {@code routing_key}, {@code exchange},
 * {@code countdown}, {@code eta}, {@code expires}, {@code priority}, {@code link},
 * {@code link_error}) and apply when the signature is sent. Instances are immutable.
 * <p>
 * Canvases are signatures too, in Celery's form: {@link #chain(Signature...)},
 * {@link #group(Signature...)} and {@link #chord(List, Signature)} nest freely, e.g. a
 * group of chains, or a chain with a group in it (which Celery upgrades to a chord with
 * the next step as its body). Send them with {@link TaskClient#chain},
 * {@link TaskClient#group} and {@link TaskClient#chord}.
 */
public final class Signature {

	static final String CHAIN = "chain";

	static final String GROUP = "group";

	static final String CHORD = "chord";

	private final String task;

	private final List<@Nullable Object> args;

	private final Map<String, @Nullable Object> kwargs;

	private final Map<String, @Nullable Object> options;

	private final boolean immutable;

	private final @Nullable String subtaskType;

	private Signature(String task, List<?> args, Map<String, ?> kwargs, Map<String, ?> options, boolean immutable,
			@Nullable String subtaskType) {
		if (task == null || task.isBlank()) {
			throw new IllegalArgumentException("A signature needs a task name");
		}
		this.task = task;
		this.args = Collections.unmodifiableList(new ArrayList<>(args));
		this.kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
		this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
		this.immutable = immutable;
		this.subtaskType = subtaskType;
	}

	/**
	 * A signature with partial positional arguments (Celery's {@code task.s(*args)}): the
	 * parent's result is put in front of them when it is used as a callback.
	 * @param task the task name
	 * @param args the partial arguments
	 * @return the signature
	 */
	public static Signature of(String task, @Nullable Object... args) {
		return new Signature(task, Arrays.asList(args), Map.of(), Map.of(), false, null);
	}

	/**
	 * An immutable signature (Celery's {@code task.si(*args)}): called with exactly its
	 * own arguments, never with a parent's result.
	 * @param task the task name
	 * @param args the arguments
	 * @return the signature
	 */
	public static Signature immutable(String task, @Nullable Object... args) {
		return new Signature(task, Arrays.asList(args), Map.of(), Map.of(), true, null);
	}

	/**
	 * Read a signature from Celery's JSON form.
	 * @param map the signature dict
	 * @return the signature
	 * @throws IllegalArgumentException if the map is not a signature
	 */
	public static Signature fromMap(Map<?, ?> map) {
		Object task = map.get("task");
		if (!(task instanceof String name)) {
			throw new IllegalArgumentException("A signature must name its task, got " + map);
		}
		Object args = map.get("args");
		Object kwargs = map.get("kwargs");
		Object options = map.get("options");
		Object immutable = map.get("immutable");
		Object subtaskType = map.get("subtask_type");
		return new Signature(name, (args instanceof List<?> list) ? list : List.of(), stringKeys(kwargs),
				stringKeys(options), Boolean.TRUE.equals(immutable),
				(subtaskType instanceof String type) ? type : null);
	}

	/**
	 * A chain (Celery's {@code chain(a, b, c)}, that is {@code a | b | c}): each task is
	 * called with the result of the one before it put in front of its arguments (unless
	 * it is immutable). Built as Celery's {@code |} builds it: nested chains are spliced
	 * in, a group followed by a step becomes a chord with that step as its body, and a
	 * step after a chord joins the chord's body.
	 * @param tasks the steps, in order
	 * @return the chain signature ({@code subtask_type} {@code chain}), or the chord it
	 * reduces to when it starts with a group followed by a step
	 */
	public static Signature chain(Signature... tasks) {
		return chain(Arrays.asList(tasks));
	}

	/**
	 * A chain of the given steps.
	 * @param tasks the steps, in order
	 * @return the chain signature
	 * @see #chain(Signature...)
	 */
	public static Signature chain(List<Signature> tasks) {
		if (tasks.size() == 1) {
			return rawChain(tasks);
		}
		Signature chain = rawChain(List.of());
		for (Signature task : tasks) {
			chain = or(chain, Objects.requireNonNull(task, "task"));
		}
		return chain;
	}

	private static Signature rawChain(List<Signature> tasks) {
		return canvas(CHAIN, "celery.chain", Map.of("tasks", maps(tasks)));
	}

	// Celery's __or__ of signatures, chains, groups and chords (celery/canvas.py, 5.2).
	private static Signature or(Signature left, Signature right) {
		String type = left.subtaskType;
		if (CHAIN.equals(type)) {
			List<Signature> tasks = new ArrayList<>(left.getTasks());
			if (GROUP.equals(right.subtaskType)) {
				Signature group = unrollGroup(right);
				if (tasks.isEmpty()) {
					return group;
				}
				tasks.add(group);
				return rawChain(tasks);
			}
			if (CHAIN.equals(right.subtaskType)) {
				tasks.addAll(right.getTasks());
				return rawChain(tasks);
			}
			Signature last = tasks.isEmpty() ? null : tasks.get(tasks.size() - 1);
			if (last != null && GROUP.equals(last.subtaskType)) {
				tasks.set(tasks.size() - 1, chord(List.of(), right).withHeader(last));
			}
			else if (last != null && CHORD.equals(last.subtaskType)) {
				tasks.set(tasks.size() - 1, last.withBody(or(Objects.requireNonNull(last.getBody()), right)));
			}
			else {
				tasks.add(right);
			}
			return rawChain(tasks);
		}
		if (GROUP.equals(type)) {
			return chord(List.of(), right).withHeader(left);
		}
		if (CHORD.equals(type) && !GROUP.equals(right.subtaskType) && !CHAIN.equals(right.subtaskType)) {
			return left.withBody(or(Objects.requireNonNull(left.getBody()), right));
		}
		List<Signature> tasks = new ArrayList<>();
		tasks.add(left);
		if (CHAIN.equals(right.subtaskType)) {
			tasks.addAll(right.getTasks());
		}
		else {
			tasks.add(GROUP.equals(right.subtaskType) ? unrollGroup(right) : right);
		}
		return rawChain(tasks);
	}

	private static Signature unrollGroup(Signature group) {
		List<Signature> members = group.getTasks();
		return (members.size() == 1) ? members.get(0) : group;
	}

	/**
	 * A group (Celery's {@code group(...)}): tasks run in parallel under one group id.
	 * @param tasks the members; nested groups are flattened
	 * @return the group signature ({@code subtask_type} {@code group})
	 */
	public static Signature group(Signature... tasks) {
		return group(Arrays.asList(tasks));
	}

	/**
	 * A group of the given members.
	 * @param tasks the members
	 * @return the group signature
	 * @see #group(Signature...)
	 */
	public static Signature group(List<Signature> tasks) {
		return canvas(GROUP, "celery.group", Map.of("tasks", maps(tasks)));
	}

	/**
	 * A chord (Celery's {@code chord(header, body)}): the header tasks run in parallel,
	 * then the body is called once with the list of their results, in header order.
	 * @param header the header tasks
	 * @param body the body, called with the list of results
	 * @return the chord signature ({@code subtask_type} {@code chord})
	 */
	public static Signature chord(List<Signature> header, Signature body) {
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
		kwargs.put("kwargs", new LinkedHashMap<>());
		kwargs.put("header", group(header).toMap());
		kwargs.put("body", Objects.requireNonNull(body, "body").toMap());
		return canvas(CHORD, "celery.chord", kwargs);
	}

	private static Signature canvas(String type, String task, Map<String, ?> kwargs) {
		return new Signature(task, List.of(), kwargs, Map.of(), false, type);
	}

	private static List<Map<String, @Nullable Object>> maps(List<Signature> signatures) {
		List<Map<String, @Nullable Object>> maps = new ArrayList<>(signatures.size());
		for (Signature signature : signatures) {
			maps.add(Objects.requireNonNull(signature, "signature").toMap());
		}
		return maps;
	}

	private static Map<String, @Nullable Object> stringKeys(@Nullable Object value) {
		Map<String, @Nullable Object> result = new LinkedHashMap<>();
		if (value instanceof Map<?, ?> map) {
			map.forEach((key, v) -> result.put(String.valueOf(key), v));
		}
		return result;
	}

	/**
	 * Return the name of the task to call.
	 * @return the task's name
	 */
	public String getTaskName() {
		return this.task;
	}

	/**
	 * Return the partial positional arguments.
	 * @return the partial positional arguments
	 */
	public List<@Nullable Object> getArgs() {
		return this.args;
	}

	/**
	 * Return the keyword arguments.
	 * @return the keyword arguments
	 */
	public Map<String, @Nullable Object> getKwargs() {
		return this.kwargs;
	}

	/**
	 * Return the send options, with Celery's names.
	 * @return the send options, with Celery's names
	 */
	public Map<String, @Nullable Object> getOptions() {
		return this.options;
	}

	/**
	 * Return whether a parent's result is left out of the arguments.
	 * @return whether a parent's result is left out of the arguments
	 */
	public boolean isImmutable() {
		return this.immutable;
	}

	/**
	 * The steps of a chain, the members of a group or the header tasks of a chord.
	 * @return the signatures, empty for a plain task
	 */
	public List<Signature> getTasks() {
		if (CHORD.equals(this.subtaskType)) {
			return Objects.requireNonNull(getHeader()).getTasks();
		}
		if (!CHAIN.equals(this.subtaskType) && !GROUP.equals(this.subtaskType)) {
			return List.of();
		}
		return signatureList(this.kwargs.get("tasks"));
	}

	private static List<Signature> signatureList(@Nullable Object value) {
		List<Signature> signatures = new ArrayList<>();
		if (value instanceof List<?> list) {
			for (Object element : list) {
				if (element instanceof Map<?, ?> map) {
					signatures.add(fromMap(map));
				}
			}
		}
		return Collections.unmodifiableList(signatures);
	}

	/**
	 * The body of a chord.
	 * @return the body, or {@code null} when this is not a chord
	 */
	public @Nullable Signature getBody() {
		return (CHORD.equals(this.subtaskType) && this.kwargs.get("body") instanceof Map<?, ?> map) ? fromMap(map)
				: null;
	}

	/**
	 * Return Celery's {@code subtask_type} ({@code null} for a plain task; {@code chain},
	 * {@code group}, {@code chord} for canvases).
	 * @return Celery's {@code subtask_type} ({@code null} for a plain task;
	 * {@code chain}, {@code group}, {@code chord} for canvases)
	 */
	public @Nullable String getSubtaskType() {
		return this.subtaskType;
	}

	/**
	 * A copy with keyword arguments added (new values win).
	 * @param kwargs the keyword arguments
	 * @return the new signature
	 */
	public Signature withKwargs(Map<String, ?> kwargs) {
		Map<String, @Nullable Object> merged = new LinkedHashMap<>(this.kwargs);
		merged.putAll(kwargs);
		return new Signature(this.task, this.args, merged, this.options, this.immutable, this.subtaskType);
	}

	/**
	 * A copy with a send option set (Celery's {@code sig.set(**options)}).
	 * @param name the option, with Celery's name (e.g. {@code queue}, {@code task_id})
	 * @param value the value
	 * @return the new signature
	 */
	public Signature withOption(String name, @Nullable Object value) {
		Map<String, @Nullable Object> merged = new LinkedHashMap<>(this.options);
		merged.put(Objects.requireNonNull(name, "name"), value);
		return new Signature(this.task, this.args, this.kwargs, merged, this.immutable, this.subtaskType);
	}

	/**
	 * A copy that runs with this task id.
	 * @param taskId the id
	 * @return the new signature
	 */
	public Signature withTaskId(String taskId) {
		return withOption("task_id", taskId);
	}

	/**
	 * A copy sent to this queue.
	 * @param queue the queue
	 * @return the new signature
	 */
	public Signature withQueue(String queue) {
		return withOption("queue", queue);
	}

	/**
	 * A copy that runs no sooner than this long after it is sent.
	 * @param countdown the delay
	 * @return the new signature
	 */
	public Signature withCountdown(Duration countdown) {
		return withOption("countdown", countdown.toMillis() / 1000.0);
	}

	/**
	 * A copy whose result is left out of the arguments it is called with.
	 * @return the new signature
	 */
	public Signature asImmutable() {
		return new Signature(this.task, this.args, this.kwargs, this.options, true, this.subtaskType);
	}

	/**
	 * A copy that, after it succeeds, calls another signature (Celery's
	 * {@code sig.link(other)}).
	 * @param callback the callback
	 * @return the new signature
	 */
	public Signature withLink(Signature callback) {
		if (GROUP.equals(this.subtaskType)) {
			// As Celery: the first member calls it, made immutable (it cannot see the
			// siblings' results).
			List<Signature> members = new ArrayList<>(getTasks());
			if (members.isEmpty()) {
				throw new IllegalStateException("An empty group cannot call a callback");
			}
			members.set(0, members.get(0).withLink(callback.asImmutable()));
			return withTasks(members);
		}
		if (CHORD.equals(this.subtaskType)) {
			return withBody(Objects.requireNonNull(getBody()).withLink(callback));
		}
		return withOption("link", appended(this.options.get("link"), callback));
	}

	/**
	 * A copy that, after it fails, calls another signature (Celery's
	 * {@code sig.link_error(other)}).
	 * @param errback the errback
	 * @return the new signature
	 */
	public Signature withLinkError(Signature errback) {
		if (GROUP.equals(this.subtaskType)) {
			// As Celery: any member may fail, so every member calls it.
			return withTasks(getTasks().stream().map((member) -> member.withLinkError(errback)).toList());
		}
		if (CHORD.equals(this.subtaskType)) {
			return withBody(Objects.requireNonNull(getBody()).withLinkError(errback));
		}
		return withOption("link_error", appended(this.options.get("link_error"), errback));
	}

	/**
	 * A copy with send options added (new values win), as Celery's
	 * {@code sig.set(**options)}.
	 * @param options the options, with Celery's names
	 * @return the new signature
	 */
	public Signature withOptions(Map<String, ?> options) {
		Map<String, @Nullable Object> merged = new LinkedHashMap<>(this.options);
		merged.putAll(options);
		return new Signature(this.task, this.args, this.kwargs, merged, this.immutable, this.subtaskType);
	}

	/**
	 * A copy called with more arguments, as Celery's
	 * {@code sig.clone(args, kwargs, **options)}: the arguments go in front of its own
	 * and the keyword arguments are merged (new values win), both unless the signature is
	 * immutable; the options are merged (new values win, except a {@code group_id}
	 * already set).
	 * @param args arguments to put in front
	 * @param kwargs keyword arguments to merge
	 * @param options options to merge
	 * @return the new signature
	 */
	public Signature clone(List<?> args, Map<String, ?> kwargs, Map<String, ?> options) {
		List<@Nullable Object> newArgs = this.args;
		Map<String, @Nullable Object> newKwargs = this.kwargs;
		if (!this.immutable) {
			if (!args.isEmpty()) {
				newArgs = new ArrayList<>(args);
				newArgs.addAll(this.args);
			}
			if (!kwargs.isEmpty()) {
				newKwargs = new LinkedHashMap<>(this.kwargs);
				newKwargs.putAll(kwargs);
			}
		}
		Map<String, @Nullable Object> newOptions = this.options;
		if (!options.isEmpty()) {
			newOptions = new LinkedHashMap<>(this.options);
			for (Map.Entry<String, ?> option : options.entrySet()) {
				if (!"group_id".equals(option.getKey()) || !this.options.containsKey("group_id")) {
					newOptions.put(option.getKey(), option.getValue());
				}
			}
		}
		return new Signature(this.task, newArgs, newKwargs, newOptions, this.immutable, this.subtaskType);
	}

	/**
	 * A copy of a chain or group with other steps or members, or of a chord with other
	 * header tasks.
	 * @param tasks the new steps, members or header tasks
	 * @return the new signature
	 */
	public Signature withTasks(List<Signature> tasks) {
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>(this.kwargs);
		if (CHORD.equals(this.subtaskType)) {
			kwargs.put("header", Objects.requireNonNull(getHeader()).withTasks(tasks).toMap());
		}
		else if (CHAIN.equals(this.subtaskType) || GROUP.equals(this.subtaskType)) {
			kwargs.put("tasks", maps(tasks));
		}
		else {
			throw new IllegalStateException(this.task + " is a task, not a canvas: it has no tasks");
		}
		return new Signature(this.task, this.args, kwargs, this.options, this.immutable, this.subtaskType);
	}

	/**
	 * A copy of a chord with another header group (its options kept, e.g. a frozen group
	 * id).
	 * @param header the header group
	 * @return the new signature
	 */
	public Signature withHeader(Signature header) {
		if (!CHORD.equals(this.subtaskType) || !GROUP.equals(header.subtaskType)) {
			throw new IllegalStateException("Only a chord has a header, and it is a group");
		}
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>(this.kwargs);
		kwargs.put("header", header.toMap());
		return new Signature(this.task, this.args, kwargs, this.options, this.immutable, this.subtaskType);
	}

	/**
	 * A copy of a chord with another body.
	 * @param body the body
	 * @return the new signature
	 */
	public Signature withBody(Signature body) {
		if (!CHORD.equals(this.subtaskType)) {
			throw new IllegalStateException(this.task + " is not a chord: it has no body");
		}
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>(this.kwargs);
		kwargs.put("body", body.toMap());
		return new Signature(this.task, this.args, kwargs, this.options, this.immutable, this.subtaskType);
	}

	/**
	 * The header group of a chord, with its own options.
	 * @return the header group, or {@code null} when this is not a chord
	 */
	public @Nullable Signature getHeader() {
		if (!CHORD.equals(this.subtaskType)) {
			return null;
		}
		Object header = this.kwargs.get("header");
		// Celery writes the header as a group; a plain list of signatures is read as one
		// too.
		return (header instanceof Map<?, ?> map) ? fromMap(map) : group(signatureList(header));
	}

	private static List<Object> appended(@Nullable Object existing, Signature signature) {
		List<Object> list = new ArrayList<>();
		if (existing instanceof List<?> l) {
			list.addAll(l);
		}
		else if (existing != null) {
			list.add(existing);
		}
		list.add(signature.toMap());
		return list;
	}

	/**
	 * Celery's JSON form of this signature.
	 * @return the dict, keys in Celery's order
	 */
	public Map<String, @Nullable Object> toMap() {
		Map<String, @Nullable Object> map = new LinkedHashMap<>(8);
		map.put("task", this.task);
		map.put("args", this.args);
		map.put("kwargs", this.kwargs);
		map.put("options", this.options);
		map.put("subtask_type", this.subtaskType);
		map.put("immutable", this.immutable);
		return map;
	}

	/**
	 * The request that calls this signature, with arguments put in front of its own (the
	 * parent's result for a callback, the failed task's id for an errback) unless it is
	 * immutable.
	 * @param leadingArgs the arguments to put first
	 * @return a request builder with the signature's arguments and options
	 */
	public TaskRequest.Builder toRequest(List<?> leadingArgs) {
		if (this.subtaskType != null) {
			throw new IllegalStateException("A " + this.subtaskType + " is not one task: send it with TaskClient."
					+ this.subtaskType + "(...)");
		}
		List<@Nullable Object> args = new ArrayList<>();
		if (!this.immutable) {
			args.addAll(leadingArgs);
		}
		args.addAll(this.args);
		TaskRequest.Builder builder = TaskRequest.builder(this.task).args(args).kwargs(this.kwargs);
		Options.apply(this.options, builder);
		return builder;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof Signature s && this.task.equals(s.task) && this.args.equals(s.args)
				&& this.kwargs.equals(s.kwargs) && this.options.equals(s.options) && this.immutable == s.immutable
				&& Objects.equals(this.subtaskType, s.subtaskType);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.task, this.args, this.kwargs, this.options, this.immutable);
	}

	@Override
	public String toString() {
		return this.task + (this.immutable ? ".si" : ".s") + this.args + (this.kwargs.isEmpty() ? "" : this.kwargs)
				+ (this.options.isEmpty() ? "" : " " + this.options);
	}

	/**
	 * Celery's send options, read from a signature's {@code options}.
	 */
	private static final class Options {

		static void apply(Map<String, @Nullable Object> options, TaskRequest.Builder builder) {
			options.forEach((name, value) -> {
				if (value == null) {
					return;
				}
				switch (name) {
					case "task_id" -> builder.taskId(String.valueOf(value));
					case "queue" -> builder.queue(queueName(value));
					case "routing_key" -> builder.routingKey(String.valueOf(value));
					case "exchange" -> builder.exchange(exchangeName(value));
					case "priority" -> builder.priority(((Number) value).intValue());
					case "countdown" -> builder.countdown(seconds(value));
					case "eta" -> builder.eta(dev.taskqueue.protocol.internal.CeleryTime.parse(String.valueOf(value)));
					case "expires" -> {
						if (value instanceof Number) {
							builder.expires(seconds(value));
						}
						else {
							builder.expires(dev.taskqueue.protocol.internal.CeleryTime.parse(String.valueOf(value)));
						}
					}
					case "ignore_result" -> builder.ignoreResult(Boolean.TRUE.equals(value));
					case "link" -> signatures(value).forEach(builder::link);
					case "link_error" -> signatures(value).forEach(builder::linkError);
					case "chain" -> builder.chain(signatures(value));
					case "chord" -> signatures(value).forEach(builder::chord);
					case "group_id" -> builder.group(String.valueOf(value));
					case "group_index" -> builder.groupIndex(((Number) value).intValue());
					case "root_id" -> builder.rootId(String.valueOf(value));
					case "parent_id" -> builder.parentId(String.valueOf(value));
					case "reply_to" -> builder.replyTo(String.valueOf(value));
					case "time_limit" -> builder.timeLimit(seconds(value));
					case "soft_time_limit" -> builder.softTimeLimit(seconds(value));
					case "stamped_headers" -> stamps(value, options, builder);
					default -> {
						// Celery options with no meaning here (serializer, ...) are
						// ignored.
					}
				}
			});
		}

		/**
		 * Celery 5.3+ stamping: a stamped signature names its stamps in
		 * {@code stamped_headers} and holds each value as an option of that name; the
		 * message carries them in the {@code stamped_headers} and {@code stamps} headers
		 * (Celery's {@code as_task_v2}) and the value options themselves are not sent.
		 */
		private static void stamps(Object names, Map<String, @Nullable Object> options, TaskRequest.Builder builder) {
			List<String> stamped = new ArrayList<>();
			if (names instanceof List<?> list) {
				list.stream().filter(String.class::isInstance).map(String.class::cast).distinct().forEach(stamped::add);
			}
			else if (names instanceof String single) {
				stamped.add(single);
			}
			if (stamped.isEmpty()) {
				return;
			}
			Map<String, @Nullable Object> stamps = new LinkedHashMap<>();
			stamped.forEach((name) -> stamps.put(name, headerValue(options.get(name))));
			builder.header(TaskMessage.STAMPED_HEADERS, stamped);
			builder.header(TaskMessage.STAMPS, stamps);
		}

		/**
		 * A stamp value from a message body as an AMQP table can hold it: what the
		 * broker's field types cannot carry (a number beyond 64 bits, a decimal, a typed
		 * date) travels as its text, so no body can make the next step unsendable.
		 */
		private static @Nullable Object headerValue(@Nullable Object value) {
			if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
					|| value instanceof Long || value instanceof Double || value instanceof Float
					|| value instanceof byte[]) {
				return value;
			}
			if (value instanceof BigInteger big) {
				return (big.bitLength() < 64) ? (Object) big.longValue() : big.toString();
			}
			if (value instanceof Short || value instanceof Byte) {
				return ((Number) value).intValue();
			}
			if (value instanceof List<?> list) {
				List<@Nullable Object> copy = new ArrayList<>(list.size());
				list.forEach((element) -> copy.add(headerValue(element)));
				return copy;
			}
			if (value instanceof Map<?, ?> map) {
				Map<String, @Nullable Object> copy = new LinkedHashMap<>();
				map.forEach((key, element) -> copy.put(String.valueOf(key), headerValue(element)));
				return copy;
			}
			return String.valueOf(value);
		}

		private static Duration seconds(Object value) {
			return Duration.ofNanos((long) (((Number) value).doubleValue() * 1_000_000_000L));
		}

		// Celery may write a queue or exchange as a dict ({"name": ..., ...}) when given
		// a Queue object.
		private static String queueName(Object value) {
			return (value instanceof Map<?, ?> map && map.get("name") != null) ? String.valueOf(map.get("name"))
					: String.valueOf(value);
		}

		private static String exchangeName(Object value) {
			return queueName(value);
		}

		private static List<Signature> signatures(Object value) {
			List<Signature> result = new ArrayList<>();
			if (value instanceof Map<?, ?> map) {
				result.add(fromMap(map));
			}
			else if (value instanceof List<?> list) {
				for (Object element : list) {
					if (element instanceof Map<?, ?> map) {
						result.add(fromMap(map));
					}
				}
			}
			return result;
		}

	}

}
