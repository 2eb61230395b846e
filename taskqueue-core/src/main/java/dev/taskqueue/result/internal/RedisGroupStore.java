package dev.taskqueue.result.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.result.TaskState;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.GenericToStringSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Groups and chords in Redis, in Celery's keys and formats, so Java and Python clients
 * and workers share them: {@code celery-taskset-meta-<gid>} for a saved group, and for a
 * chord {@code <that>.s} (its size, written when it is sent), {@code <that>.j} (a sorted
 * set of {@code [1, task_id, state, result]} scored by {@code group_index}) and
 * {@code <that>.t} (Celery's size adjustment, read when present). Parts and groups are
 * written in the result serializer, as Celery's Redis backend writes them, and read in
 * JSON or msgpack.
 */
final class RedisGroupStore {

	/** The key prefix Celery uses for groups and chords. */
	static final String GROUP_KEY_PREFIX = "celery-taskset-meta-";

	private static final RedisScript<Long> SET_AND_PUBLISH = new DefaultRedisScript<>(
			"redis.call('SETEX', KEYS[1], ARGV[1], ARGV[2]); return redis.call('PUBLISH', KEYS[1], ARGV[2])",
			Long.class);

	/**
	 * Celery's {@code on_chord_part_return} pipeline (ZADD, ZCOUNT, GET .t, GET .s,
	 * EXPIRE x3) as one script, so exactly one part sees the count reach the size; that
	 * part also gets the ordered members in the same step. A part that comes again (a
	 * redelivered message) replaces its earlier entry instead of counting twice.
	 */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> PART_RETURNED = new DefaultRedisScript<>("""
			local j, t, s = KEYS[1], KEYS[2], KEYS[3]
			local member, score, ttl, prefix = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
			if score ~= '+inf' then
			  for _, m in ipairs(redis.call('ZRANGEBYSCORE', j, score, score)) do
			    if m ~= member and string.sub(m, 1, #prefix) == prefix then redis.call('ZREM', j, m) end
			  end
			end
			redis.call('ZADD', j, score, member)
			local count = redis.call('ZCOUNT', j, '-inf', '+inf')
			local diff = redis.call('GET', t)
			local size = redis.call('GET', s)
			if ttl > 0 then
			  redis.call('EXPIRE', j, ttl)
			  redis.call('EXPIRE', t, ttl)
			  redis.call('EXPIRE', s, ttl)
			end
			if not size then return {count, -1} end
			local total = tonumber(size) + (tonumber(diff) or 0)
			if count == total then return {count, total, redis.call('ZRANGE', j, 0, -1)} end
			return {count, total}
			""", List.class);

	private static final RedisSerializer<Long> LONG = new GenericToStringSerializer<>(Long.class);

	/** Leaves the script's replies as bytes: a msgpack part is not UTF-8. */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static final RedisSerializer<List> RAW = (RedisSerializer) RedisSerializer.byteArray();

	static final String CHORDS_ON_CLUSTER = "Chords need a Redis that is not a Redis Cluster: Celery keeps a "
			+ "chord's counters under three keys (celery-taskset-meta-<group>.j, .t and .s) that one script updates "
			+ "together, and on a Redis Cluster they are in different hash slots. Use a single Redis (with Sentinel "
			+ "for failover) for the results of applications that use chords";

	private final StringRedisTemplate redis;

	private final ResultCodec codec;

	private final String keyPrefix;

	private final long ttlSeconds;

	private final boolean cluster;

	RedisGroupStore(StringRedisTemplate redis, ResultCodec codec, String keyPrefix, long ttlSeconds, boolean cluster) {
		this.redis = redis;
		this.cluster = cluster;
		this.codec = codec;
		this.keyPrefix = keyPrefix;
		this.ttlSeconds = ttlSeconds;
	}

	String key(String groupId) {
		return this.keyPrefix + GROUP_KEY_PREFIX + groupId;
	}

	void setChordSize(String groupId, int size) {
		checkChordsSupported(groupId);
		this.redis.execute(SET_AND_PUBLISH, RedisSerializer.byteArray(), LONG, List.of(key(groupId) + ".s"), ttl(),
				utf8(Integer.toString(size)));
	}

	@Nullable List<ChordPart> partReturned(String groupId, @Nullable Integer groupIndex, String taskId, TaskState state,
			@Nullable Object result) {
		checkChordsSupported(groupId);
		String key = key(groupId);
		byte[] member = this.codec.encodeValue(Arrays.asList(1, taskId, state.name(), result));
		byte[] prefix = prefix(member, taskId);
		List<?> reply = this.redis.execute(PART_RETURNED, RedisSerializer.byteArray(), RAW,
				List.of(key + ".j", key + ".t", key + ".s"), member,
				utf8((groupIndex != null) ? Integer.toString(groupIndex) : "+inf"), ttl(), prefix);
		if (reply == null || reply.size() < 3) {
			return null;
		}
		List<ChordPart> parts = new ArrayList<>();
		for (Object entry : (List<?>) reply.get(2)) {
			List<?> tuple = (List<?>) this.codec.decodeValue(bytes(entry));
			parts.add(new ChordPart(String.valueOf(tuple.get(1)), TaskState.of(String.valueOf(tuple.get(2))),
					tuple.get(3)));
		}
		return parts;
	}

	/**
	 * Refuse a chord on a Redis Cluster with a message that says why, rather than let
	 * Redis answer CROSSSLOT: Celery's chord keys of one group hash to different slots,
	 * and one script must update them together.
	 */
	private void checkChordsSupported(String groupId) {
		if (this.cluster) {
			throw new UnsupportedOperationException(CHORDS_ON_CLUSTER + " (chord " + groupId + ")");
		}
	}

	void deleteChord(String groupId) {
		String key = key(groupId);
		this.redis.delete(List.of(key + ".j", key + ".t", key + ".s"));
	}

	void save(String groupId, List<String> memberIds) {
		List<Object> members = new ArrayList<>(memberIds.size());
		for (String id : memberIds) {
			members.add(Arrays.asList(Arrays.asList(id, null), null));
		}
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("result", Arrays.asList(Arrays.asList(groupId, null), members));
		this.redis.execute(SET_AND_PUBLISH, RedisSerializer.byteArray(), LONG, List.of(key(groupId)), ttl(),
				this.codec.encodeValue(value));
	}

	@Nullable List<String> restore(String groupId) {
		byte[] key = utf8(key(groupId));
		byte[] stored = this.redis
			.execute((RedisCallback<byte @Nullable []>) (connection) -> connection.stringCommands().get(key));
		if (stored == null) {
			return null;
		}
		Object decoded = this.codec.decodeValue(stored);
		Object value = (decoded instanceof Map<?, ?> map) ? map.get("result") : null;
		if (!(value instanceof List<?> tuple) || tuple.size() < 2 || !(tuple.get(1) instanceof List<?> members)) {
			throw new IllegalStateException("Stored group " + groupId + " is not in Celery's format: " + decoded);
		}
		List<String> ids = new ArrayList<>(members.size());
		for (Object member : members) {
			ids.add(idOf(member));
		}
		return ids;
	}

	void delete(String groupId) {
		this.redis.delete(key(groupId));
	}

	// A member is Celery's result tuple: [[id, parent], null] (a task) or [[id, parent],
	// [...]] (a group).
	private static String idOf(@Nullable Object tuple) {
		if (tuple instanceof List<?> list && !list.isEmpty()) {
			Object head = list.get(0);
			return (head instanceof List<?> idAndParent && !idAndParent.isEmpty()) ? String.valueOf(idAndParent.get(0))
					: String.valueOf(head);
		}
		return String.valueOf(tuple);
	}

	/**
	 * What identifies a task's part whatever its state and result: the bytes up to its
	 * id, and in JSON the closing quote, so that no other id that starts with this one
	 * matches.
	 */
	private byte[] prefix(byte[] member, String taskId) {
		byte[] id = utf8(taskId);
		int at = indexOf(member, id);
		if (at < 0) {
			throw new IllegalStateException("Chord part of task " + taskId + " does not contain its id");
		}
		int end = at + id.length + (this.codec.writesJson() ? 1 : 0);
		return Arrays.copyOf(member, end);
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	private byte[] ttl() {
		return utf8(Long.toString(this.ttlSeconds));
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] bytes(Object value) {
		return (value instanceof byte[] bytes) ? bytes : utf8(String.valueOf(value));
	}

}
