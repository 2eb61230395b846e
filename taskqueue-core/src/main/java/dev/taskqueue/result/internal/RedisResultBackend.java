package dev.taskqueue.result.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.result.TaskState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.serializer.GenericToStringSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Celery's Redis result backend: each result is a value under
 * {@code celery-task-meta-<id>} with a TTL (JSON text, or the bytes of the result
 * serializer), and the same value is published on a channel of that name so waiting
 * clients wake at once.
 * <p>
 * Writes run as one Lua script ({@code SETEX} + {@code PUBLISH}): as atomic as Celery's
 * {@code MULTI/EXEC}, but a single round trip that also works on a shared, pipelined
 * connection. {@link #storeAsync(ResultMeta)} pipelines the writes of any number of
 * threads on Lettuce's shared connection, so its throughput is not bound by one round
 * trip per record.
 */
public class RedisResultBackend implements ResultBackend, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisResultBackend.class);

	/** The key prefix Celery uses for task results. */
	public static final String TASK_KEY_PREFIX = "celery-task-meta-";

	private static final RedisScript<Long> STORE = new DefaultRedisScript<>(
			"redis.call('SETEX', KEYS[1], ARGV[1], ARGV[2]); return redis.call('PUBLISH', KEYS[1], ARGV[2])",
			Long.class);

	/**
	 * A store that also publishes the record on the reply channel of the client that sent
	 * the task ({@code ARGV[3]}), behind the task's id ({@code ARGV[4]}). The reply goes
	 * first: a client listening on both channels hears it before the result's own
	 * notification, so one that hears the notification alone knows no reply is coming.
	 */
	private static final RedisScript<Long> STORE_REPLY = new DefaultRedisScript<>(
			"redis.call('SETEX', KEYS[1], ARGV[1], ARGV[2]); redis.call('PUBLISH', ARGV[3], ARGV[4] .. ARGV[2]); "
					+ "return redis.call('PUBLISH', KEYS[1], ARGV[2])",
			Long.class);

	/**
	 * The channel name prefix of a client's reply channel, after the key prefix;
	 * taskqueue's own, next to Celery's names.
	 */
	public static final String REPLY_CHANNEL_PREFIX = "taskqueue-reply-";

	/** How long a reply that came before its waiter is kept for it. */
	private static final long EARLY_REPLY_NANOS = TimeUnit.SECONDS.toNanos(1);

	/** The most replies kept for waiters yet to come. */
	private static final int MAX_EARLY_REPLIES = 10_000;

	/** The longest client id a reply channel may end with. */
	private static final int MAX_REPLY_ID = 64;

	/**
	 * How long a caller waits for a result listened for on the reply channel alone before
	 * it also subscribes to the result's own channel, in case no taskqueue worker ran the
	 * task. The sweep makes it between this and twice this.
	 */
	private static final long REPLY_FALLBACK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	/**
	 * The key prefix of a redelivered task's run count (taskqueue's own, next to Celery's
	 * results).
	 */
	public static final String DELIVERIES_KEY_PREFIX = "taskqueue-task-deliveries-";

	private static final RedisScript<Long> COUNT = new DefaultRedisScript<>(
			"local n = redis.call('INCR', KEYS[1]); redis.call('EXPIRE', KEYS[1], ARGV[1]); return n", Long.class);

	private static final String STORE_SHA = STORE.getSha1();

	private static final boolean LETTUCE = ClassUtils.isPresent("io.lettuce.core.api.async.RedisScriptingAsyncCommands",
			RedisResultBackend.class.getClassLoader());

	private static final byte[] STORE_SCRIPT = STORE.getScriptAsString().getBytes(StandardCharsets.UTF_8);

	private static final String STORE_REPLY_SHA = STORE_REPLY.getSha1();

	private static final byte[] STORE_REPLY_SCRIPT = STORE_REPLY.getScriptAsString().getBytes(StandardCharsets.UTF_8);

	/** How often a waiter without a subscription reads the result's key. */
	private static final long POLL_INTERVAL_MILLIS = 100;

	/** A waiter listening ahead whose subscription and publish are both to come. */
	private static final int NEW = 0;

	/** A waiter whose subscription was in place before its task was published. */
	private static final int SUBSCRIBED = 1;

	/** A waiter whose task may have been published before it subscribed. */
	private static final int PUBLISHING = 2;

	/** A native waiter's subscription may have come after its result was stored. */
	private static final int MISSABLE = 1;

	/** A caller waits for a native waiter's result. */
	private static final int AWAITED = 2;

	/** How often the listening ahead is checked for views whose time ran out. */
	private static final long SWEEP_MILLIS = 100;

	/**
	 * How long after a listening ahead began a result whose notification may have been
	 * missed is read, if no caller waited for it meanwhile.
	 */
	private static final long LATE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

	/**
	 * How long the listener container waits between attempts to open its subscription,
	 * and how many times it tries again: its default tries every five seconds for as long
	 * as Redis is down, on the caller's thread and one stack frame deeper each time.
	 */
	private static final long SUBSCRIBE_RETRY_MILLIS = 500;

	private static final long SUBSCRIBE_RETRIES = 3;

	/** How long to wait before opening the pub/sub connection again after it failed. */
	private static final long PUB_SUB_RETRY_MILLIS = 1000;

	private static final RedisSerializer<Long> LONG = new GenericToStringSerializer<>(Long.class);

	private final StringRedisTemplate redis;

	private final RedisConnectionFactory connectionFactory;

	private final ResultCodec codec;

	private final String keyPrefix;

	private final long ttlSeconds;

	private final byte[] ttlBytes;

	/**
	 * Whether {@link #storeAsync} can leave replies in flight on a shared Lettuce
	 * connection.
	 */
	private final boolean asyncStores;

	/**
	 * Lettuce's shared native connection, kept once {@link #storeAsync} fetched it: the
	 * template's way to it (a connection object, its transaction checks and release) cost
	 * as much as the store's own write.
	 */
	private volatile @Nullable Object sharedConnection;

	private final RedisMessageListenerContainer listenerContainer;

	private final ExecutorService notificationExecutor;

	/** Where subscriptions ahead of a publish are made (the notification executor). */
	private volatile Executor subscriptionExecutor;

	/**
	 * Whether a test set {@link #subscriptionExecutor}, which then also makes the
	 * subscriptions of {@link #pubSub}.
	 */
	private volatile boolean subscriptionExecutorSet;

	/**
	 * Lettuce's pub/sub connection for the subscriptions ahead of a publish, or
	 * {@code null} to make them with the listener container.
	 */
	private volatile @Nullable LettucePubSub pubSub;

	/** The futures listened for ahead, each until its deadline. */
	private final Queue<Expiring> expiring = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean sweeping = new AtomicBoolean();

	/**
	 * The tasks whose channel on {@link #pubSub} is to be unsubscribed: their waiters
	 * ended, or Lettuce subscribed again to a channel no one listens on.
	 */
	private final Queue<String> finished = new ConcurrentLinkedQueue<>();

	/** Orders the subscriptions of {@link #pubSub} with the unsubscriptions. */
	private final Object subscriptionMonitor = new Object();

	private final RedisGroupStore groups;

	private final boolean cluster;

	private volatile int replicas;

	private volatile long replicaTimeoutMillis;

	private final Map<String, Waiter> waiters = new ConcurrentHashMap<>();

	private final AheadSubscriptions ahead = new AheadSubscriptions();

	private final Object startMonitor = new Object();

	private volatile boolean started;

	/** Whether a start was handed to a thread of its own, off a send's path. */
	private final AtomicBoolean starting = new AtomicBoolean();

	/** Whether a thread tries to open {@link #pubSub} again. */
	private final AtomicBoolean connectingPubSub = new AtomicBoolean();

	private volatile boolean destroyed;

	/** This client's reply channel, on {@link #pubSub}. */
	private final byte[] replyChannel;

	private final String replyChannelName;

	/** Whether Redis confirmed the subscription to {@link #replyChannel}. */
	private volatile boolean replySubscribed;

	/** Whether a subscription to {@link #replyChannel} is on its way. */
	private final AtomicBoolean replySubscribing = new AtomicBoolean();

	private final ReplyRoutes replyRoutes = new ReplyRoutes();

	/** Replies that came before their waiter, by task id. */
	private final Map<String, EarlyReply> earlyReplies = new ConcurrentHashMap<>();

	/**
	 * Create a backend.
	 * @param connectionFactory the Redis connection factory
	 * @param codec the result codec
	 * @param keyPrefix a prefix for every key, before Celery's own names ({@code ""} for
	 * exactly Celery's keys)
	 * @param expires how long results are kept
	 */
	public RedisResultBackend(RedisConnectionFactory connectionFactory, ResultCodec codec, String keyPrefix,
			Duration expires) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.connectionFactory = connectionFactory;
		this.codec = codec;
		this.keyPrefix = keyPrefix;
		this.ttlSeconds = Math.max(1, expires.toSeconds());
		this.ttlBytes = Long.toString(this.ttlSeconds).getBytes(StandardCharsets.UTF_8);
		this.asyncStores = LETTUCE && LettuceScripts.sharesNativeConnection(connectionFactory);
		this.listenerContainer = new RedisMessageListenerContainer();
		this.listenerContainer.setConnectionFactory(connectionFactory);
		// A notification is decoded and completes its waiter on the client's I/O thread,
		// so a caller blocked in get() wakes without a hand-off to another thread first
		// (the container's default executor would even start a thread per message).
		// Whatever may block or run the application's code goes to the backend's own
		// threads: the stages of the futures whenReady returns, the read of a result
		// once a subscription is made, and the unsubscribe of a waiter that is done,
		// which waits for Redis's reply, sent to that very I/O thread.
		CustomizableThreadFactory threads = new CustomizableThreadFactory("taskqueue-result-");
		threads.setDaemon(true);
		this.notificationExecutor = Executors.newFixedThreadPool(2, threads);
		this.subscriptionExecutor = this.notificationExecutor;
		this.listenerContainer.setTaskExecutor(new SyncTaskExecutor());
		// A blocking client (Jedis) holds a thread for as long as it is subscribed: not
		// one of the pool's.
		SimpleAsyncTaskExecutor subscriptions = new SimpleAsyncTaskExecutor("taskqueue-result-subscription-");
		subscriptions.setDaemon(true);
		this.listenerContainer.setSubscriptionExecutor(subscriptions);
		this.listenerContainer.setBeanName("taskqueueResultListener");
		// A subscription Redis refuses makes a waiter poll instead: the caller is not
		// held
		// for as long as Redis is down. Once open, Lettuce subscribes again by itself
		// after a reconnect.
		this.listenerContainer.setRecoveryBackoff(new FixedBackOff(SUBSCRIBE_RETRY_MILLIS, SUBSCRIBE_RETRIES));
		this.listenerContainer.afterPropertiesSet();
		this.cluster = RedisTopology.isCluster(connectionFactory);
		if (this.cluster) {
			logger.info("Results are stored on a Redis Cluster: results, revocations, unique locks, rate limits and "
					+ "the worker directory work there; chords are refused. " + RedisGroupStore.CHORDS_ON_CLUSTER);
		}
		this.groups = new RedisGroupStore(this.redis, codec, keyPrefix, this.ttlSeconds, this.cluster);
		this.replyChannelName = keyPrefix + REPLY_CHANNEL_PREFIX + UUID.randomUUID();
		this.replyChannel = this.replyChannelName.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Have every result store wait until replicas acknowledged it ({@code WAIT}), so that
	 * a task is acknowledged only once its result would survive a failover to one of
	 * them: replication is asynchronous, and a primary lost before it sent a write on
	 * loses that write. A store the replicas do not acknowledge in time fails, and the
	 * worker then returns the task's message to its queue. Needs Lettuce.
	 * @param replicas how many replicas must acknowledge each result, 0 not to wait
	 * @param timeout how long to wait for them
	 * @throws IllegalStateException if the connection factory is not Lettuce's
	 */
	public void setReplicaAcknowledgements(int replicas, Duration timeout) {
		if (replicas > 0 && !(LETTUCE && LettuceScripts.isLettuce(this.connectionFactory))) {
			throw new IllegalStateException("Waiting for replicas to acknowledge results needs Lettuce's "
					+ "RedisConnectionFactory, not " + this.connectionFactory.getClass().getName());
		}
		this.replicas = Math.max(0, replicas);
		this.replicaTimeoutMillis = Math.max(1, timeout.toMillis());
	}

	/**
	 * Return whether the results are on a Redis Cluster, where chords are refused.
	 * @return whether the connection factory is configured for a Redis Cluster
	 */
	public boolean isCluster() {
		return this.cluster;
	}

	/**
	 * The Redis key of a task's result.
	 * @param taskId the task id
	 * @return the key
	 */
	public String key(String taskId) {
		return this.keyPrefix + TASK_KEY_PREFIX + taskId;
	}

	@Override
	public long countRedeliveredRun(String taskId) {
		Long count = this.redis.execute(COUNT, List.of(deliveriesKey(taskId)), Long.toString(this.ttlSeconds));
		return (count != null) ? count : 0;
	}

	@Override
	public long getRedeliveredRuns(String taskId) {
		String count = this.redis.opsForValue().get(deliveriesKey(taskId));
		return (count != null) ? Long.parseLong(count) : 0;
	}

	private String deliveriesKey(String taskId) {
		return this.keyPrefix + DELIVERIES_KEY_PREFIX + taskId;
	}

	/**
	 * Return the TTL of stored results, in seconds.
	 * @return the TTL of stored results, in seconds
	 */
	public long ttlSeconds() {
		return this.ttlSeconds;
	}

	@Override
	public void store(ResultMeta meta) {
		store(meta, null);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * A reply channel that is not one of this backend's (its name does not start with the
	 * key prefix and {@value #REPLY_CHANNEL_PREFIX}) is ignored: a message cannot have a
	 * worker publish its result on any other channel.
	 */
	@Override
	public void store(ResultMeta meta, @Nullable String replyTo) {
		byte @Nullable [] reply = replyChannel(meta.taskId(), replyTo);
		if (this.replicas > 0) {
			storeReplicated(meta, false, reply).join();
			return;
		}
		// Bytes, not text: a msgpack record is not UTF-8.
		byte[] json = this.codec.encodeBytes(meta);
		if (reply != null) {
			this.redis.execute(STORE_REPLY, RedisSerializer.byteArray(), LONG, List.of(key(meta.taskId())),
					this.ttlBytes, json, reply, replyHead(meta.taskId()));
		}
		else {
			this.redis.execute(STORE, RedisSerializer.byteArray(), LONG, List.of(key(meta.taskId())), this.ttlBytes,
					json);
		}
	}

	/**
	 * The reply channel a task's message named, if it is one of this backend's.
	 * @param taskId the task
	 * @param replyTo the channel the message named, or {@code null}
	 * @return the channel's name, or {@code null} to publish no reply
	 */
	private byte @Nullable [] replyChannel(String taskId, @Nullable String replyTo) {
		if (replyTo == null) {
			return null;
		}
		String prefix = this.keyPrefix + REPLY_CHANNEL_PREFIX;
		boolean valid = replyTo.startsWith(prefix) && replyTo.length() > prefix.length()
				&& replyTo.length() - prefix.length() <= MAX_REPLY_ID;
		for (int i = prefix.length(); valid && i < replyTo.length(); i++) {
			char c = replyTo.charAt(i);
			valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
		}
		if (!valid) {
			if (logger.isDebugEnabled()) {
				logger.debug("Task " + taskId + " names reply channel '" + replyTo + "', which is not one of "
						+ "this application's (" + prefix + "<id>); its result is stored without a reply");
			}
			return null;
		}
		return replyTo.getBytes(StandardCharsets.UTF_8);
	}

	/** What precedes a record on a reply channel: the task id's length and the id. */
	private static byte[] replyHead(String taskId) {
		byte[] id = taskId.getBytes(StandardCharsets.UTF_8);
		byte[] length = (id.length + ":").getBytes(StandardCharsets.US_ASCII);
		byte[] head = Arrays.copyOf(length, length.length + id.length);
		System.arraycopy(id, 0, head, length.length, id.length);
		return head;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The record is encoded at once, on the caller's thread. With Lettuce's shared
	 * connection (its default) the script is sent without waiting for its reply, so
	 * records from any number of threads are pipelined rather than bound by one round
	 * trip each; the future then completes on Lettuce's I/O thread, so what depends on it
	 * must be short (an acknowledgement, not a task). Otherwise the record is stored
	 * before this returns.
	 */
	@Override
	public CompletableFuture<Void> storeAsync(ResultMeta meta) {
		return storeAsync(meta, null);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Stored as {@link #storeAsync(ResultMeta)} stores, and published on the reply
	 * channel if it is one of this backend's ({@link #store(ResultMeta, String)}).
	 */
	@Override
	public CompletableFuture<Void> storeAsync(ResultMeta meta, @Nullable String replyTo) {
		if (!this.asyncStores) {
			try {
				store(meta, replyTo);
				return CompletableFuture.completedFuture(null);
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}
		try {
			byte @Nullable [] reply = replyChannel(meta.taskId(), replyTo);
			if (this.replicas > 0) {
				return storeReplicated(meta, true, reply);
			}
			byte[] key = key(meta.taskId()).getBytes(StandardCharsets.UTF_8);
			byte[] json = this.codec.encodeBytes(meta);
			Object shared = this.sharedConnection;
			if (!LettuceScripts.isOpen(shared)) {
				// Fetched again after a reset of the factory closed the one kept.
				shared = this.redis.execute((RedisCallback<@Nullable Object>) RedisConnection::getNativeConnection,
						true);
				this.sharedConnection = shared;
			}
			CompletableFuture<Void> sent = evalStore(shared, meta.taskId(), key, json, reply);
			if (sent == null) {
				store(meta, replyTo);
				return CompletableFuture.completedFuture(null);
			}
			return sent;
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Send a record's store script on Lettuce's connection without waiting for its reply:
	 * the one that also publishes it on a reply channel when there is one.
	 * @return a future of the reply, or {@code null} if the connection is not Lettuce's
	 * asynchronous one
	 */
	private @Nullable CompletableFuture<Void> evalStore(@Nullable Object nativeConnection, String taskId, byte[] key,
			byte[] json, byte @Nullable [] reply) {
		return (reply != null)
				? LettuceScripts.evalAsync(nativeConnection, STORE_REPLY_SHA, STORE_REPLY_SCRIPT, key, this.ttlBytes,
						json, reply, replyHead(taskId))
				: LettuceScripts.evalAsync(nativeConnection, STORE_SHA, STORE_SCRIPT, key, this.ttlBytes, json);
	}

	/**
	 * Store a record and send {@code WAIT} right behind it on the same connection, whose
	 * offset it waits for.
	 * @param meta the record
	 * @param async whether the connection is shared, so its replies may be awaited after
	 * it is released
	 * @param reply the reply channel to publish the record on too, or {@code null}
	 * @return a future that fails unless enough replicas acknowledged the record
	 */
	private CompletableFuture<Void> storeReplicated(ResultMeta meta, boolean async, byte @Nullable [] reply) {
		int replicas = this.replicas;
		long timeout = this.replicaTimeoutMillis;
		try {
			byte[] key = key(meta.taskId()).getBytes(StandardCharsets.UTF_8);
			byte[] json = this.codec.encodeBytes(meta);
			CompletableFuture<Void> replicated = this.redis
				.execute((RedisCallback<@Nullable CompletableFuture<Void>>) (connection) -> {
					Object nativeConnection = connection.getNativeConnection();
					CompletableFuture<Void> sent = evalStore(nativeConnection, meta.taskId(), key, json, reply);
					CompletableFuture<Long> acknowledged = LettuceScripts.waitForReplicasAsync(nativeConnection,
							replicas, timeout);
					if (sent == null || acknowledged == null) {
						throw new IllegalStateException("Cannot wait for replicas on "
								+ nativeConnection.getClass().getName() + ": Lettuce's asynchronous connection needed");
					}
					CompletableFuture<Void> both = sent.thenCombine(acknowledged,
							(ignored, count) -> checkReplicas(meta.taskId(), count, replicas, timeout));
					if (!async) {
						// The connection and its pending replies are closed when this
						// returns.
						both.join();
					}
					return both;
				}, true);
			return (replicated != null) ? replicated : CompletableFuture.completedFuture(null);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private static @Nullable Void checkReplicas(String taskId, @Nullable Long count, int replicas, long timeout) {
		if (count == null || count < replicas) {
			throw new ResultNotReplicatedException("The result of task " + taskId + " reached the Redis primary but "
					+ ((count != null) ? count : 0) + " of the " + replicas
					+ " replicas taskqueue.result.wait-for-replicas asks for acknowledged it within " + timeout
					+ " ms; it may be lost on a failover");
		}
		return null;
	}

	/** Whether a failure is Redis's NOSCRIPT (the script is not in its cache). */
	static boolean isNoScript(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	@Override
	public ResultMeta get(String taskId) {
		byte[] key = key(taskId).getBytes(StandardCharsets.UTF_8);
		byte[] value = this.redis
			.execute((RedisCallback<byte @Nullable []>) (connection) -> connection.stringCommands().get(key));
		return (value != null) ? this.codec.decode(taskId, value) : ResultMeta.pending(taskId);
	}

	@Override
	public void setChordSize(String groupId, int size) {
		this.groups.setChordSize(groupId, size);
	}

	@Override
	public @Nullable List<ChordPart> chordPartReturned(String groupId, @Nullable Integer groupIndex, String taskId,
			TaskState state, @Nullable Object result) {
		return this.groups.partReturned(groupId, groupIndex, taskId, state, result);
	}

	@Override
	public void deleteChord(String groupId) {
		this.groups.deleteChord(groupId);
	}

	@Override
	public void saveGroup(String groupId, List<String> memberIds) {
		this.groups.save(groupId, memberIds);
	}

	@Override
	public @Nullable List<String> restoreGroup(String groupId) {
		return this.groups.restore(groupId);
	}

	@Override
	public void deleteGroup(String groupId) {
		this.groups.delete(groupId);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The future completes on one of the backend's own threads (or the caller's, when the
	 * result is already stored), never on the Redis client's I/O thread: stages chained
	 * to it may block.
	 */
	@Override
	public CompletableFuture<ResultMeta> whenReady(String taskId) {
		return whenReady(taskId, false);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The future may complete on the Redis client's I/O thread, as the notification
	 * arrives.
	 */
	@Override
	public CompletableFuture<ResultMeta> whenReadyToWait(String taskId) {
		return whenReady(taskId, true);
	}

	private CompletableFuture<ResultMeta> whenReady(String taskId, boolean toWait) {
		ResultMeta current = get(taskId);
		if (current.status().isReady()) {
			return CompletableFuture.completedFuture(current);
		}
		ensureStarted();
		// Counted inside compute so a waiter being released cannot be handed to a new
		// caller.
		Waiter waiter = this.waiters.compute(taskId, (id, existing) -> {
			Waiter w = (existing != null) ? existing : subscribe(id);
			w.views++;
			return w;
		});
		CompletableFuture<ResultMeta> view = toWait ? waiter.future.thenApply((meta) -> meta)
				: waiter.future.thenApplyAsync((meta) -> meta, this.notificationExecutor);
		// Unsubscribing waits for Redis's reply: not on the caller's way out, when the
		// check
		// below finds the result, nor on the notification thread ahead of other waiters'
		// results.
		view.whenCompleteAsync((meta, ex) -> release(taskId, waiter), this.notificationExecutor);
		// A result stored between the first read and the subscription sent no message we
		// saw.
		waiter.check();
		return view;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The subscription is made on one of the backend's own threads while the caller goes
	 * on to publish. Once it is in place, the result is read only if the caller said it
	 * was publishing before then: a result stored earlier sent a notification no one
	 * heard. The future may complete on the Redis client's I/O thread, as the
	 * notification arrives: a caller blocks on it, and chains nothing to it.
	 */
	@Override
	public PendingResult listenAhead(String taskId, Duration listenFor) {
		return listen(taskId, listenFor, false, null);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The waiter counts as published from the start, so that the subscription's reply,
	 * which may come before this returns, cannot pass for one made before the publish.
	 * Until the backend has been started, by a first wait or in the background by the
	 * first of these calls, this returns {@code null}: a send does not wait for Redis,
	 * which may be down.
	 */
	@Override
	public @Nullable PendingResult listenAfterPublish(String taskId, Duration listenFor) {
		return listen(taskId, listenFor, true, null);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * A result whose route is known to reply is listened for on the reply channel alone:
	 * no {@code SUBSCRIBE} is sent. Should no reply have come a little after a caller
	 * began to wait for it, the result's own channel is subscribed to as well, and the
	 * result read once, so a task run by a worker that does not reply is not lost, only
	 * late; the route then no longer counts as replying.
	 */
	@Override
	public @Nullable PendingResult listenAfterPublish(String taskId, Duration listenFor, @Nullable String route) {
		return listen(taskId, listenFor, true, route);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Once the backend has started and Redis confirmed the subscription to its reply
	 * channel, which it makes on its own pub/sub connection as it starts.
	 */
	@Override
	public @Nullable String replyChannel() {
		LettucePubSub pubSub = this.pubSub;
		if (pubSub == null) {
			return null;
		}
		if (!this.replySubscribed) {
			subscribeReplies(pubSub);
			return null;
		}
		return this.replyChannelName;
	}

	/**
	 * Subscribe to the reply channel, unless a subscription is on its way. Lettuce
	 * subscribes to it again by itself after a reconnect, once Redis confirmed it.
	 */
	private void subscribeReplies(LettucePubSub pubSub) {
		if (this.replySubscribed || !this.replySubscribing.compareAndSet(false, true)) {
			return;
		}
		try {
			pubSub.subscribe(this.replyChannel).whenComplete((ignored, ex) -> {
				this.replySubscribing.set(false);
				if (ex != null) {
					logger.debug("Could not subscribe to the reply channel; results are subscribed to one by one", ex);
				}
			});
		}
		catch (RuntimeException ex) {
			this.replySubscribing.set(false);
			logger.debug("Could not subscribe to the reply channel; results are subscribed to one by one", ex);
		}
	}

	private @Nullable PendingResult listen(String taskId, Duration listenFor, boolean published,
			@Nullable String route) {
		if (published && !this.started) {
			// A send must not wait for Redis, which may be down: this one does not listen
			// ahead, and its result is waited for the usual way.
			startInBackground();
			return null;
		}
		ensureStarted();
		LettucePubSub pubSub = this.pubSub;
		// The reply channel was subscribed to before the message was published: its reply
		// cannot go unheard (one that came before this waiter was kept for it).
		boolean replyOnly = route != null && pubSub != null && this.replySubscribed && this.replyRoutes.replying(route);
		boolean[] created = new boolean[1];
		Waiter waiter = this.waiters.compute(taskId, (id, existing) -> {
			Waiter w = existing;
			if (w == null) {
				w = new Waiter(id, true, pubSub != null, (pubSub != null) ? route : null, replyOnly);
				if (published) {
					w.publishing();
				}
				created[0] = true;
			}
			w.views++;
			return w;
		});
		CompletableFuture<ResultMeta> view = waiter.future.thenApply((meta) -> meta);
		expireAfter(view, waiter, listenFor);
		if (waiter.nativeAhead) {
			// Unsubscribing sends a command without waiting for its reply: done on the
			// thread that completes the view, with no hand-off.
			view.whenComplete((meta, ex) -> release(taskId, waiter));
		}
		else {
			view.whenCompleteAsync((meta, ex) -> release(taskId, waiter), this.notificationExecutor);
		}
		if (created[0] && waiter.nativeAhead) {
			EarlyReply early = this.earlyReplies.remove(taskId);
			if (early != null) {
				// Completes the view, which releases the waiter: nothing to subscribe to.
				waiter.onReply(early.record());
			}
		}
		if (created[0]) {
			if (waiter.replyOnly) {
				waiter.subscribed.complete(null);
			}
			else if (pubSub != null) {
				subscribeAhead(pubSub, waiter, view);
			}
			else {
				try {
					this.ahead.subscribe(waiter);
				}
				catch (RejectedExecutionException ex) {
					view.cancel(false);
				}
			}
		}
		else {
			// Subscribed (or polling) for another caller already.
			waiter.subscribed.complete(null);
		}
		return new PendingResult(view, waiter::publishing, waiter.subscribed, waiter::awaiting);
	}

	/**
	 * Subscribe on Lettuce's pub/sub connection: the command is written without waiting
	 * for its reply, on the caller's thread unless a test set an executor.
	 */
	private void subscribeAhead(LettucePubSub pubSub, Waiter waiter, CompletableFuture<ResultMeta> view) {
		Runnable subscribe = () -> {
			synchronized (waiter) {
				if (waiter.released) {
					waiter.subscribed.complete(null);
					return;
				}
				try {
					CompletionStage<Void> subscription;
					synchronized (this.subscriptionMonitor) {
						subscription = pubSub.subscribe(waiter.channel());
					}
					waiter.listening = true;
					// Written while Redis is away, the command may time out before it is
					// sent: Lettuce then drops it, and does not subscribe to the channel
					// when it reconnects. The result is waited for the usual way.
					subscription.whenComplete((ignored, ex) -> {
						if (ex != null) {
							waiter.subscriptionFailed(ex);
						}
					});
				}
				catch (RuntimeException ex) {
					logger.warn("Could not subscribe to the result of task " + waiter.taskId + " (" + ex.getMessage()
							+ "); waiting for it the usual way");
					waiter.subscribed.complete(null);
					view.cancel(false);
				}
			}
		};
		if (this.subscriptionExecutorSet) {
			try {
				this.subscriptionExecutor.execute(subscribe);
			}
			catch (RejectedExecutionException ex) {
				view.cancel(false);
			}
		}
		else {
			subscribe.run();
		}
	}

	/**
	 * Fail a view listened for ahead with a {@link TimeoutException} once its time runs
	 * out. One sweep a while checks every view, rather than a timer per send, which would
	 * wake the timer's thread twice a send.
	 */
	private void expireAfter(CompletableFuture<ResultMeta> view, Waiter waiter, Duration listenFor) {
		long now = System.nanoTime();
		this.expiring.add(new Expiring(view, waiter, now + Math.max(1, listenFor.toNanos()), now + LATE_CHECK_NANOS));
		scheduleSweep();
	}

	private void scheduleSweep() {
		if (this.sweeping.compareAndSet(false, true)) {
			try {
				CompletableFuture.delayedExecutor(SWEEP_MILLIS, TimeUnit.MILLISECONDS, this.notificationExecutor)
					.execute(this::sweep);
			}
			catch (RejectedExecutionException ex) {
				// The backend is being destroyed, which cancels the waiters.
				this.sweeping.set(false);
			}
		}
	}

	private void sweep() {
		unsubscribeFinished();
		long now = System.nanoTime();
		for (Iterator<Expiring> it = this.expiring.iterator(); it.hasNext();) {
			Expiring each = it.next();
			if (each.view.isDone()) {
				it.remove();
			}
			else if (now - each.deadline >= 0) {
				it.remove();
				each.view.completeExceptionally(new TimeoutException());
			}
			else {
				if (each.waiter.replyOnly && each.waiter.repliesLate(now)) {
					// No reply yet for a caller that waits: perhaps no taskqueue worker
					// ran the task. Its own channel tells, and a read finds it if stored.
					LettucePubSub pubSub = this.pubSub;
					if (pubSub != null && each.waiter.fallBack()) {
						subscribeAhead(pubSub, each.waiter, each.view);
					}
				}
				if (!each.checked && now - each.checkAt >= 0) {
					// A result stored before its subscription was in place is read once
					// a caller waits; without one it would keep its subscription until
					// the deadline. Read once, late, the few still listening by now.
					each.checked = true;
					each.waiter.checkIfMissable();
				}
			}
		}
		for (Iterator<EarlyReply> it = this.earlyReplies.values().iterator(); it.hasNext();) {
			if (now - it.next().at() >= EARLY_REPLY_NANOS) {
				// No send of this client's waits for it (it gave up listening, or never
				// began).
				it.remove();
			}
		}
		this.sweeping.set(false);
		if (!this.expiring.isEmpty() || !this.finished.isEmpty() || !this.earlyReplies.isEmpty()) {
			scheduleSweep();
		}
	}

	/**
	 * Make the subscriptions of {@link #listenAhead} with another executor (a test's, to
	 * order them).
	 * @param executor the executor
	 */
	void setSubscriptionExecutor(Executor executor) {
		this.subscriptionExecutor = executor;
		this.subscriptionExecutorSet = true;
	}

	private Waiter subscribe(String taskId) {
		Waiter waiter = new Waiter(taskId, false, false);
		try {
			this.listenerContainer.addMessageListener(waiter, new ChannelTopic(key(taskId)));
			synchronized (waiter) {
				waiter.listening = true;
			}
		}
		catch (RuntimeException ex) {
			// The subscription could not be registered in time (Redis slow or
			// reconnecting): the
			// caller still gets its result, read from the key until it is ready.
			logger.warn("Could not subscribe to the result of task " + taskId + " (" + ex.getMessage()
					+ "); polling it every " + POLL_INTERVAL_MILLIS + " ms instead");
			waiter.polling = true;
			// Not polled from here: this runs inside the waiters map's compute, before
			// the
			// waiter is in the map that tells a poll whether anyone still waits.
			waiter.schedulePoll();
		}
		return waiter;
	}

	private void release(String taskId, Waiter waiter) {
		boolean[] last = new boolean[1];
		this.waiters.computeIfPresent(taskId, (id, existing) -> {
			if (existing != waiter || --existing.views > 0) {
				return existing;
			}
			last[0] = true;
			return null;
		});
		if (last[0] && waiter.nativeAhead) {
			unsubscribeAhead(waiter);
		}
		else if (last[0]) {
			synchronized (waiter) {
				waiter.released = true;
				if (waiter.listening) {
					waiter.listening = false;
					if (waiter.ahead) {
						this.ahead.unsubscribe(waiter);
					}
					else {
						this.listenerContainer.removeMessageListener(waiter);
					}
				}
			}
		}
	}

	/**
	 * End a waiter's subscription on {@link #pubSub} with the next sweep, in one
	 * {@code UNSUBSCRIBE} for all that ended meanwhile: not as its notification arrives,
	 * while the caller wakes and the confirm of its task is on its way.
	 */
	private void unsubscribeAhead(Waiter waiter) {
		synchronized (waiter) {
			waiter.released = true;
			if (waiter.listening) {
				waiter.listening = false;
				this.finished.add(waiter.taskId);
				scheduleSweep();
			}
		}
	}

	/** Unsubscribe the channels of the waiters that ended since the last sweep. */
	private void unsubscribeFinished() {
		LettucePubSub pubSub = this.pubSub;
		if (pubSub == null || this.finished.isEmpty()) {
			return;
		}
		synchronized (this.subscriptionMonitor) {
			List<byte[]> channels = new ArrayList<>();
			for (String taskId = this.finished.poll(); taskId != null; taskId = this.finished.poll()) {
				// A newer waiter of the same task keeps the channel: it subscribed, or
				// will, and its SUBSCRIBE, made under the same lock, is not undone.
				Waiter current = this.waiters.get(taskId);
				if (current == null || !current.nativeAhead) {
					channels.add(key(taskId).getBytes(StandardCharsets.UTF_8));
				}
			}
			if (!channels.isEmpty()) {
				try {
					pubSub.unsubscribe(channels.toArray(byte[][]::new));
				}
				catch (RuntimeException ex) {
					logger.debug("Could not end the subscriptions to " + channels.size() + " results", ex);
				}
			}
		}
	}

	private void ensureStarted() {
		if (!this.started) {
			synchronized (this.startMonitor) {
				if (!this.started) {
					if (LETTUCE && !connectPubSub(false)) {
						connectPubSubInBackground();
					}
					this.listenerContainer.start();
					// Without a listener left the container closes its subscription, and
					// the next waiter has to open a new one and wait for it: a round trip
					// more per result for sequential callers, and a registration timeout
					// under load. One listener on a channel of this backend's own keeps
					// the subscription open.
					try {
						this.listenerContainer.addMessageListener((message, pattern) -> {
						}, new ChannelTopic(this.keyPrefix + "taskqueue-results-" + UUID.randomUUID()));
					}
					catch (RuntimeException ex) {
						logger.warn("Could not open the subscription for result notifications (" + ex.getMessage()
								+ "); each wait subscribes on its own, or polls");
					}
					this.started = true;
				}
			}
		}
	}

	/**
	 * Open the connections and the subscription that results are listened for with, as
	 * the first wait does.
	 */
	void start() {
		ensureStarted();
	}

	/**
	 * Whether a reply came for a task before any send of this client listened for it.
	 * @param taskId the task
	 * @return whether the reply is kept for a send yet to listen
	 */
	boolean hasEarlyReply(String taskId) {
		return this.earlyReplies.containsKey(taskId);
	}

	/**
	 * Whether the results listened for ahead are subscribed on Lettuce's pub/sub
	 * connection of the backend's own.
	 * @return whether that connection is open
	 */
	boolean hasPubSubConnection() {
		return this.pubSub != null;
	}

	private void startInBackground() {
		if (this.starting.compareAndSet(false, true)) {
			Thread thread = new Thread(() -> {
				try {
					ensureStarted();
				}
				catch (RuntimeException ex) {
					logger.warn("Could not start listening for results (" + ex.getMessage() + ")");
				}
				finally {
					this.starting.set(false);
				}
			}, "taskqueue-result-start");
			thread.setDaemon(true);
			thread.start();
		}
	}

	/**
	 * Open the pub/sub connection for the results listened for ahead.
	 * @param retrying whether an earlier attempt failed (and said so)
	 * @return whether it is open, or will never be (the client is not Lettuce's)
	 */
	private boolean connectPubSub(boolean retrying) {
		try {
			LettucePubSub connected = LettucePubSub.connect(this.connectionFactory, new AheadListener());
			this.pubSub = connected;
			if (connected != null) {
				subscribeReplies(connected);
			}
			// destroy() closes what it finds; this closes what it may not have found.
			if (this.destroyed && connected != null) {
				connected.close();
			}
			else if (retrying) {
				logger.info("Opened the pub/sub connection for the results listened for ahead");
			}
			return true;
		}
		catch (RuntimeException ex) {
			if (!retrying) {
				logger.warn("Could not open a pub/sub connection for the results listened for ahead (" + ex.getMessage()
						+ "); subscribing with the listener container until it opens");
			}
			return false;
		}
	}

	/**
	 * Open the pub/sub connection again and again until Redis takes it: Lettuce
	 * reconnects a connection it once opened, but not one whose first connect failed.
	 */
	private void connectPubSubInBackground() {
		if (this.connectingPubSub.compareAndSet(false, true)) {
			Thread thread = new Thread(() -> {
				try {
					do {
						Thread.sleep(PUB_SUB_RETRY_MILLIS);
					}
					while (!this.destroyed && !connectPubSub(true));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, "taskqueue-result-pubsub-connect");
			thread.setDaemon(true);
			thread.start();
		}
	}

	@Override
	public void destroy() throws Exception {
		this.destroyed = true;
		this.waiters.values().forEach((waiter) -> waiter.future.cancel(false));
		LettucePubSub pubSub = this.pubSub;
		if (pubSub != null) {
			pubSub.close();
		}
		this.listenerContainer.destroy();
		this.notificationExecutor.shutdown();
	}

	/**
	 * The subscriptions of {@link #listenAhead}: made and ended in batches, one
	 * {@code SUBSCRIBE} (or {@code UNSUBSCRIBE}) for every waiter queued meanwhile, on
	 * one of the backend's threads at a time, so that many concurrent sends do not each
	 * wait for a reply of their own. Each batch has a listener of its own, which hands
	 * the notifications to their waiters.
	 */
	private final class AheadSubscriptions {

		private final Queue<Waiter> toSubscribe = new ConcurrentLinkedQueue<>();

		private final Queue<Waiter> toUnsubscribe = new ConcurrentLinkedQueue<>();

		private final AtomicBoolean scheduled = new AtomicBoolean();

		void subscribe(Waiter waiter) {
			this.toSubscribe.add(waiter);
			schedule();
		}

		void unsubscribe(Waiter waiter) {
			this.toUnsubscribe.add(waiter);
			try {
				schedule();
			}
			catch (RejectedExecutionException ex) {
				// The backend is being destroyed, which closes every subscription.
			}
		}

		private void schedule() {
			if (this.scheduled.compareAndSet(false, true)) {
				try {
					RedisResultBackend.this.subscriptionExecutor.execute(this::run);
				}
				catch (RejectedExecutionException ex) {
					this.scheduled.set(false);
					throw ex;
				}
			}
		}

		private void run() {
			try {
				List<Waiter> added = new ArrayList<>();
				List<Waiter> removed = new ArrayList<>();
				for (Waiter waiter = this.toSubscribe.poll(); waiter != null; waiter = this.toSubscribe.poll()) {
					added.add(waiter);
				}
				for (Waiter waiter = this.toUnsubscribe.poll(); waiter != null; waiter = this.toUnsubscribe.poll()) {
					removed.add(waiter);
				}
				if (!added.isEmpty()) {
					add(added, removed);
				}
				// Only this batch's listener leaves the channel: a newer waiter of the
				// same
				// task, with a listener of another batch, keeps it subscribed.
				Map<Batch, List<Waiter>> byBatch = new IdentityHashMap<>();
				for (Waiter waiter : removed) {
					Batch batch = waiter.batch;
					if (batch != null) {
						byBatch.computeIfAbsent(batch, (key) -> new ArrayList<>()).add(waiter);
					}
				}
				byBatch.forEach((batch, waiters) -> RedisResultBackend.this.listenerContainer
					.removeMessageListener(batch, topics(waiters)));
			}
			catch (RuntimeException ex) {
				logger.warn("Could not end the subscriptions of results no longer waited for", ex);
			}
			finally {
				this.scheduled.set(false);
				if (!this.toSubscribe.isEmpty() || !this.toUnsubscribe.isEmpty()) {
					try {
						schedule();
					}
					catch (RejectedExecutionException ex) {
						// The backend is being destroyed.
					}
				}
			}
		}

		private void add(List<Waiter> added, List<Waiter> removed) {
			List<Waiter> waiting = new ArrayList<>(added.size());
			for (Waiter waiter : added) {
				synchronized (waiter) {
					if (waiter.released) {
						waiter.subscribed.complete(null);
					}
					else {
						// Counted as listening from here, so a release that comes while
						// the subscription is made ends it.
						waiter.listening = true;
						waiting.add(waiter);
					}
				}
			}
			if (waiting.isEmpty()) {
				return;
			}
			// A listener per batch: the container keeps each listener's channels in a
			// copy-on-write set, which one listener for every waiting task would copy on
			// each change.
			Batch batch = new Batch();
			for (Waiter waiter : waiting) {
				waiter.batch = batch;
			}
			try {
				RedisResultBackend.this.listenerContainer.addMessageListener(batch, topics(waiting));
			}
			catch (RuntimeException ex) {
				logger.warn("Could not subscribe to the results of " + waiting.size() + " tasks (" + ex.getMessage()
						+ "); polling them every " + POLL_INTERVAL_MILLIS + " ms instead");
				for (Waiter waiter : waiting) {
					synchronized (waiter) {
						waiter.polling = true;
						if (waiter.listening) {
							waiter.listening = false;
							removed.add(waiter);
						}
					}
					waiter.subscribed.complete(null);
					waiter.schedulePoll();
				}
			}
		}

		private List<ChannelTopic> topics(List<Waiter> waiters) {
			List<ChannelTopic> topics = new ArrayList<>(waiters.size());
			for (Waiter waiter : waiters) {
				topics.add(new ChannelTopic(key(waiter.taskId)));
			}
			return topics;
		}

	}

	/**
	 * The listener of one batch of {@link AheadSubscriptions}: hands each notification to
	 * its task's waiter.
	 */
	private final class Batch implements MessageListener, SubscriptionListener {

		private @Nullable Waiter waiter(byte[] channel) {
			String name = new String(channel, StandardCharsets.UTF_8);
			int prefix = RedisResultBackend.this.keyPrefix.length() + TASK_KEY_PREFIX.length();
			return (name.length() > prefix) ? RedisResultBackend.this.waiters.get(name.substring(prefix)) : null;
		}

		@Override
		public void onMessage(Message message, byte @Nullable [] pattern) {
			Waiter waiter = waiter(message.getChannel());
			if (waiter != null && waiter.ahead) {
				waiter.onMessage(message, pattern);
			}
		}

		@Override
		public void onChannelSubscribed(byte[] channel, long count) {
			Waiter waiter = waiter(channel);
			if (waiter != null && waiter.ahead) {
				waiter.onChannelSubscribed(channel, count);
			}
		}

	}

	/**
	 * Hands what arrives on {@link #pubSub} to the waiters listening ahead.
	 */
	private final class AheadListener implements LettucePubSub.Listener {

		private @Nullable String taskId(byte[] channel) {
			String name = new String(channel, StandardCharsets.UTF_8);
			int prefix = RedisResultBackend.this.keyPrefix.length() + TASK_KEY_PREFIX.length();
			return (name.length() > prefix) ? name.substring(prefix) : null;
		}

		private @Nullable Waiter waiter(byte[] channel) {
			String taskId = taskId(channel);
			Waiter waiter = (taskId != null) ? RedisResultBackend.this.waiters.get(taskId) : null;
			return (waiter != null && waiter.nativeAhead) ? waiter : null;
		}

		@Override
		public void subscribed(byte[] channel) {
			if (Arrays.equals(channel, RedisResultBackend.this.replyChannel)) {
				replySubscribed();
				return;
			}
			Waiter waiter = waiter(channel);
			if (waiter != null) {
				waiter.onSubscribedAhead();
				return;
			}
			// No one listens on it: Lettuce subscribed again, as it reconnected, to a
			// channel whose UNSUBSCRIBE timed out before it could be sent (or the reply
			// of a SUBSCRIBE that timed out came late). Left alone, it would stay
			// subscribed for as long as the connection lives.
			String taskId = taskId(channel);
			if (taskId != null) {
				RedisResultBackend.this.finished.add(taskId);
				scheduleSweep();
			}
		}

		@Override
		public void message(byte[] channel, byte[] message) {
			if (Arrays.equals(channel, RedisResultBackend.this.replyChannel)) {
				reply(message);
				return;
			}
			Waiter waiter = waiter(channel);
			if (waiter != null) {
				waiter.onMessage(message);
			}
		}

		/**
		 * The reply channel is subscribed to: for the first time, or again after a
		 * reconnect, when replies may have been lost meanwhile.
		 */
		private void replySubscribed() {
			if (!RedisResultBackend.this.replySubscribed) {
				RedisResultBackend.this.replySubscribed = true;
				return;
			}
			for (Waiter waiter : RedisResultBackend.this.waiters.values()) {
				if (waiter.route != null) {
					waiter.onReplyResubscribed();
				}
			}
		}

		/** A record on the reply channel, behind its task's id and the id's length. */
		private void reply(byte[] message) {
			int colon = 0;
			int length = 0;
			while (colon < message.length && colon < 4 && message[colon] >= '0' && message[colon] <= '9') {
				length = length * 10 + (message[colon] - '0');
				colon++;
			}
			if (colon == 0 || colon >= message.length || message[colon] != ':' || message.length < colon + 1 + length) {
				logger.debug("Ignored a malformed message on the reply channel");
				return;
			}
			String taskId = new String(message, colon + 1, length, StandardCharsets.UTF_8);
			byte[] record = Arrays.copyOfRange(message, colon + 1 + length, message.length);
			Waiter waiter = RedisResultBackend.this.waiters.get(taskId);
			if (waiter != null && waiter.nativeAhead) {
				waiter.onReply(record);
				return;
			}
			// A fast worker's reply can come before the send that asked for it, which
			// listens once its message is written, has registered its waiter: kept for
			// it a while. Whichever of the two removes it hands it over.
			Map<String, EarlyReply> early = RedisResultBackend.this.earlyReplies;
			if (early.size() < MAX_EARLY_REPLIES) {
				early.put(taskId, new EarlyReply(record, System.nanoTime()));
				scheduleSweep();
				waiter = RedisResultBackend.this.waiters.get(taskId);
				if (waiter != null && waiter.nativeAhead && early.remove(taskId) != null) {
					waiter.onReply(record);
				}
			}
		}

	}

	/** A reply that came before its waiter, and when ({@link System#nanoTime()}). */
	private record EarlyReply(byte[] record, long at) {
	}

	/** A view listened for ahead and when its listening ends. */
	private static final class Expiring {

		private final CompletableFuture<ResultMeta> view;

		private final Waiter waiter;

		private final long deadline;

		private final long checkAt;

		/** Whether the sweep read the result; used by one sweep at a time. */
		private boolean checked;

		Expiring(CompletableFuture<ResultMeta> view, Waiter waiter, long deadline, long checkAt) {
			this.view = view;
			this.waiter = waiter;
			this.deadline = deadline;
			this.checkAt = checkAt;
		}

	}

	/**
	 * Waits for one task's result; shared by every caller waiting on that id.
	 */
	private final class Waiter implements MessageListener, SubscriptionListener {

		private final String taskId;

		private final CompletableFuture<ResultMeta> future = new CompletableFuture<>();

		/** Callers waiting on this id; guarded by the waiters map's compute. */
		private int views;

		/**
		 * Whether the result is read from its key because no subscription could be made.
		 */
		private volatile boolean polling;

		/**
		 * Whether this waiter's listener is registered with the container; guarded by the
		 * waiter.
		 */
		private boolean listening;

		/** Whether the last caller released this waiter; guarded by the waiter. */
		private boolean released;

		/**
		 * Whether the subscription was in place before the task's message was published
		 * ({@link #SUBSCRIBED}), or the publish may have come first
		 * ({@link #PUBLISHING}): then a result stored before the subscription went
		 * unheard, and is read once.
		 */
		private final AtomicInteger order;

		private final CompletableFuture<Void> subscribed = new CompletableFuture<>();

		/**
		 * The batch this waiter was subscribed with; used by one run of
		 * {@link AheadSubscriptions} at a time.
		 */
		private @Nullable Batch batch;

		/** Whether {@link AheadSubscriptions} subscribes and unsubscribes this waiter. */
		private final boolean ahead;

		/** Whether this waiter listens ahead on {@link #pubSub}. */
		private final boolean nativeAhead;

		/**
		 * {@link #MISSABLE} and {@link #AWAITED}: whichever comes second reads the result
		 * once.
		 */
		private final AtomicInteger checks = new AtomicInteger();

		/**
		 * Where the task went, if its message named the reply channel: its result tells
		 * whether that route's workers reply.
		 */
		private final @Nullable String route;

		/**
		 * Whether the result is listened for on the reply channel alone, without a
		 * subscription of its own (until {@link #fallBack()}).
		 */
		private final boolean replyOnly;

		/** Whether the record arrived on the reply channel. */
		private volatile boolean replied;

		/**
		 * Whether what arrives tells if the route's workers reply: not once replies may
		 * have been lost while the connection was away.
		 */
		private volatile boolean learning = true;

		/** When a caller began to wait ({@link System#nanoTime()}), or 0. */
		private volatile long awaitedAt;

		/**
		 * Whether the result's own channel is subscribed to as well; guarded by the
		 * waiter.
		 */
		private boolean fellBack;

		Waiter(String taskId, boolean ahead, boolean nativeAhead) {
			this(taskId, ahead, nativeAhead, null, false);
		}

		Waiter(String taskId, boolean ahead, boolean nativeAhead, @Nullable String route, boolean replyOnly) {
			this.taskId = taskId;
			this.ahead = ahead;
			this.nativeAhead = nativeAhead;
			this.route = route;
			this.replyOnly = replyOnly;
			this.order = new AtomicInteger(ahead ? NEW : PUBLISHING);
		}

		/**
		 * Whether a caller has waited a while for a reply that has not come.
		 * @param now {@link System#nanoTime()}
		 */
		boolean repliesLate(long now) {
			long awaited = this.awaitedAt;
			return awaited != 0 && now - awaited >= REPLY_FALLBACK_NANOS && !this.future.isDone();
		}

		/**
		 * Listen on the result's own channel too, from now on.
		 * @return whether it is to be subscribed to (not already, nor released)
		 */
		synchronized boolean fallBack() {
			if (this.fellBack || this.released) {
				return false;
			}
			this.fellBack = true;
			return true;
		}

		/** The record arrived on the reply channel. */
		void onReply(byte[] body) {
			ResultMeta meta;
			try {
				meta = RedisResultBackend.this.codec.decode(this.taskId, body);
			}
			catch (RuntimeException ex) {
				// Not a worker's record: the result still comes on its own channel, or is
				// read.
				logger.debug("Ignored a record of task " + this.taskId + " on the reply channel that could not be "
						+ "decoded", ex);
				return;
			}
			this.replied = true;
			String route = this.route;
			if (route != null && this.learning) {
				RedisResultBackend.this.replyRoutes.replied(route);
			}
			accept(meta);
		}

		/**
		 * The reply channel was subscribed to again after a reconnect: a reply may have
		 * been lost, so the result is read once a caller waits, as a result stored before
		 * its subscription is.
		 */
		void onReplyResubscribed() {
			this.learning = false;
			if (!this.replyOnly) {
				// Subscribed to its own channel too, which Lettuce subscribes to again.
				return;
			}
			int previous = this.checks.getAndUpdate((bits) -> bits | MISSABLE);
			if ((previous & AWAITED) != 0) {
				checkOnPool();
			}
		}

		byte[] channel() {
			return key(this.taskId).getBytes(StandardCharsets.UTF_8);
		}

		void publishing() {
			this.order.compareAndSet(NEW, PUBLISHING);
		}

		/**
		 * The subscription on {@link #pubSub} is in place. A result stored before it sent
		 * a notification no one heard: read once, but only for a caller that waits (a
		 * send whose result no one waits for costs no read).
		 */
		void onSubscribedAhead() {
			boolean before = this.order.compareAndSet(NEW, SUBSCRIBED);
			this.subscribed.complete(null);
			if (before) {
				return;
			}
			// Also after a reconnect, which subscribes again: a notification may have
			// been lost in between.
			int previous = this.checks.getAndUpdate((bits) -> bits | MISSABLE);
			if ((previous & AWAITED) != 0) {
				checkOnPool();
			}
		}

		/**
		 * Read the result if its notification may have been missed (on the caller's
		 * thread).
		 */
		void checkIfMissable() {
			if (this.nativeAhead && (this.checks.get() & MISSABLE) != 0) {
				check();
			}
		}

		/** A caller is about to wait for this result. */
		void awaiting() {
			if (!this.nativeAhead) {
				return;
			}
			if (this.replyOnly && this.awaitedAt == 0) {
				this.awaitedAt = System.nanoTime();
				scheduleSweep();
			}
			int previous = this.checks.getAndUpdate((bits) -> bits | AWAITED);
			if ((previous & AWAITED) == 0 && (previous & MISSABLE) != 0) {
				checkOnPool();
			}
		}

		private void checkOnPool() {
			try {
				RedisResultBackend.this.notificationExecutor.execute(this::check);
			}
			catch (RejectedExecutionException ex) {
				// The backend is being destroyed, which cancels the waiters.
			}
		}

		@Override
		public void onMessage(Message message, byte @Nullable [] pattern) {
			onMessage(message.getBody());
		}

		/**
		 * The {@code SUBSCRIBE} on {@link #pubSub} failed (timed out while Redis was
		 * away): no notification will come, so the callers wait the usual way.
		 */
		void subscriptionFailed(Throwable ex) {
			this.subscribed.complete(null);
			this.future.completeExceptionally(ex);
		}

		void onMessage(byte[] body) {
			try {
				accept(RedisResultBackend.this.codec.decode(this.taskId, body));
			}
			catch (RuntimeException ex) {
				this.future.completeExceptionally(ex);
			}
		}

		@Override
		public void onChannelSubscribed(byte[] channel, long count) {
			boolean before = this.order.compareAndSet(NEW, SUBSCRIBED);
			this.subscribed.complete(null);
			if (before) {
				// Listening before the task was published: its notification cannot be
				// missed, and nothing was stored before it.
				return;
			}
			// Called on the client's I/O thread: the read waits for Redis's reply.
			try {
				RedisResultBackend.this.notificationExecutor.execute(this::check);
			}
			catch (RejectedExecutionException ex) {
				// The backend is being destroyed, which cancels the waiters.
			}
		}

		void schedulePoll() {
			CompletableFuture.delayedExecutor(POLL_INTERVAL_MILLIS, TimeUnit.MILLISECONDS).execute(this::poll);
		}

		private void poll() {
			check();
			if (!this.future.isDone() && RedisResultBackend.this.waiters.get(this.taskId) == this) {
				schedulePoll();
			}
		}

		void check() {
			if (this.future.isDone()) {
				return;
			}
			try {
				accept(get(this.taskId));
			}
			catch (RuntimeException ex) {
				logger.debug("Could not read result of task " + this.taskId + "; waiting for its notification", ex);
			}
		}

		private void accept(ResultMeta meta) {
			if (meta.status().isReady()) {
				String route = this.route;
				if (route != null && !this.replied && this.learning) {
					// Heard on the result's own channel, or read, once subscribed to it:
					// a reply, published first, would have come before.
					RedisResultBackend.this.replyRoutes.notReplied(route);
				}
				this.future.complete(meta);
			}
		}

	}

}
