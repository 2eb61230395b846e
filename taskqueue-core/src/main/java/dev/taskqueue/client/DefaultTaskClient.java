package dev.taskqueue.client;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.taskqueue.broker.ExchangeType;
import dev.taskqueue.broker.QueueType;
import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.NativeDelayedDelivery;
import dev.taskqueue.broker.internal.PublishException;
import dev.taskqueue.broker.internal.QueueArguments;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.internal.CanvasPublisher;
import dev.taskqueue.client.internal.ResultNode;
import dev.taskqueue.client.internal.StoredGroupResult;
import dev.taskqueue.client.internal.StoredTaskResult;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.client.internal.TaskRouter;
import dev.taskqueue.client.internal.UniqueLocks;
import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.internal.ControlBus;
import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.event.TaskSentEvent;
import dev.taskqueue.observation.DefaultTaskPublishObservationConvention;
import dev.taskqueue.observation.TaskObservationDocumentation;
import dev.taskqueue.observation.TaskPublishContext;
import dev.taskqueue.observation.TaskPublishObservationConvention;
import dev.taskqueue.protocol.internal.EncodedMessage;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.result.internal.PendingResult;
import dev.taskqueue.result.internal.ResultBackend;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;

/**
 * The {@link TaskClient} that publishes Celery protocol v2 messages with publisher
 * confirms and reads results from a {@link ResultBackend}.
 * <p>
 * Like a Celery producer it declares the target queue (Celery's way: durable, no
 * arguments) the first time it sends to it, so tasks sent before any worker started wait
 * in the queue.
 */
public class DefaultTaskClient implements TaskClient, ApplicationEventPublisherAware {

	/**
	 * Header with the time the client sent a task, in milliseconds since the epoch;
	 * workers measure how long tasks wait in the broker with it. Celery keeps headers it
	 * does not know in the request and otherwise ignores them.
	 */
	public static final String SENT_AT_HEADER = "x-taskqueue-sent-at";

	/**
	 * Header with the channel the sending client listens on for its results; a taskqueue
	 * worker publishes the task's result there too, besides Celery's own channel of the
	 * result, so the client needs no subscription per result. Celery ignores it.
	 */
	public static final String REPLY_TO_HEADER = "x-taskqueue-reply-to";

	/** Requests of a bulk built and published at a time, bounding what is held. */
	private static final int BULK_CHUNK = 10_000;

	/**
	 * How recently a caller must have waited for a result for a send to listen ahead by
	 * default.
	 */
	private static final long RECENT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

	/** How long a send listens ahead by default, at most. */
	private static final Duration AUTO_LISTEN_FOR = Duration.ofMinutes(1);

	private final TaskMessageCodec codec;

	private final ConfirmedPublisher publisher;

	private final QueueDeclarer declarer;

	private final TaskRouter router;

	private final ResultBackend backend;

	private final Function<String, @Nullable String> taskQueues;

	private final String origin;

	private final String replyTo;

	private final CanvasPublisher canvas;

	private volatile @Nullable ApplicationEventPublisher events;

	private volatile @Nullable ControlBus control;

	private volatile @Nullable ClusterControl cluster;

	private volatile @Nullable EventDispatcher sentEvents;

	private volatile Function<String, @Nullable String> taskSerializers = (name) -> null;

	private volatile @Nullable UniqueLocks uniqueLocks;

	private volatile ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private volatile @Nullable TaskPublishObservationConvention observationConvention;

	private volatile Clock clock = Clock.systemUTC();

	/** How long a send listens ahead; {@code null} to do so while callers wait. */
	private volatile @Nullable Duration subscribeBeforeSend;

	/**
	 * When each thread last started waiting for a result of this client's
	 * ({@link System#nanoTime()}): its next sends listen ahead. Per thread, so that the
	 * sends of threads that never wait (a burst of them beside one that waits) do not.
	 */
	private final ThreadLocal<long[]> lastWait = ThreadLocal
		.withInitial(() -> new long[] { System.nanoTime() - 2 * RECENT_WAIT_NANOS });

