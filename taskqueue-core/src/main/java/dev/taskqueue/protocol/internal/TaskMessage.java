package dev.taskqueue.protocol.internal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One task message of Celery's protocol v2: the AMQP properties and headers that describe
 * the call and the {@code [args, kwargs, embed]} body.
 * <p>
 * Argument values are plain JSON values as Jackson reads them without a target type
 * ({@code List}, {@code Map}, {@code String},
 * {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double}, {@code Boolean},
 * {@code null}) when decoded, or any value Jackson can write when a client builds the
 * message. Instances are immutable; use {@link #builder(String, String)} or
 * {@link #toBuilder()}.
 *
 * @see TaskMessageCodec
 * @param id the task id ({@code id} header and {@code correlation_id} property)
 * @param task the task name ({@code task} header)
 * @param lang the {@code lang} header
 * @param eta when the task should run, or {@code null} to run at once
 * @param expires when the task expires, or {@code null}
 * @param group the group id, or {@code null}
 * @param groupIndex the position in a chord header, or {@code null}
 * @param retries how many times the task has been retried
 * @param hardTimeLimit the hard time limit in seconds, or {@code null}
 * @param softTimeLimit the soft time limit in seconds, or {@code null}
 * @param rootId the id of the first task of the workflow (the task's own id when
 * standalone). standalone)
 * @param parentId the id of the task that published this one, or {@code null}
 * @param origin who published the message ({@code gen<pid>@<host>}), or {@code null}
 * @param ignoreResult whether the sender asked for no result to be stored
 * @param shadow the {@code shadow} header (a display alias), or {@code null}
 * @param args the positional arguments
 * @param kwargs the keyword arguments
 * @param embed the embed part of the body (callbacks, errbacks, chain, chord)
 * @param replyTo the {@code reply_to} property, or {@code null}
 * @param priority the AMQP priority (0 by default, as Celery sends it)
 * @param extraHeaders headers beyond Celery's sixteen, in the order they were given
 * @param serializer the serializer of the body: for a received message its content type,
 * for one to send the name or content type the caller chose
 * @param compression the compression of the body ({@code compression} header): for a
 * received message as it came, for one to send as the caller chose
 * @see TaskMessageCodec
 */
public record TaskMessage(String id, String task, String lang, @Nullable OffsetDateTime eta,
		@Nullable OffsetDateTime expires, @Nullable String group, @Nullable Integer groupIndex, int retries,
		@Nullable Number hardTimeLimit, @Nullable Number softTimeLimit, String rootId, @Nullable String parentId,
		@Nullable String origin, boolean ignoreResult, @Nullable String shadow, List<?> args, Map<String, ?> kwargs,
		Embed embed, @Nullable String replyTo, int priority, Map<String, Object> extraHeaders,
		@Nullable String serializer, @Nullable String compression) {

	/**
	 * Create a message; the builder is the easier way.
	 */
	public TaskMessage {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(task, "task");
		args = immutableCopy(args);
		kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
		extraHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(extraHeaders));
	}

	// Not List.copyOf: it rejects null elements, and JSON arguments may be null. (Nor
	// List.contains(null), which throws on the immutable lists of List.of.)
	private static List<?> immutableCopy(List<?> args) {
		return Collections.unmodifiableList(new ArrayList<>(args));
	}

	/**
	 * Start a message for a task.
	 * @param id the task id (Celery uses a UUID4 string)
	 * @param task the registered task name
	 * @return a builder
	 */
	public static Builder builder(String id, String task) {
		return new Builder(id, task);
	}

	/**
	 * A builder initialised with every field of this message.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		Builder b = new Builder(this.id, this.task);
		b.lang = this.lang;
		b.eta = this.eta;
		b.expires = this.expires;
		b.group = this.group;
		b.groupIndex = this.groupIndex;
		b.retries = this.retries;
		b.hardTimeLimit = this.hardTimeLimit;
		b.softTimeLimit = this.softTimeLimit;
		b.rootId = this.rootId;
		b.parentId = this.parentId;
		b.origin = this.origin;
		b.ignoreResult = this.ignoreResult;
		b.shadow = this.shadow;
		b.args = this.args;
		b.kwargs = this.kwargs;
		b.embed = this.embed;
		b.replyTo = this.replyTo;
		b.priority = this.priority;
		b.extraHeaders = new LinkedHashMap<>(this.extraHeaders);
		b.serializer = this.serializer;
		b.compression = this.compression;
		return b;
	}

	/** The header listing the stamp names (Celery 5.3+), a list or {@code null}. */
	public static final String STAMPED_HEADERS = "stamped_headers";

	/** The header mapping stamp names to their values (Celery 5.3+). */
	public static final String STAMPS = "stamps";

	/**
	 * The names of this message's stamps, in the order of its {@code stamped_headers}
	 * header: empty when the header is absent or {@code null} (Celery before 5.3, or an
	 * unstamped task). Anything but strings in the header is ignored, so no remote
	 * message can make this fail.
	 * @return the stamp names
	 */
	public List<String> stampedHeaders() {
		Object names = this.extraHeaders.get(STAMPED_HEADERS);
		if (names instanceof String single) {
			return List.of(single);
		}
		if (!(names instanceof List<?> list)) {
			return List.of();
		}
		List<String> result = new ArrayList<>(list.size());
		for (Object name : list) {
			if (name instanceof String text && !result.contains(text)) {
				result.add(text);
			}
		}
		return Collections.unmodifiableList(result);
	}

	/**
	 * This message's stamps as Celery's worker reads them ({@code Request.stamps}): each
	 * name of {@link #stampedHeaders()} with its value from the {@code stamps} header, a
	 * JSON value ({@code null} when the header lacks it; a list when stamps were
	 * appended). Empty when the message carries no stamps.
	 * @return the stamps, in {@code stamped_headers} order
	 */
	public Map<String, @Nullable Object> stamps() {
		List<String> names = stampedHeaders();
		if (names.isEmpty()) {
			return Map.of();
		}
		Map<?, ?> values = (this.extraHeaders.get(STAMPS) instanceof Map<?, ?> map) ? map : Map.of();
		Map<String, @Nullable Object> stamps = new LinkedHashMap<>();
		for (String name : names) {
			stamps.put(name, values.get(name));
		}
		return Collections.unmodifiableMap(stamps);
	}

	@Override
	public String toString() {
		return "TaskMessage[" + this.task + " id=" + this.id + "]";
	}

	/**
	 * The {@code embed} element of the body. Celery always writes the four keys; each is
	 * {@code null} when unused. Signatures are kept as the JSON maps Celery writes
	 * ({@code task}, {@code args}, {@code kwargs}, {@code options}, {@code subtask_type},
	 * {@code immutable}).
	 *
	 * @param callbacks link signatures, or {@code null}
	 * @param errbacks link_error signatures, or {@code null}
	 * @param chain the remaining chain steps, last step first, or {@code null}
	 * @param chord the chord body signature, or {@code null}
	 */
	public record Embed(@Nullable List<?> callbacks, @Nullable List<?> errbacks, @Nullable List<?> chain,
			@Nullable Object chord) {

		/** An embed with all four keys {@code null}. */
		public static final Embed EMPTY = new Embed(null, null, null, null);

	}

	/**
	 * Builds a {@link TaskMessage}.
	 */
	public static final class Builder {

		private final String id;

		private final String task;

		private String lang = "py";

		private @Nullable OffsetDateTime eta;

		private @Nullable OffsetDateTime expires;

		private @Nullable String group;

		private @Nullable Integer groupIndex;

		private int retries;

		private @Nullable Number hardTimeLimit;

		private @Nullable Number softTimeLimit;

		private @Nullable String rootId;

		private @Nullable String parentId;

		private @Nullable String origin;

		private boolean ignoreResult;

		private @Nullable String shadow;

		private List<?> args = List.of();

		private Map<String, ?> kwargs = Map.of();

		private Embed embed = Embed.EMPTY;

		private @Nullable String replyTo;

		private int priority;

		private Map<String, Object> extraHeaders = new LinkedHashMap<>();

		private @Nullable String serializer;

		private @Nullable String compression;

		private Builder(String id, String task) {
			this.id = Objects.requireNonNull(id, "id");
			this.task = Objects.requireNonNull(task, "task");
		}

		public Builder lang(String lang) {
			this.lang = lang;
			return this;
		}

		public Builder eta(@Nullable OffsetDateTime eta) {
			this.eta = eta;
			return this;
		}

		public Builder expires(@Nullable OffsetDateTime expires) {
			this.expires = expires;
			return this;
		}

		public Builder group(@Nullable String group) {
			this.group = group;
			return this;
		}

		public Builder groupIndex(@Nullable Integer groupIndex) {
			this.groupIndex = groupIndex;
			return this;
		}

		public Builder retries(int retries) {
			this.retries = retries;
			return this;
		}

		public Builder timeLimit(@Nullable Number hard, @Nullable Number soft) {
			this.hardTimeLimit = hard;
			this.softTimeLimit = soft;
			return this;
		}

		public Builder rootId(@Nullable String rootId) {
			this.rootId = rootId;
			return this;
		}

		public Builder parentId(@Nullable String parentId) {
			this.parentId = parentId;
			return this;
		}

		public Builder origin(@Nullable String origin) {
			this.origin = origin;
			return this;
		}

		public Builder ignoreResult(boolean ignoreResult) {
			this.ignoreResult = ignoreResult;
			return this;
		}

		public Builder shadow(@Nullable String shadow) {
			this.shadow = shadow;
			return this;
		}

		public Builder args(List<?> args) {
			this.args = Objects.requireNonNull(args, "args");
			return this;
		}

		public Builder kwargs(Map<String, ?> kwargs) {
			this.kwargs = Objects.requireNonNull(kwargs, "kwargs");
			return this;
		}

		public Builder embed(Embed embed) {
			this.embed = Objects.requireNonNull(embed, "embed");
			return this;
		}

		public Builder replyTo(@Nullable String replyTo) {
			this.replyTo = replyTo;
			return this;
		}

		public Builder priority(int priority) {
			this.priority = priority;
			return this;
		}

		public Builder extraHeader(String name, @Nullable Object value) {
			this.extraHeaders.put(name, value);
			return this;
		}

		public Builder extraHeaders(Map<String, ?> headers) {
			this.extraHeaders.putAll(headers);
			return this;
		}

		/**
		 * Stamp the message as Celery 5.3+ does: the {@code stamped_headers} header lists
		 * the names and the {@code stamps} header maps them to their values. An empty map
		 * removes both headers.
		 * @param stamps stamp names and values (JSON values)
		 * @return this builder
		 */
		public Builder stamps(Map<String, ? extends @Nullable Object> stamps) {
			if (stamps.isEmpty()) {
				this.extraHeaders.remove(STAMPED_HEADERS);
				this.extraHeaders.remove(STAMPS);
				return this;
			}
			this.extraHeaders.put(STAMPED_HEADERS, new ArrayList<>(stamps.keySet()));
			this.extraHeaders.put(STAMPS, new LinkedHashMap<>(stamps));
			return this;
		}

		/**
		 * Choose the body's serializer.
		 * @param serializer a serializer name or content type, or {@code null} for the
		 * codec's default
		 * @return this builder
		 */
		public Builder serializer(@Nullable String serializer) {
			this.serializer = serializer;
			return this;
		}

		/**
		 * Choose the body's compression.
		 * @param compression {@code gzip}, {@code zlib} or {@code application/x-gzip}, or
		 * {@code null} for the codec's default
		 * @return this builder
		 */
		public Builder compression(@Nullable String compression) {
			this.compression = compression;
			return this;
		}

		public TaskMessage build() {
			return new TaskMessage(this.id, this.task, this.lang, this.eta, this.expires, this.group, this.groupIndex,
					this.retries, this.hardTimeLimit, this.softTimeLimit, (this.rootId != null) ? this.rootId : this.id,
					this.parentId, this.origin, this.ignoreResult, this.shadow, this.args, this.kwargs, this.embed,
					this.replyTo, this.priority, this.extraHeaders, this.serializer, this.compression);
		}

	}

}
