package dev.taskqueue.control.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.control.Control;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.RateLimitScope;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Workers' control plane in Redis, shared by every worker and client of one application
 * (same key prefix).
 * <p>
 * <b>Revocations</b> are kept under {@code <prefix>taskqueue-revoked-<id>} with a TTL and
 * announced on the {@code <prefix>taskqueue-control} channel. A worker keeps the revoked
 * ids in memory: it loads the existing keys with {@code SCAN} each time its subscription
 * to the channel is (re)established, and adds the ids announced on the channel;
 * {@link #isRevoked(String)} is a map lookup, so checking a message costs no round trip
 * to Redis.
 */
public class ControlBus implements DisposableBean {

	private static final Log logger = LogFactory.getLog(ControlBus.class);

	/** Key prefix of revocations, after the application's key prefix. */
	public static final String REVOKED_KEY_PREFIX = "taskqueue-revoked-";

	/** The control channel's name, after the application's key prefix. */
	public static final String CHANNEL = "taskqueue-control";

	// The channel is an argument, not a key: on a Redis Cluster every key of a script
	// must
	// be in one hash slot, and a channel is in none.
	private static final RedisScript<Long> REVOKE = new DefaultRedisScript<>(
			"redis.call('SETEX', KEYS[1], ARGV[1], ARGV[2]); return redis.call('PUBLISH', ARGV[4], ARGV[3])",
			Long.class);

	private static final int PURGE_EVERY = 1024;

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	private final long revokeTtlSeconds;

	private final JsonMapper mapper = JsonMapper.shared();

	private final RedisMessageListenerContainer listenerContainer;

	private final List<ControlListener> listeners = new CopyOnWriteArrayList<>();

	/** Revoked task ids and when this process forgets them (epoch millis). */
	private final Map<String, Long> revoked = new ConcurrentHashMap<>();

	private final AtomicInteger additions = new AtomicInteger();

	private final CompletableFuture<Void> loaded = new CompletableFuture<>();

	private final Object startMonitor = new Object();

	private volatile boolean started;

	private boolean retrying;

	private static final long RETRY_SECONDS = 5;

	private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "taskqueue-control-retry");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Create a control bus.
	 * @param connectionFactory the Redis connection factory
	 * @param keyPrefix the application's key prefix (the result backend's)
	 * @param revokeExpires how long a revocation is kept
	 */
	public ControlBus(RedisConnectionFactory connectionFactory, String keyPrefix, Duration revokeExpires) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keyPrefix = keyPrefix;
		this.revokeTtlSeconds = Math.max(1, revokeExpires.toSeconds());
		this.listenerContainer = new RedisMessageListenerContainer();
		this.listenerContainer.setConnectionFactory(connectionFactory);
		this.listenerContainer.setBeanName("taskqueueControlListener");
		this.listenerContainer.afterPropertiesSet();
		this.listenerContainer.addMessageListener(new Subscriber(), new ChannelTopic(keyPrefix + CHANNEL));
	}

	/**
	 * The Redis key of a task's revocation.
	 * @param taskId the task id
	 * @return the key
	 */
	public String revokedKey(String taskId) {
		return this.keyPrefix + REVOKED_KEY_PREFIX + taskId;
	}

	/**
	 * Return the control channel.
	 * @return the control channel
	 */
	public String channel() {
		return this.keyPrefix + CHANNEL;
	}

	/**
	 * Return how long revocations are kept, in seconds.
	 * @return how long revocations are kept, in seconds
	 */
	public long revokeTtlSeconds() {
		return this.revokeTtlSeconds;
	}

	/**
	 * Revoke a task on every worker: store the revocation and announce it, in one round
	 * trip.
	 * @param taskId the task id (an unknown id is harmless)
	 * @param terminate whether a worker running the task interrupts it
	 */
	public void revoke(String taskId, boolean terminate) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("type", "revoke");
		message.put("id", taskId);
		message.put("terminate", terminate);
		this.redis.execute(REVOKE, List.of(revokedKey(taskId)), Long.toString(this.revokeTtlSeconds),
				terminate ? "terminate" : "revoke", this.mapper.writeValueAsString(message), channel());
	}

	/**
	 * Announce a new rate limit of a task (rate, burst and scope) to every worker
	 * listening now.
	 * @param taskName the task name
	 * @param limit the limit
	 * @return how many processes listen on the control channel
	 */
	public long broadcastRateLimit(String taskName, RateLimit limit) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("type", "rate-limit");
		message.put("task", taskName);
		message.put("permits", limit.permits());
		message.put("perMillis", limit.per().toMillis());
		message.put("burst", limit.burst());
		message.put("scope", limit.scope().name());
		Long receivers = this.redis.convertAndSend(channel(), this.mapper.writeValueAsString(message));
		return (receivers != null) ? receivers : 0;
	}

	/**
	 * Whether a task was revoked, from this process's copy of the revocations (no round
	 * trip). Only answers for revocations made while, or before, this bus {@link #start()
	 * listened}.
	 * @param taskId the task id
	 * @return whether it was revoked
	 */
	public boolean isRevoked(String taskId) {
		Long until = this.revoked.get(taskId);
		if (until == null) {
			return false;
		}
		if (until < System.currentTimeMillis()) {
			this.revoked.remove(taskId, until);
			return false;
		}
		return true;
	}

	/**
	 * Listen to the control channel, and call a listener for what arrives on it.
	 * @param listener the listener
	 */
	public void addListener(ControlListener listener) {
		this.listeners.add(listener);
		start();
	}

	/**
	 * Stop calling a listener.
	 * @param listener the listener
	 */
	public void removeListener(ControlListener listener) {
		this.listeners.remove(listener);
	}

	/**
	 * Subscribe to the control channel and load the revocations stored so far. When Redis
	 * cannot be reached, tries again every {@value #RETRY_SECONDS} seconds in the
	 * background.
	 */
	public void start() {
		if (this.started) {
			return;
		}
		synchronized (this.startMonitor) {
			if (this.started || this.retrying) {
				return;
			}
			try {
				this.listenerContainer.start();
				this.started = true;
			}
			catch (RuntimeException ex) {
				logger.warn("Could not subscribe to " + channel() + " (" + ex.getMessage() + "); retrying every "
						+ RETRY_SECONDS + " s");
				this.retrying = true;
				this.retry.scheduleWithFixedDelay(this::retryStart, RETRY_SECONDS, RETRY_SECONDS, TimeUnit.SECONDS);
			}
		}
	}

	private void retryStart() {
		synchronized (this.startMonitor) {
			if (this.started) {
				return;
			}
			try {
				this.listenerContainer.start();
				this.started = true;
				logger.info("Subscribed to " + channel());
				this.retry.shutdown();
			}
			catch (RuntimeException ex) {
				logger.debug("Still cannot subscribe to " + channel() + ": " + ex.getMessage());
			}
		}
	}

	/**
	 * Wait until the subscription is established and the stored revocations are loaded.
	 * @param timeout how long to wait
	 * @return whether they are loaded
	 */
	public boolean awaitLoaded(Duration timeout) {
		try {
			this.loaded.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException | TimeoutException ex) {
			return false;
		}
	}

	private void remember(String taskId) {
		this.revoked.put(taskId, System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(this.revokeTtlSeconds));
		if (this.additions.incrementAndGet() % PURGE_EVERY == 0) {
			long now = System.currentTimeMillis();
			this.revoked.values().removeIf((until) -> until < now);
		}
	}

	private void load() {
		String prefix = this.keyPrefix + REVOKED_KEY_PREFIX;
		int count = 0;
		try (Cursor<String> keys = this.redis.scan(ScanOptions.scanOptions().match(prefix + "*").count(1000).build())) {
			while (keys.hasNext()) {
				remember(keys.next().substring(prefix.length()));
				count++;
			}
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Loaded " + count + " revoked task ids");
		}
	}

	private void dispatch(Map<?, ?> message) {
		Object type = message.get("type");
		if ("rate-limit".equals(type) && message.get("task") instanceof String task
				&& message.get("permits") instanceof Number permits
				&& message.get("perMillis") instanceof Number perMillis) {
			RateLimit limit;
			try {
				limit = new RateLimit(permits.doubleValue(), Duration.ofMillis(perMillis.longValue()),
						(message.get("burst") instanceof Number burst) ? burst.intValue() : 1,
						(message.get("scope") instanceof String scope) ? RateLimitScope.valueOf(scope)
								: RateLimitScope.WORKER);
			}
			catch (IllegalArgumentException ex) {
				logger.warn(
						"Ignored an invalid rate limit of task " + task + " on " + channel() + ": " + ex.getMessage());
				return;
			}
			for (ControlListener listener : this.listeners) {
				try {
					listener.onRateLimit(task, limit);
				}
				catch (RuntimeException ex) {
					logger.warn("Control listener failed on the rate limit of task " + task, ex);
				}
			}
			return;
		}
		if ("revoke".equals(type) && message.get("id") instanceof String id) {
			remember(id);
			boolean terminate = Boolean.TRUE.equals(message.get("terminate"));
			for (ControlListener listener : this.listeners) {
				try {
					listener.onRevoke(id, terminate);
				}
				catch (RuntimeException ex) {
					logger.warn("Control listener failed on the revocation of task " + id, ex);
				}
			}
		}
	}

	@Override
	public void destroy() throws Exception {
		this.retry.shutdownNow();
		this.listenerContainer.destroy();
	}

	private final class Subscriber implements MessageListener, SubscriptionListener {

		@Override
		public void onMessage(Message message, byte @Nullable [] pattern) {
			try {
				dispatch(ControlBus.this.mapper.readValue(new String(message.getBody(), StandardCharsets.UTF_8),
						Map.class));
			}
			catch (RuntimeException ex) {
				logger.warn("Ignored an unreadable message on " + channel() + ": " + ex.getMessage());
			}
		}

		@Override
		public void onChannelSubscribed(byte[] channel, long count) {
			// Subscribed first, loaded second: a revocation made in between arrives on
			// the channel.
			try {
				load();
				ControlBus.this.loaded.complete(null);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not load the stored revocations: " + ex.getMessage());
			}
		}

	}

}