	/**
	 * Create a client.
	 * @param codec the message codec
	 * @param publisher the confirmed publisher
	 * @param declarer declares target queues
	 * @param router the router
	 * @param backend the result backend
	 * @param taskQueues the queue a locally known task names for itself, by task name
	 * (may return {@code null})
	 */
	public DefaultTaskClient(TaskMessageCodec codec, ConfirmedPublisher publisher, QueueDeclarer declarer,
			TaskRouter router, ResultBackend backend, Function<String, @Nullable String> taskQueues) {
		this.codec = codec;
		this.publisher = publisher;
		this.declarer = declarer;
		this.router = router;
		this.backend = backend;
		this.taskQueues = taskQueues;
		this.origin = ProcessIdentity.origin();
		// Celery sends a per-process oid here; a name-based UUID of the origin is stable
		// like it.
		this.replyTo = UUID
			.nameUUIDFromBytes((this.origin + ManagementFactory.getRuntimeMXBean().getStartTime())
				.getBytes(StandardCharsets.UTF_8))
			.toString();
		this.canvas = new CanvasPublisher(this, backend, this.replyTo);
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher events) {
		this.events = events;
	}

	/**
	 * Set where revocations are kept.
	 * @param control the control bus, or {@code null}: then
	 * {@link #revoke(String, boolean)} refuses
	 */
	public void setControlBus(@Nullable ControlBus control) {
		this.control = control;
	}

	/**
	 * Set the client of Celery's remote control: {@link #revoke(String, boolean)} then
	 * also broadcasts Celery's {@code revoke}, so Celery workers honour it too.
	 * @param cluster the cluster client, or {@code null}
	 */
	public void setClusterControl(@Nullable ClusterControl cluster) {
		this.cluster = cluster;
	}

	/**
	 * Publish a {@code task-sent} monitoring event after each task, as Celery's
	 * {@code task_send_sent_event} does.
	 * @param events the dispatcher to publish with, or {@code null} for none
	 */
	public void setSentEventDispatcher(@Nullable EventDispatcher events) {
		this.sentEvents = events;
	}

	/**
	 * Set the serializers tasks choose for themselves (Celery's {@code Task.serializer}),
	 * used when a request names none.
	 * @param taskSerializers a serializer name or content type by task name (may return
	 * {@code null} for the codec's default)
	 */
	public void setTaskSerializers(Function<String, @Nullable String> taskSerializers) {
		this.taskSerializers = taskSerializers;
	}

	/**
	 * Set where the locks of unique tasks are taken.
	 * @param uniqueLocks the locks, or {@code null}: then a unique send refuses
	 */
	public void setUniqueLocks(@Nullable UniqueLocks uniqueLocks) {
		this.uniqueLocks = uniqueLocks;
	}

