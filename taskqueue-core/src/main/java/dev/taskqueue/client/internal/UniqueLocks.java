package dev.taskqueue.client.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.taskqueue.client.TaskPublishException;
import dev.taskqueue.client.TaskRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Redis locks behind unique tasks ({@link TaskRequest.Builder#unique(Duration)},
 * Celery users' celery-once): a sender takes {@code <key-prefix>taskqueue-unique-<hash>}
 * with {@code SET NX PX} and the task id as value; the worker that settles the task
 * deletes it when it still holds that id. The key travels to the worker in the
 * {@value #HEADER} header.
 */
public class UniqueLocks {

	private static final Log logger = LogFactory.getLog(UniqueLocks.class);

	/** Header carrying a unique task's lock key to the worker. */
	public static final String HEADER = "x-taskqueue-unique";

	private static final String KEY_PART = "taskqueue-unique-";

	private static final RedisScript<Long> RELEASE = new DefaultRedisScript<>(
			"if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
			Long.class);

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	private final ObjectWriter canonical;

	/**
	 * Create the locks.
	 * @param connectionFactory the Redis connection factory
	 * @param keyPrefix the prefix before every key ({@code taskqueue.result.key-prefix})
	 * @param mapper the JSON mapper arguments are written with before hashing
	 */
	public UniqueLocks(RedisConnectionFactory connectionFactory, String keyPrefix, JsonMapper mapper) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keyPrefix = keyPrefix;
		this.canonical = mapper.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
	}

	/**
	 * The lock key of a call.
	 * @param request the call
	 * @param taskId the id the call is sent with
	 * @return the key
	 */
	public String keyOf(TaskRequest request, String taskId) {
		String identity = request.isUniqueByArgs()
				? "args\u0000" + request.getTaskName() + "\u0000"
						+ this.canonical.writeValueAsString(Arrays.asList(request.getArgs(), request.getKwargs()))
				: "id\u0000" + taskId;
		return this.keyPrefix + KEY_PART + sha256(identity);
	}

	/**
	 * Take a lock for a task, or find who holds it.
	 * @param key the lock key
	 * @param taskId the task that wants it
	 * @param ttl how long it lasts at most
	 * @return {@code null} if the lock is now the task's, otherwise the id of the pending
	 * task that holds it
	 * @throws TaskPublishException if Redis cannot be reached
	 */
	public @Nullable String acquire(String key, String taskId, Duration ttl) {
		try {
			// Again when the holder's lock expired between SET and GET; a few times at
			// most.
			for (int attempt = 0; attempt < 3; attempt++) {
				if (Boolean.TRUE.equals(this.redis.opsForValue().setIfAbsent(key, taskId, ttl))) {
					return null;
				}
				String holder = this.redis.opsForValue().get(key);
				if (holder != null) {
					return holder;
				}
			}
			throw new TaskPublishException(
					"Unique lock " + key + " for task " + taskId + " kept changing hands; nothing was sent", taskId,
					null);
		}
		catch (DataAccessException ex) {
			throw new TaskPublishException("Cannot take the unique lock " + key + " for task " + taskId
					+ " in Redis; nothing was sent: " + ex.getMessage(), taskId, ex);
		}
	}

	/**
	 * Release a lock a task holds; a lock another task took since is left alone.
	 * @param key the lock key
	 * @param taskId the task
	 * @throws DataAccessException if Redis cannot be reached
	 */
	public void release(String key, String taskId) {
		this.redis.execute(RELEASE, List.of(key), taskId);
	}

	/**
	 * Release the lock of a settled task, if it was sent as unique. Never throws: a lock
	 * that cannot be deleted expires by itself.
	 * @param taskId the task id
	 * @param headers the message's headers
	 */
	public void releaseQuietly(String taskId, Map<String, ?> headers) {
		Object key = headers.get(HEADER);
		if (key == null) {
			return;
		}
		try {
			release(String.valueOf(key), taskId);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not release unique lock " + key + " of task " + taskId + "; it expires by itself: "
					+ ex.getMessage());
		}
	}

	private static String sha256(String text) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
