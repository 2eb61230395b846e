package dev.taskqueue.client;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A task call to be made later: a task name, partial arguments, keyword arguments and send
 * options (Celery's {@code signature}, {@code .s()} and {@code .si()}). Links, errbacks and
 * canvases are made of signatures; they need no class of the worker.
 * <pre class="code">
 * client.send(TaskRequest.builder("worker.divide").args(16, 2)
 *     .link(Signature.of("worker.divide", 8))             // divide(8.0, 8) after success
 *     .linkError(Signature.of("worker.error_handler"))   // error_handler(failed_id) after failure
 *     .build());
 * </pre>
 * On the wire a signature is Celery's dict: {@code task}, {@code args}, {@code kwargs},
 * {@code options}, {@code subtask_type}, {@code immutable}. Options use Celery's names
 * ({@code task_id}, {@code queue}, {@code routing_key}, {@code exchange}, {@code countdown},
 * {@code eta}, {@code expires}, {@code priority}, {@code link}, {@code link_error}) and apply
 * when the signature is sent. Instances are immutable.
 */
public final class Signature {

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
	 * A signature with partial positional arguments (Celery's {@code task.s(*args)}): the parent's
	 * result is put in front of them when it is used as a callback.
	 * @param task the task name
	 * @param args the partial arguments
	 * @return the signature
	 */
	public static Signature of(String task, @Nullable Object... args) {
		return new Signature(task, Arrays.asList(args), Map.of(), Map.of(), false, null);
	}

	/**
	 * An immutable signature (Celery's {@code task.si(*args)}): called with exactly its own
	 * arguments, never with a parent's result.
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

	private static Map<String, @Nullable Object> stringKeys(@Nullable Object value) {
		Map<String, @Nullable Object> result = new LinkedHashMap<>();
		if (value instanceof Map<?, ?> map) {
			map.forEach((key, v) -> result.put(String.valueOf(key), v));
		}
		return result;
	}

	/** @return the task name */
	public String getTask() {
		return this.task;
	}

	/** @return the partial positional arguments */
	public List<@Nullable Object> getArgs() {
		return this.args;
	}

	/** @return the keyword arguments */
	public Map<String, @Nullable Object> getKwargs() {
		return this.kwargs;
	}

	/** @return the send options, with Celery's names */
	public Map<String, @Nullable Object> getOptions() {
		return this.options;
	}

	/** @return whether a parent's result is left out of the arguments */
	public boolean isImmutable() {
		return this.immutable;
	}

	/** @return Celery's {@code subtask_type} ({@code null} for a plain task; {@code chain}, {@code group}, {@code chord} for canvases) */
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
	 * A copy that, after it succeeds, calls another signature (Celery's {@code sig.link(other)}).
	 * @param callback the callback
	 * @return the new signature
	 */
	public Signature withLink(Signature callback) {
		return withOption("link", appended(this.options.get("link"), callback));
	}

	/**
	 * A copy that, after it fails, calls another signature (Celery's {@code sig.link_error(other)}).
	 * @param errback the errback
	 * @return the new signature
	 */
	public Signature withLinkError(Signature errback) {
		return withOption("link_error", appended(this.options.get("link_error"), errback));
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
	 * The request that calls this signature, with arguments put in front of its own (the parent's
	 * result for a callback, the failed task's id for an errback) unless it is immutable.
	 * @param leadingArgs the arguments to put first
	 * @return a request builder with the signature's arguments and options
	 */
	public TaskRequest.Builder toRequest(List<?> leadingArgs) {
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
					case "eta" -> builder.eta(dev.taskqueue.protocol.CeleryTime.parse(String.valueOf(value)));
					case "expires" -> {
						if (value instanceof Number) {
							builder.expires(seconds(value));
						}
						else {
							builder.expires(dev.taskqueue.protocol.CeleryTime.parse(String.valueOf(value)));
						}
					}
					case "ignore_result" -> builder.ignoreResult(Boolean.TRUE.equals(value));
					case "link" -> signatures(value).forEach(builder::link);
					case "link_error" -> signatures(value).forEach(builder::linkError);
					default -> {
						// Celery options with no meaning here (reply_to, serializer, ...) are ignored.
					}
				}
			});
		}

		private static Duration seconds(Object value) {
			return Duration.ofNanos((long) (((Number) value).doubleValue() * 1_000_000_000L));
		}

		// Celery may write a queue or exchange as a dict ({"name": ..., ...}) when given a Queue object.
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