	/**
	 * Observe each send ({@code taskqueue.publish}); a tracing handler adds the trace
	 * context to the message's headers, after Celery's own.
	 * @param observationRegistry the observation registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.observationRegistry = observationRegistry;
	}

	/**
	 * Set the convention that names and tags the {@code taskqueue.publish} observation.
	 * @param observationConvention the convention, or {@code null} for the registry's
	 * global one or else {@link DefaultTaskPublishObservationConvention}
	 */
	public void setObservationConvention(@Nullable TaskPublishObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/**
	 * Set the clock that countdowns and expiry durations are counted from (a test's
	 * clock); the system's by default.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Have {@link #send(TaskRequest)} listen for each task's result from the moment it
	 * has written the message, as Celery's client does before it publishes, for up to the
	 * given time: a {@link TaskResult#get(Duration) get()} after the send then usually
	 * finds the result already delivered by its notification, without reading the store.
	 * The listening ends when the result arrives, when {@code get()} gives up, or after
	 * this time, whichever comes first; a {@code get()} after that reads the store as
	 * usual. Each send then costs a subscription and its notification. Tasks sent with
	 * {@link TaskRequest.Builder#ignoreResult(boolean) ignoreResult(true)},
	 * {@link #sendAll(List)} and workflows are not listened for ahead.
	 * <p>
	 * {@code null} (the default) listens ahead, for up to a minute, only while callers
	 * wait for this client's results: a send does when the thread calling it started a
	 * {@code get()} or {@code toFuture()} on one of the client's results within the last
	 * second, so that sends whose results no one waits for pay nothing.
	 * {@link Duration#ZERO} never listens ahead (only once {@code get()} waits); a
	 * positive duration always does.
	 * @param subscribeBeforeSend how long to listen at most, {@link Duration#ZERO} not to
	 * listen ahead, or {@code null} to listen ahead while callers wait for results
	 */
	public void setSubscribeBeforeSend(@Nullable Duration subscribeBeforeSend) {
		this.subscribeBeforeSend = (subscribeBeforeSend != null && subscribeBeforeSend.isNegative()) ? Duration.ZERO
				: subscribeBeforeSend;
	}

	@Override
	public void revoke(String taskId, boolean terminate) {
		ControlBus control = this.control;
		ClusterControl cluster = this.cluster;
		if (control == null && cluster == null) {
			throw new IllegalStateException("Revoking task " + taskId + " needs Redis to keep revocations in "
					+ "(a RedisConnectionFactory) or Celery's remote control; this client has neither");
		}
		if (control != null) {
			control.revoke(taskId, terminate);
		}
		if (cluster != null) {
			try {
				cluster.revoke(taskId, terminate);
			}
			catch (AmqpException ex) {
				if (control == null) {
					throw ex;
				}
				// Kept in Redis: taskqueue workers still see it; Celery workers do not.
				LogFactory.getLog(DefaultTaskClient.class)
					.warn("Could not broadcast the revocation of task " + taskId + " to Celery workers: "
							+ ex.getMessage());
			}
		}
	}

	@Override
	public TaskResult send(String name, @Nullable Object... args) {
		return send(TaskRequest.builder(name).args(Arrays.asList(args)).build());
	}

	@Override
	public TaskResult send(TaskRequest request) {
		boolean listens = listensAhead(request);
		String replyTo = listens ? this.backend.replyChannel() : null;
		Outgoing outgoing = prepare(request, replyTo);
		if (outgoing.duplicateOf != null) {
			return result(outgoing.duplicateOf);
		}
		EncodedMessage encoded = Objects.requireNonNull(outgoing.encoded);
		// Subscribed once the message is written, while the broker handles it: the
		// subscription's work does not delay the publish, and is in place long before
		// the worker can have stored the result (if not, a get() reads it once).
		PendingResult[] ahead = new PendingResult[1];
		String route = (replyTo != null)
				? outgoing.route.effectiveExchange() + " " + outgoing.route.effectiveRoutingKey() : null;
		Runnable written = listens ? () -> ahead[0] = listenAhead(outgoing.id, route) : null;
		long publishStart = System.nanoTime();
		try (Observation.Scope scope = outgoing.observation.openScope()) {
			if (written != null) {
				this.publisher.publish(outgoing.exchange, outgoing.routingKey, encoded.properties(), encoded.body(),
						written);
			}
			else {
				this.publisher.publish(outgoing.exchange, outgoing.routingKey, encoded.properties(), encoded.body());
			}
		}
		catch (RuntimeException ex) {
			if (ahead[0] != null) {
				ahead[0].future().cancel(false);
			}
			throw failed(outgoing, ex);
		}
		sent(outgoing, Duration.ofNanos(System.nanoTime() - publishStart));
		return new StoredTaskResult(outgoing.id, this.backend, this.codec.mapper(), this, ahead[0], this::waiting);
	}

	/**
	 * Send many tasks at once: every message is built as {@link #send(TaskRequest)}
	 * builds it (routing, serializers, unique locks, one {@code taskqueue.publish}
	 * observation and one {@code task-sent} event per task), then all are published on
	 * one channel without waiting for each confirm in between; returns once the broker
	 * confirmed them all.
	 */
	@Override
	public List<TaskResult> sendAll(List<TaskRequest> requests) {
		List<@Nullable TaskResult> results = new ArrayList<>(Collections.nCopies(requests.size(), null));
		List<BulkSendException.Failure> failures = new ArrayList<>();
		for (int from = 0; from < requests.size(); from += BULK_CHUNK) {
			sendChunk(requests, from, Math.min(requests.size(), from + BULK_CHUNK), results, failures);
		}
		if (!failures.isEmpty()) {
			throw new BulkSendException(failures, results);
		}
		List<TaskResult> sent = new ArrayList<>(results.size());
		results.forEach((result) -> sent.add(Objects.requireNonNull(result)));
		return sent;
	}

	private void sendChunk(List<TaskRequest> requests, int from, int to, List<@Nullable TaskResult> results,
			List<BulkSendException.Failure> failures) {
		List<Outgoing> outgoing = new ArrayList<>(to - from);
		List<Integer> indexes = new ArrayList<>(to - from);
		// Each message is published as soon as it is built, so the broker stores the
		// first ones while the next are built; the confirms are awaited together.
		long publishStart = System.nanoTime();
		ConfirmedPublisher.Bulk bulk = this.publisher.openBulk();
		List<@Nullable PublishException> outcomes;
		try {
			for (int i = from; i < to; i++) {
				TaskRequest request = requests.get(i);
				Outgoing prepared;
				try {
					prepared = prepare(request);
				}
				catch (RuntimeException ex) {
					failures.add(new BulkSendException.Failure(i, request,
							(ex instanceof TaskPublishException refused) ? refused.getTaskId() : request.getTaskId(),
							ex));
					continue;
				}
				if (prepared.duplicateOf != null) {
					results.set(i, result(prepared.duplicateOf));
					continue;
				}
				EncodedMessage encoded = Objects.requireNonNull(prepared.encoded);
				outgoing.add(prepared);
				indexes.add(i);
				bulk.add(new ConfirmedPublisher.Outgoing(prepared.exchange, prepared.routingKey, encoded.properties(),
						encoded.body()));
			}
		}
		finally {
			outcomes = bulk.finish();
		}
		Duration publishTime = Duration.ofNanos(System.nanoTime() - publishStart);
		for (int k = 0; k < outgoing.size(); k++) {
			Outgoing each = outgoing.get(k);
			int index = indexes.get(k);
			PublishException refused = outcomes.get(k);
			if (refused != null) {
				failures.add(new BulkSendException.Failure(index, requests.get(index), each.id, failed(each, refused)));
			}
			else {
				sent(each, publishTime);
				results.set(index, result(each.id));
			}
		}
		failures.sort(Comparator.comparingInt(BulkSendException.Failure::index));
	}

	private boolean listensAhead(TaskRequest request) {
		Duration listenFor = this.subscribeBeforeSend;
		if (listenFor == null) {
			// Only while callers wait for results: a send whose result no one waits for
			// would pay for a subscription and its notification for nothing.
			if (System.nanoTime() - this.lastWait.get()[0] > RECENT_WAIT_NANOS) {
				return false;
			}
		}
		else if (listenFor.isZero()) {
			return false;
		}
		return !Boolean.TRUE.equals(request.getIgnoreResult()) && this.backend.isEnabled();
	}

	/** Listen for a task's result whose message was just written. */
	private @Nullable PendingResult listenAhead(String taskId, @Nullable String route) {
		try {
			// Published already: a result stored before the subscription is in place is
			// read once a caller waits.
			Duration listenFor = this.subscribeBeforeSend;
			return this.backend.listenAfterPublish(taskId, (listenFor != null) ? listenFor : AUTO_LISTEN_FOR, route);
		}
		catch (RuntimeException ex) {
			// The send goes on; get() then waits the usual way.
			LogFactory.getLog(DefaultTaskClient.class)
				.debug("Could not listen ahead for the result of task " + taskId, ex);
			return null;
		}
	}

	/**
	 * Build a task's message: route, unique lock, observation (started, so a tracing
	 * handler has written its context into the headers) and the encoded message.
	 */
	private Outgoing prepare(TaskRequest request) {
		return prepare(request, null);
	}

	/**
	 * Build a task's message, naming the channel the worker is to publish its result on
	 * too.
	 */
	private Outgoing prepare(TaskRequest request, @Nullable String replyTo) {
		String id = (request.getTaskId() != null) ? request.getTaskId() : UUID.randomUUID().toString();
		Route route = route(request);
		OffsetDateTime now = OffsetDateTime.now(this.clock.withZone(ZoneOffset.UTC));
		TaskMessage.Builder message = TaskMessage.builder(id, request.getTaskName())
			.args(request.getArgs())
			.kwargs(request.getKwargs())
			.origin(this.origin)
			.replyTo((request.getReplyTo() != null) ? request.getReplyTo() : this.replyTo)
			.ignoreResult(Boolean.TRUE.equals(request.getIgnoreResult()))
			.parentId(request.getParentId())
			.rootId(request.getRootId())
			.group(request.getGroup())
			.groupIndex(request.getGroupIndex())
			.serializer((request.getSerializer() != null) ? request.getSerializer()
					: this.taskSerializers.apply(request.getTaskName()))
			.compression(request.getCompression());
		if (!request.getLinks().isEmpty() || !request.getLinkErrors().isEmpty() || request.getChain() != null
				|| request.getChord() != null) {
			List<Signature> chain = request.getChain();
			Signature chord = request.getChord();
			message.embed(new TaskMessage.Embed(signatures(request.getLinks()), signatures(request.getLinkErrors()),
					(chain != null) ? new ArrayList<>(chain.stream().map(Signature::toMap).toList()) : null,
					(chord != null) ? chord.toMap() : null));
		}
		if (request.getCountdown() != null) {
			message.eta(now.plus(request.getCountdown()));
		}
		else if (request.getEta() != null) {
			message.eta(request.getEta());
		}
		if (request.getExpiresIn() != null) {
			message.expires(now.plus(request.getExpiresIn()));
		}
		else if (request.getExpiresAt() != null) {
			message.expires(request.getExpiresAt());
		}
		if (request.getPriority() != null) {
			message.priority(request.getPriority());
		}
		for (Map.Entry<String, @Nullable Object> header : request.getHeaders().entrySet()) {
			if (TaskMessageCodec.CELERY_HEADERS.contains(header.getKey())) {
				throw new IllegalArgumentException("Header '" + header.getKey()
						+ "' is one of Celery's own; set it through the request's options instead");
			}
			if ("compression".equals(header.getKey())) {
				throw new IllegalArgumentException("Header 'compression' is kombu's own; choose it with "
						+ "TaskRequest.Builder.compression(...) instead");
			}
			message.extraHeader(header.getKey(), header.getValue());
		}
		if (request.getTimeLimit() != null || request.getSoftTimeLimit() != null) {
			message.timeLimit(seconds(request.getTimeLimit()), seconds(request.getSoftTimeLimit()));
		}
		message.extraHeader(SENT_AT_HEADER, System.currentTimeMillis());
		if (replyTo != null) {
			message.extraHeader(REPLY_TO_HEADER, replyTo);
		}
		String uniqueKey = null;
		Duration uniqueFor = request.getUniqueFor();
		if (uniqueFor != null) {
			UniqueLocks locks = this.uniqueLocks;
			if (locks == null) {
				throw new TaskPublishException("Task " + request.getTaskName() + "[" + id + "] is unique, which needs "
						+ "Redis (a RedisConnectionFactory) for its lock; this client has none. Nothing was sent", id,
						null);
			}
			uniqueKey = locks.keyOf(request, id);
			message.extraHeader(UniqueLocks.HEADER, uniqueKey);
			String pending = locks.acquire(uniqueKey, id, uniqueFor);
			if (pending != null) {
				LogFactory.getLog(DefaultTaskClient.class)
					.debug("Task " + request.getTaskName() + "[" + id + "] not sent: a duplicate of pending task "
							+ pending);
				return new Outgoing(id, request.getTaskName(), route, null, null, null, Observation.NOOP, pending);
			}
		}
		TaskPublishContext observed = new TaskPublishContext(id, request.getTaskName(),
				(request.getRootId() != null) ? request.getRootId() : id, route.effectiveExchange(),
				route.effectiveRoutingKey(), route.queue());
		Observation observation = TaskObservationDocumentation.TASK_PUBLISH
			.observation(this.observationConvention, DefaultTaskPublishObservationConvention.INSTANCE, () -> observed,
					this.observationRegistry)
			.start();
		Outgoing outgoing = new Outgoing(id, request.getTaskName(), route, uniqueKey, observed, null, observation,
				null);
		try (Observation.Scope scope = observation.openScope()) {
			// Started first: a tracing handler has written the trace context into the
			// carrier.
			message.extraHeaders(observed.getHeaders());
			TaskMessage built = message.build();
			outgoing.encoded = this.codec.encode(built);
			if (route.exchange() == null) {
				declare(route.queue(), id);
				long delay = nativeDelay(route.queue(), request.getCountdown(), built.eta());
				if (delay > 0) {
					outgoing.exchange = NativeDelayedDelivery.levelName(NativeDelayedDelivery.LEVELS - 1);
					outgoing.routingKey = NativeDelayedDelivery.routingKey(delay, route.queue());
				}
			}
		}
		catch (RuntimeException ex) {
			throw failed(outgoing, ex);
		}
		return outgoing;
	}

	/**
	 * End a send that failed: the observation records the error, the unique lock is
	 * released; returns what to tell the caller.
	 */
	private RuntimeException failed(Outgoing outgoing, RuntimeException ex) {
		RuntimeException failure = (ex instanceof PublishException notConfirmed) ? new TaskPublishException(
				String.valueOf(notConfirmed.getMessage()), notConfirmed.getTaskId(), notConfirmed.getCause()) : ex;
		TaskPublishContext observed = outgoing.observed;
		if (observed != null) {
			observed.setOutcome("failure");
		}
		outgoing.observation.error(failure);
		outgoing.observation.stop();
		if (outgoing.uniqueKey != null) {
			releaseAfterFailedSend(outgoing.uniqueKey, outgoing.id);
		}
		return failure;
	}

	/** End a confirmed send: the observation stops, listeners hear of it. */
	private void sent(Outgoing outgoing, Duration publishTime) {
		outgoing.observation.stop();
		EncodedMessage encoded = Objects.requireNonNull(outgoing.encoded);
		EventDispatcher sentEvents = this.sentEvents;
		if (sentEvents != null) {
			sentEvents.send(this.origin, "task-sent", sentEvent(outgoing.id, outgoing.name, outgoing.route, encoded));
		}
		ApplicationEventPublisher events = this.events;
		if (events != null) {
			try {
				events.publishEvent(
						new TaskSentEvent(this, outgoing.id, outgoing.name, outgoing.route.queue(), publishTime));
			}
			catch (RuntimeException ex) {
				// The task is sent; a failing listener must not make the caller think
				// otherwise.
				LogFactory.getLog(DefaultTaskClient.class)
					.warn("Listener of TaskSentEvent failed for task " + outgoing.id, ex);
			}
		}
	}

	/**
	 * A task on its way: its message built, or (with {@code duplicateOf}) the pending
	 * task a unique send stands for.
	 */
	private static final class Outgoing {

		final String id;

		final String name;

		final Route route;

		final @Nullable String uniqueKey;

		final @Nullable TaskPublishContext observed;

		@Nullable EncodedMessage encoded;

		final Observation observation;

		final @Nullable String duplicateOf;

		/** Where the message goes: the route's, or native delayed delivery's. */
		String exchange;

		String routingKey;

		Outgoing(String id, String name, Route route, @Nullable String uniqueKey, @Nullable TaskPublishContext observed,
				@Nullable EncodedMessage encoded, Observation observation, @Nullable String duplicateOf) {
			this.id = id;
			this.name = name;
			this.route = route;
			this.uniqueKey = uniqueKey;
			this.observed = observed;
			this.encoded = encoded;
			this.observation = observation;
			this.duplicateOf = duplicateOf;
			this.exchange = route.effectiveExchange();
			this.routingKey = route.effectiveRoutingKey();
		}

	}

	/** Celery's {@code task-sent} fields, from the headers the codec wrote. */
	private static Map<String, @Nullable Object> sentEvent(String id, String name, Route route,
			EncodedMessage encoded) {
		Map<String, Object> headers = encoded.properties().getHeaders();
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", id);
		fields.put("root_id", headers.get("root_id"));
		fields.put("parent_id", headers.get("parent_id"));
		fields.put("name", name);
		fields.put("args", headers.get("argsrepr"));
		fields.put("kwargs", headers.get("kwargsrepr"));
		fields.put("retries", headers.get("retries"));
		fields.put("eta", headers.get("eta"));
		fields.put("expires", headers.get("expires"));
		fields.put("queue", route.queue());
		fields.put("exchange", route.effectiveExchange());
		fields.put("routing_key", route.effectiveRoutingKey());
		return fields;
	}

	private void releaseAfterFailedSend(String key, String id) {
		UniqueLocks locks = this.uniqueLocks;
		try {
			if (locks != null) {
				locks.release(key, id);
			}
		}
		catch (RuntimeException ex) {
			LogFactory.getLog(DefaultTaskClient.class)
				.warn("Could not release unique lock " + key + " of task " + id
						+ " that was not sent; it expires by itself", ex);
		}
	}

	private static @Nullable Double seconds(@Nullable Duration duration) {
		return (duration != null) ? duration.toNanos() / 1_000_000_000d : null;
	}

	@Override
	public TaskResult result(String taskId) {
		return new StoredTaskResult(taskId, this.backend, this.codec.mapper(), this, null, this::waiting);
	}

	private void waiting() {
		this.lastWait.get()[0] = System.nanoTime();
	}

	@Override
	public CanvasCall<TaskResult> chain(Signature... steps) {
		return chain(Arrays.asList(steps));
	}

	@Override
	public CanvasCall<TaskResult> chain(List<Signature> steps) {
		if (steps.isEmpty()) {
			throw new IllegalArgumentException("A chain needs at least one step");
		}
		if (Signature.GROUP.equals(steps.get(steps.size() - 1).getSubtaskType())) {
			throw new IllegalArgumentException("A chain that ends in a group has no single result: end it with a task "
					+ "(the group then becomes a chord), or send the group on its own");
		}
		return new CanvasCall<>(Signature.chain(steps), (chain, options) -> result(apply(chain, options).id()));
	}

	@Override
	public CanvasCall<GroupResult> group(Signature... members) {
		return group(Arrays.asList(members));
	}

	@Override
	public CanvasCall<GroupResult> group(List<Signature> members) {
		return new CanvasCall<>(Signature.group(members), (group, options) -> {
			ResultNode node = apply(group, options);
			return new StoredGroupResult(node.id(), node.memberIds(), this.backend, this.codec.mapper(), this);
		});
	}

	@Override
	public CanvasCall<TaskResult> chord(List<Signature> header, Signature body) {
		return new CanvasCall<>(Signature.chord(header, body), (chord, options) -> result(apply(chord, options).id()));
	}

	@Override
	public @Nullable GroupResult restoreGroup(String groupId) {
		List<String> members = this.backend.restoreGroup(groupId);
		return (members != null) ? new StoredGroupResult(groupId, members, this.backend, this.codec.mapper(), this)
				: null;
	}

	private ResultNode apply(Signature signature, Map<String, @Nullable Object> options) {
		return this.canvas.apply(signature, List.of(), Map.of(), options, null);
	}

	private static @Nullable List<Object> signatures(List<Signature> signatures) {
		return signatures.isEmpty() ? null : new ArrayList<>(signatures.stream().map(Signature::toMap).toList());
	}

	private Route route(TaskRequest request) {
		if (request.getQueue() != null || request.getExchange() != null || request.getRoutingKey() != null) {
			Route configured = this.router.route(request.getTaskName(), this.taskQueues.apply(request.getTaskName()));
			String queue = (request.getQueue() != null) ? request.getQueue() : configured.queue();
			String routingKey = (request.getRoutingKey() != null) ? request.getRoutingKey()
					: (request.getExchange() != null || request.getQueue() == null) ? configured.routingKey() : null;
			String exchange = (request.getExchange() != null) ? request.getExchange()
					: (request.getQueue() == null) ? configured.exchange() : null;
			return new Route(queue, exchange, routingKey);
		}
		return this.router.route(request.getTaskName(), this.taskQueues.apply(request.getTaskName()));
	}

	/**
	 * The whole seconds a task for a queue waits in Celery 5.5+'s native delayed
	 * delivery, as Celery's client sends it: for a quorum queue with a topic exchange,
	 * when native delayed delivery is on and the queue is bound to it (bound here if no
	 * worker did yet, so the message cannot be lost); 0 to send the task straight to the
	 * queue.
	 */
	private long nativeDelay(String queue, @Nullable Duration countdown, @Nullable OffsetDateTime eta) {
		NativeDelayedDelivery delayed = this.declarer.getNativeDelayedDelivery();
		if (eta == null || delayed == null) {
			return 0;
		}
		QueueArguments arguments = this.declarer.argumentsOf(queue);
		if (arguments.type() != QueueType.QUORUM || arguments.exchangeType() != ExchangeType.TOPIC) {
			return 0;
		}
		// Whole seconds, as Celery's int(countdown); the worker holds the rest.
		long seconds = (countdown != null) ? countdown.toSeconds()
				: Duration.between(OffsetDateTime.now(this.clock.withZone(ZoneOffset.UTC)), eta).toSeconds();
		if (seconds < 1) {
			return 0;
		}
		delayed.bind(queue, arguments.exchangeType());
		return delayed.isBound(queue) ? Math.min(seconds, NativeDelayedDelivery.MAX_DELAY_SECONDS) : 0;
	}

	private void declare(String queue, String taskId) {
		try {
			this.declarer.declareQueue(queue);
		}
		catch (AmqpException ex) {
			throw new TaskPublishException(
					"Cannot declare queue '" + queue + "' for task " + taskId + ": " + ex.getMessage(), taskId, ex);
		}
	}

}
